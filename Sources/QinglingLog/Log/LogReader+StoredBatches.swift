/// A segment's bytes as a physical copy of the log needs them (`qingling ship`, `restore`):
/// the segment header, then each batch with the sync marks written before it, then the sync
/// marks after the last batch. Concatenated in that order they are the segment file, byte for byte.
public enum StoredPiece {
    /// A segment begins: its name and its 32-byte header as on disk.
    case segment(SegmentName, header: [UInt8])
    /// A batch of a committed append, with its position and the bytes before it.
    case batch(StoredBatch)
    /// The segment's valid bytes end: the sync marks after its last batch (`trailing`), and the
    /// offset just past them.
    case segmentEnd(SegmentName, trailing: [UInt8], end: Int64)
}

/// One batch exactly as a segment holds it, with its decoded records.
public struct StoredBatch {
    public let segment: SegmentName
    /// Where the batch's header starts in the segment file.
    public let offset: Int64
    /// The bytes between the previous batch (or the segment header) and this one: sync marks.
    public let leading: [UInt8]
    /// The batch's header and payload, as on disk.
    public let bytes: [UInt8]
    public let header: BatchHeader
    /// SHA-256 of `bytes`: the next batch's previous hash.
    public let hash: [UInt8]
    public let records: [LogRecord]
}

/// Where a physical copy stands: the last batch it holds, to resume after.
public struct StoredPosition: Equatable, Sendable {
    public var segment: SegmentName
    /// Where that batch's header starts.
    public var offset: Int64
    /// Its base sequence and hash, which the log must still hold there.
    public var baseSequence: UInt64
    public var hash: [UInt8]

    public init(segment: SegmentName, offset: Int64, baseSequence: UInt64, hash: [UInt8]) {
        self.segment = segment
        self.offset = offset
        self.baseSequence = baseSequence
        self.hash = hash
    }
}

extension LogReader {
    /// Calls `body` with the log's segments and batches as stored, in order, after `position`
    /// (from the first segment when `nil`). The batch at `position` must be there with the same
    /// base sequence and hash; otherwise the log was replaced or rewritten since the copy was
    /// made, and `LogError.corrupt` says so before `body` is called.
    ///
    /// As `forEach`, only complete batches of committed appends whose checksums are valid are
    /// given; damage at the end of the last segment ends the walk (its marks before the damage
    /// are the segment's trailing bytes); damage anywhere else is corruption.
    /// `body` returns whether to go on; the walk stops after a piece it returns `false` for.
    public func forEachStoredPiece(after position: StoredPosition?, _ body: (StoredPiece) throws(LogError) -> Bool) throws(LogError) {
        let names = try segments()
        var start = 0
        if let position {
            guard let found = names.firstIndex(of: position.segment) else {
                throw .corrupt(path: layout.segment(position.segment), offset: 0,
                               reason: "the copy's last batch (sequence \(position.baseSequence)) lies in this segment, which the log no longer has: the log was replaced or rewritten")
            }
            start = found
        }
        try forEachStoredPiece(names, from: start, after: position, body)
    }

    /// Calls `body` with the log's segments and batches as stored, in order, from the start of
    /// `segment` (which the log must have), as `forEachStoredPiece(after:_:)` does.
    public func forEachStoredPiece(from segment: SegmentName, _ body: (StoredPiece) throws(LogError) -> Bool) throws(LogError) {
        let names = try segments()
        guard let start = names.firstIndex(of: segment) else {
            throw .corrupt(path: layout.segment(segment), offset: 0, reason: "the log has no such segment")
        }
        try forEachStoredPiece(names, from: start, after: nil, body)
    }

    private func forEachStoredPiece(_ names: [SegmentName], from start: Int, after position: StoredPosition?,
                                    _ body: (StoredPiece) throws(LogError) -> Bool) throws(LogError) {
        var expected: UInt64?
        for index in start..<names.count {
            let name = names[index]
            let path = layout.segment(name)
            if let expected, expected != name.baseSequence {
                throw .corrupt(path: path, offset: 0, reason: "segment starts at sequence \(name.baseSequence); the previous one ends before \(expected): the segments between are missing")
            }
            let file = try fileSystem.openForReading(path)
            defer { file.close() }
            let size = try file.size()
            var scanner: SegmentScanner
            var previousEnd: Int64
            if let position, index == start {
                scanner = SegmentScanner(file: file, path: path, name: name, fileSize: size, offset: position.offset,
                                         nextSequence: position.baseSequence)
                guard case .batch(let batch) = try scanner.next(), batch.offset == position.offset,
                      batch.header.baseSequence == position.baseSequence, batch.hash() == position.hash else {
                    throw .corrupt(path: path, offset: position.offset,
                                   reason: "the copy's last batch (sequence \(position.baseSequence)) is not here as copied: the log was replaced or rewritten since it was shipped")
                }
                previousEnd = scanner.offset
            } else {
                scanner = SegmentScanner(file: file, path: path, name: name, fileSize: size)
                if case .damaged(_, let reason, _)? = try scanner.readSegmentHeader() {
                    throw .corrupt(path: path, offset: 0, reason: reason)
                }
                guard try body(.segment(name, header: try file.read(at: 0, count: SegmentHeader.size))) else { return }
                previousEnd = Int64(SegmentHeader.size)
            }
            walk: while true {
                switch try scanner.next() {
                case .batch(let batch):
                    let leading = batch.offset > previousEnd ? try file.read(at: previousEnd, count: Int(batch.offset - previousEnd)) : []
                    let bytes = batch.headerBytes + batch.payload
                    previousEnd = scanner.offset
                    guard try body(.batch(StoredBatch(segment: name, offset: batch.offset, leading: leading, bytes: bytes,
                                                      header: batch.header, hash: batch.hash(), records: try batch.records(path: path)))) else { return }
                case .end:
                    guard try body(.segmentEnd(name, trailing: try trailing(file, from: previousEnd, to: scanner.offset), end: scanner.offset)) else { return }
                    break walk
                case let .damaged(offset, reason, _):
                    guard index == names.count - 1 else { throw .corrupt(path: path, offset: offset, reason: reason) }
                    _ = try body(.segmentEnd(name, trailing: try trailing(file, from: previousEnd, to: offset), end: offset))
                    return
                }
            }
            expected = scanner.nextSequence
        }
    }

    /// Whether the log still holds the batch at `position` as copied (same offset, base
    /// sequence and hash): `false` when its segment is gone or the batch differs.
    public func holds(_ position: StoredPosition) throws(LogError) -> Bool {
        guard try segments().contains(position.segment) else { return false }
        let path = layout.segment(position.segment)
        let file = try fileSystem.openForReading(path)
        defer { file.close() }
        var scanner = SegmentScanner(file: file, path: path, name: position.segment, fileSize: try file.size(),
                                     offset: position.offset, nextSequence: position.baseSequence)
        guard case .batch(let batch) = try scanner.next() else { return false }
        return batch.offset == position.offset && batch.header.baseSequence == position.baseSequence && batch.hash() == position.hash
    }

    private func trailing(_ file: any FileHandle, from start: Int64, to end: Int64) throws(LogError) -> [UInt8] {
        end > start ? try file.read(at: start, count: Int(end - start)) : []
    }
}
