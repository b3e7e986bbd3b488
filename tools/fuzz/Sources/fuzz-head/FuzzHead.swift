import QinglingArchive

/// Any bytes as a signed head, as `qingling verify --head` reads it: refused, or a head that
/// encodes and decodes to itself and never holds for a key nobody has the private half of.
let publicKey: [UInt8] = Array(repeating: 0x5A, count: 32)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHead(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let head = try? SignedHead.decode(bytes, path: "fuzz") else { return 0 }
    guard (try? SignedHead.decode(head.encoded(), path: "fuzz")) == head else { fatalError("a decoded head does not read back as itself") }
    if head.problems(publicKey: publicKey).isEmpty { fatalError("a head holds for a key nobody has the private half of") }
    return 0
}
