/// One batch's records, decompressed, that a caller may keep after reading on
/// (`LogReader.forEachPayload(from:recycling:_:)`): the payloads read from it point into its
/// bytes, which stay where they are, unchanged, for as long as anyone holds it. Its bytes are
/// written only while no one but its `BatchRecycler` holds it.
public final class DecompressedBatch: @unchecked Sendable {
    /// The records, in `RecordCodec`'s framing.
    var bytes: [UInt8] = []

    init() {}
}

/// Decompressed batches to reuse: each batch a reader decompresses goes into one that no one
/// else holds any more, so that a replay that keeps batches while their events wait to be
/// folded, and lets them go after, touches no fresh memory once its queue has filled.
public struct BatchRecycler {
    private var batches: [DecompressedBatch] = []
    /// At most this many are kept for reuse (a caller holding more gets fresh ones).
    private static let limit = 128

    public init() {}

    /// A batch that no one else holds: the one let go longest ago, else a fresh one.
    mutating func take() -> DecompressedBatch {
        for index in batches.indices where isKnownUniquelyReferenced(&batches[index]) { return batches[index] }
        let fresh = DecompressedBatch()
        if batches.count < Self.limit { batches.append(fresh) }
        return fresh
    }
}
