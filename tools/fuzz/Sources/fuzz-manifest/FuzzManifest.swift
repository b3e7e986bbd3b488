import QinglingArchive

/// Any bytes as a sealed year's manifest: refused with a reason, or a manifest that encodes and
/// decodes back to itself.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzManifest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let manifest = try? ArchiveManifest.decode(bytes, path: "fuzz") else { return 0 }
    guard (try? ArchiveManifest.decode(manifest.encoded(), path: "fuzz")) == manifest else {
        fatalError("a decoded manifest does not survive encoding")
    }
    return 0
}

