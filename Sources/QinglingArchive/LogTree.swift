import QinglingLog

/// The RFC 6962 tree over a log's records, live and sealed alike: leaf `i` is record `i`'s
/// `ArchiveLeaf` (sequence, recorded time, stored bytes), as in a sealed year's tree. Sealing
/// re-packs batches but keeps every record's sequence, time and bytes, so the root over the
/// first n records is the same before and after.
enum LogTree {
    /// What the records read produced.
    struct Prefix {
        var root: [UInt8]
        /// The records read: `size`, or fewer when the log holds fewer.
        var count: UInt64
        /// The recorded time of the last record read.
        var lastRecordedAt: Int64?
    }

    /// The root over the first `size` records of the log `reader` reads.
    static func prefix(_ size: UInt64, of reader: LogReader) throws(LogError) -> Prefix {
        var tree = MerkleTree.Accumulator()
        var last: Int64?
        try reader.forEachPayload(in: 0..<size) { sequence, time, payload throws(LogError) in
            guard sequence == tree.count else {
                throw .corrupt(path: reader.layout.directory, offset: 0, reason: "record \(sequence) was read where record \(tree.count) belongs")
            }
            tree.append(ArchiveLeaf.hash(sequence: sequence, recordedAt: time, stored: payload))
            last = time
        }
        return Prefix(root: tree.root, count: tree.count, lastRecordedAt: last)
    }
}
