/// What the rest of the log needs to know about one segment: where it ends and how its hash
/// chain continues. Taken from the segment's index when that index matches the file, otherwise
/// from a full scan.
struct SegmentSummary {
    var name: SegmentName
    var nextSequence: UInt64
    var lastRecordedAt: Int64
    var lastBatchHash: [UInt8]
}

/// A full pass over one segment: every batch validated, hashed and indexed.
struct SegmentScan {
    var builder: SegmentIndexBuilder
    var batches = 0
    var fileSize: Int64 = 0
    /// The previous-batch hash named by the segment's first batch.
    var firstPreviousHash: [UInt8]?
    /// Where the valid batches stop, when they stop before the end of the file.
    var damage: Damage?

    /// Bytes that are not a valid batch.
    struct Damage {
        let offset: Int64
        let reason: String
        /// Whether a valid batch after `offset` says the damaged bytes had been synced: then
        /// the damage is corruption, not a torn tail (see `SegmentScanner.durableDataDamaged`).
        let durableDataDamaged: Bool
    }

    /// Scans `name` from its header to its end or first damage, checking the hash chain inside
    /// the segment and decoding every batch to index its stream keys.
    static func run(_ name: SegmentName, layout: LogLayout, fileSystem: any FileSystem) throws(LogError) -> SegmentScan {
        let path = layout.segment(name)
        let file = try fileSystem.openForReading(path)
        defer { file.close() }
        let size = try file.size()
        var scan = SegmentScan(builder: SegmentIndexBuilder(baseSequence: name.baseSequence))
        scan.fileSize = size
        var scanner = SegmentScanner(file: file, path: path, name: name, fileSize: size)
        if case let .damaged(offset, reason, _) = try scanner.readSegmentHeader() {
            scan.damage = Damage(offset: offset, reason: reason, durableDataDamaged: try scanner.durableDataDamaged(at: offset))
            return scan
        }
        var previousHash: [UInt8]?
        while true {
            switch try scanner.next() {
            case .end:
                return scan
            case let .damaged(offset, reason, _):
                scan.damage = Damage(offset: offset, reason: reason, durableDataDamaged: try scanner.durableDataDamaged(at: offset))
                return scan
            case .batch(let batch):
                if let previousHash, batch.header.previousHash != previousHash {
                    throw .corrupt(path: path, offset: batch.offset, reason: "hash chain broken: the batch does not name the previous batch's hash")
                }
                if scan.firstPreviousHash == nil { scan.firstPreviousHash = batch.header.previousHash }
                let hash = batch.hash()
                let records = try batch.records(path: path)
                scan.builder.add(offset: batch.offset, header: batch.header, keys: records.map(\.keys), hash: hash)
                scan.batches += 1
                previousHash = hash
            }
        }
    }
}
