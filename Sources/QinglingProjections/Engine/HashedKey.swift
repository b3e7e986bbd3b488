/// A key's bytes and their `ByteTable.hash`, computed here and only here: a look-up never gets
/// a hash that disagrees with its key. A replay makes them on its reading thread, as it reads
/// an event, so that numbering can start its look-ups' memory accesses a few events ahead.
/// Valid while the bytes are (an event's, in its decompressed batch).
struct HashedKey {
    let bytes: UnsafeRawBufferPointer
    let hash: UInt64

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        hash = ByteTable.hash(bytes)
    }
}
