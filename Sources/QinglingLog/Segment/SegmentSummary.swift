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
    /// The bytes the segment's index file covered when the scan began from it (`resume`);
    /// `nil` when the scan read the segment without one.
    var indexFileCovered: Int64?
    var batches = 0
    var fileSize: Int64 = 0
    /// Where the valid batches and sync marks end: the file's size, or the damage's offset.
    var end = Int64(SegmentHeader.size)
    /// The segment header's version (`nil` when the header is damaged).
    var segmentVersion: UInt16?
    /// Whether the segment ends with the sync mark by which its writer went on in a later segment.
    var finishedByWriter = false
    /// The previous-batch hash named by the segment's first batch.
    var firstPreviousHash: [UInt8]?
    /// Where the valid batches stop, when they stop before the end of the file.
    var damage: Damage?

    /// Bytes that are not a valid batch.
    struct Damage {
        let offset: Int64
        let reason: String
        /// Whether it is a torn tail, damage to acknowledged data or ambiguous
        /// (`SegmentScanner.classifyDamage`).
        let kind: DamageKind
    }

    /// Whether the segment holds no valid batch at all.
    var isEmpty: Bool { builder.lastBatchOffset == 0 }

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
            scan.damage = Damage(offset: offset, reason: reason, kind: try scanner.classifyDamage(at: offset))
            scan.end = 0
            return scan
        }
        scan.segmentVersion = scanner.header?.version
        try scan.scanBatches(&scanner, after: nil)
        return scan
    }

    /// Like `run`, but takes what the segment's index covers from the index (when it matches the
    /// file and every block of it is intact): the batches it covers are only checked (headers and
    /// checksums; not decompressed, decoded or hashed), and only the bytes after it are scanned
    /// in full. Opening a log whose last segment is large then costs a pass of checksums. `nil`
    /// when the index cannot be used or a covered batch is damaged (then `run` tells where).
    static func resume(_ name: SegmentName, layout: LogLayout, fileSystem: any FileSystem) throws(LogError) -> SegmentScan? {
        let path = layout.segment(name)
        let file = try fileSystem.openForReading(path)
        defer { file.close() }
        let size = try file.size()
        guard let index = try SegmentIndex.matching(name, layout: layout, fileSystem: fileSystem, file: file, size: size, wholeFile: false),
              let entries = try? index.streamEntries(path: layout.index(name), fileSystem: fileSystem)
        else { return nil }
        var scanner = SegmentScanner(file: file, path: path, name: name, fileSize: size)
        // The first batch names the previous segment's last hash (the chain across segments).
        guard case .none = try scanner.readSegmentHeader(), case .batch(let first) = try scanner.next() else { return nil }
        var scan = SegmentScan(builder: SegmentIndexBuilder(resuming: index, entries: entries))
        scan.indexFileCovered = index.coveredBytes
        scan.fileSize = size
        scan.segmentVersion = scanner.header?.version
        scan.firstPreviousHash = first.header.previousHash
        scan.batches = 1
        while scanner.offset < index.coveredBytes {
            guard case .batch = try scanner.next() else { return nil }
            scan.batches += 1
        }
        guard scanner.offset == index.coveredBytes, scanner.nextSequence == index.nextSequence else { return nil }
        try scan.scanBatches(&scanner, after: index.lastBatchHash)
        return scan
    }

    /// Validates, hashes and indexes batches to the end of the segment or its first damage;
    /// `previousHash` is the hash the next batch must name, when known.
    private mutating func scanBatches(_ scanner: inout SegmentScanner, after previousHash: [UInt8]?) throws(LogError) {
        var previousHash = previousHash
        while true {
            switch try scanner.next() {
            case .end:
                end = scanner.offset
                finishedByWriter = scanner.finishedByWriter
                return
            case let .damaged(offset, reason, _):
                damage = Damage(offset: offset, reason: reason, kind: try scanner.classifyDamage(at: offset))
                end = offset
                return
            case .batch(let batch):
                if let previousHash, batch.header.previousHash != previousHash {
                    throw .corrupt(path: scanner.path, offset: batch.offset, reason: "hash chain broken: the batch does not name the previous batch's hash")
                }
                if firstPreviousHash == nil { firstPreviousHash = batch.header.previousHash }
                let hash = batch.hash()
                let records = try batch.records(path: scanner.path)
                builder.add(offset: batch.offset, header: batch.header, keys: records.map(\.keys), hash: hash)
                batches += 1
                previousHash = hash
            }
        }
    }
}
