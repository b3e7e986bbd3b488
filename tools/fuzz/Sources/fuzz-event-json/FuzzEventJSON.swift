import QinglingEvents

/// Any bytes as a JSON event document: refused with reasons, or an event whose JSON form reads
/// back as the same event.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEventJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let value = try? JSONParser.parse(bytes), case .success(let event) = EventJSONDecoder.decode(value) else { return 0 }
    let text = JSONWriter.string(EventJSONEncoder.encode(event))
    guard let again = try? JSONParser.parse(text), case .success(let same) = EventJSONDecoder.decode(again), same == event else {
        fatalError("an accepted event does not read back from its own JSON")
    }
    _ = EventBinaryCodec.encode(event)
    return 0
}

