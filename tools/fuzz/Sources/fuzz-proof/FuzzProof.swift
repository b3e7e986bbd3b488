import QinglingArchive

/// Any bytes as an inclusion proof: refused, or checked against a key (a random proof must
/// never hold).
let publicKey: [UInt8] = Array(repeating: 0x5A, count: 32)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProof(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let proof = try? InclusionProof.decode(bytes, path: "fuzz") else { return 0 }
    if proof.problems(publicKey: publicKey).isEmpty { fatalError("a proof holds for a key nobody has the private half of") }
    return 0
}

