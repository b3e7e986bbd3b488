/// Sizes and counts of a log's segments, from their batch headers.
public struct SegmentStatistics: Sendable {
    public var name: SegmentName
    public var fileBytes: Int64
    public var batches = 0
    public var records = 0
    /// Bytes of records before compression.
    public var rawBytes: Int64 = 0
    public var firstSequence: UInt64?
    public var nextSequence: UInt64
    public var firstRecordedAt: Int64?
    public var lastRecordedAt: Int64?
}

extension LogReader {
    /// Per-segment counts and sizes. Checks every batch's checksums; decompresses nothing.
    public func statistics() throws(LogError) -> [SegmentStatistics] {
        var result: [SegmentStatistics] = []
        for name in try segments() {
            let path = layout.segment(name)
            guard fileSystem.fileExists(path) else { continue }
            let file = try fileSystem.openForReading(path)
            defer { file.close() }
            let size = try file.size()
            result.append(SegmentStatistics(name: name, fileBytes: size, nextSequence: name.baseSequence))
        }
        try forEachBatch(from: 0) { batch, path, wanted in
            guard let index = result.lastIndex(where: { $0.name.baseSequence <= batch.header.baseSequence }) else { return }
            result[index].batches += 1
            result[index].records += Int(batch.header.nextSequence - max(batch.header.baseSequence, wanted))
            result[index].rawBytes += Int64(batch.header.rawLength)
            if result[index].firstSequence == nil { result[index].firstSequence = batch.header.baseSequence }
            result[index].nextSequence = batch.header.nextSequence
            if result[index].firstRecordedAt == nil { result[index].firstRecordedAt = batch.header.firstRecordedAt }
            result[index].lastRecordedAt = batch.header.lastRecordedAt
        }
        return result
    }
}
