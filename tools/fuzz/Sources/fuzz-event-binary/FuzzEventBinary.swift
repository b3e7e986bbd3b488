import QinglingEvents

/// Any bytes as a stored event: decoding fails with a reason or gives an event that encodes
/// and decodes back to itself.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEventBinary(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let event = try? EventBinaryCodec.decode(bytes) else { return 0 }
    guard (try? EventBinaryCodec.decode(EventBinaryCodec.encode(event))) == event else {
        fatalError("a decoded event does not survive encoding")
    }
    return 0
}

