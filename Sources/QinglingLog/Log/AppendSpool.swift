/// Records gathered for one later append (`LogWriter.append(spool:durability:)`), kept in a
/// file rather than in memory: an append of any size then costs the memory of one batch.
///
/// The file lies in the log's `index/` folder under a temporary name of its own (random, so that
/// nothing can be planted at it beforehand) and is removed as soon as it is open, so it vanishes
/// with the process; a crash in between, or a file system that refuses to remove an open file
/// (it is then removed when the spool goes), leaves a `.tmp` file the writer removes on its next
/// open. Records are cut into batches as they come (at most `recordsPerBatch` records and
/// `bytesPerBatch` bytes each), and each batch is stored with its CRC-32C. A batch read back is
/// checked against it and every record again against the format's limits: records that read
/// back different are refused, never written into the log.
///
/// Used by one thread at a time: the one adding records, then the writer's leader.
public final class AppendSpool: @unchecked Sendable {
    /// Records in one batch, at most: well inside a log batch (`LogLimits.maxRecordsPerBatch`).
    public static let recordsPerBatch = 10_000
    /// Encoded records in one batch, at most (4 MiB), well inside `LogLimits.maxBatchRawBytes`.
    public static let bytesPerBatch = 4 << 20

    /// Whether a record of `size` encoded bytes starts a new batch after one of `records`
    /// records and `bytes` bytes (the cut of every multi-batch append the store makes).
    public static func startsBatch(after records: Int, bytes: Int, adding size: Int) -> Bool {
        records == recordsPerBatch || (records > 0 && bytes + size > bytesPerBatch)
    }

    /// Where a batch of records lies in the file.
    struct StoredBatch {
        let offset: Int64
        let length: Int
        let count: Int
        let checksum: UInt32
    }

    private let path: String
    private let file: any FileHandle
    private let fileSystem: any FileSystem
    /// Whether the file was removed from its folder as soon as it was opened.
    private let removedAtOnce: Bool
    private var stored: [StoredBatch] = []
    private var end: Int64 = 0
    /// The batch being gathered, encoded: per record, a key count, each key's length and bytes,
    /// the payload's length (`u32`) and bytes.
    private var gathering: [UInt8] = []
    private var gatheringCount = 0
    private var gatheringRawBytes = 0

    /// How many records were added.
    public private(set) var count = 0
    /// The size of the records as a batch encodes them (`RecordCodec`), all batches together.
    public private(set) var rawBytes = 0

    /// Opens a new spool for the log at `layout`.
    init(layout: LogLayout, fileSystem: any FileSystem) throws(LogError) {
        try fileSystem.createDirectory(layout.indexes)
        path = layout.indexes + "/append-" + String(UInt64.random(in: 0...UInt64.max), radix: 16) + ".spool" + LogLayout.temporarySuffix
        file = try fileSystem.openForWriting(path, create: true)
        self.fileSystem = fileSystem
        removedAtOnce = (try? fileSystem.removeFile(path)) != nil
        do throws(LogError) { try file.truncate(to: 0) } catch {
            file.close()
            if !removedAtOnce { try? fileSystem.removeFile(path) }
            throw error
        }
    }

    deinit {
        file.close()
        if !removedAtOnce { try? fileSystem.removeFile(path) }
    }

    /// At most the size of the batches the records make once compressed: LZ4's bound of the
    /// records, and each batch's header (what a segment must have room for).
    var byteBound: Int { Self.byteBound(rawBytes: rawBytes, batches: stored.count + (gatheringCount > 0 ? 1 : 0)) }

    private static func byteBound(rawBytes: Int, batches: Int) -> Int {
        rawBytes + rawBytes / 255 + batches * (BatchHeader.size + 64)
    }

    /// Adds `record`, refused as `LogWriter.append` refuses it if it is beyond the format's
    /// limits, or if the append would no longer fit in one segment (`LogLimits.maxSegmentBytes`).
    public func add(_ record: Record) throws(LogError) {
        let size = try LogWriter.checkedRawSize(of: record, at: count)
        let startsBatch = Self.startsBatch(after: gatheringCount, bytes: gatheringRawBytes, adding: size)
        let bound = Self.byteBound(rawBytes: rawBytes + size, batches: stored.count + 1 + (startsBatch ? 1 : 0))
        guard Int64(bound) <= LogLimits.maxSegmentBytes else {
            throw .invalidBatch(reason: "\(count + 1) records of \(rawBytes + size) bytes; one append lies in one segment, at most \(LogLimits.maxSegmentBytes) bytes")
        }
        if startsBatch { try storeGathered() }
        gathering.append(UInt8(record.keys.count))
        for key in record.keys {
            gathering.append(UInt8(key.utf8.count))
            gathering.append(contentsOf: key.utf8)
        }
        gathering.appendLittleEndian(UInt32(record.payload.count))
        gathering.append(contentsOf: record.payload)
        gatheringCount += 1
        gatheringRawBytes += size
        count += 1
        rawBytes += size
    }

    /// Writes the batch gathered so far to the file.
    func storeGathered() throws(LogError) {
        guard gatheringCount > 0 else { return }
        try file.write(gathering, at: end)
        stored.append(StoredBatch(offset: end, length: gathering.count, count: gatheringCount, checksum: CRC32C.checksum(gathering)))
        end += Int64(gathering.count)
        gathering.removeAll(keepingCapacity: true)
        gatheringCount = 0
        gatheringRawBytes = 0
    }

    /// How many batches were stored (`storeGathered` first).
    var batchCount: Int { stored.count }

    /// The records of stored batch `index`, read back and checked against their checksum.
    func records(ofBatch index: Int) throws(LogError) -> [Record] {
        let batch = stored[index]
        let bytes = try file.read(at: batch.offset, count: batch.length)
        guard bytes.count == batch.length, CRC32C.checksum(bytes) == batch.checksum else {
            throw .corrupt(path: path, offset: batch.offset, reason: "the records spooled for an append read back different")
        }
        var records: [Record] = []
        records.reserveCapacity(batch.count)
        var offset = 0
        func take(_ length: Int) throws(LogError) -> Range<Int> {
            guard length <= bytes.count - offset else {
                throw .corrupt(path: path, offset: batch.offset + Int64(offset), reason: "a spooled record runs past its batch")
            }
            defer { offset += length }
            return offset..<offset + length
        }
        for _ in 0..<batch.count {
            let keyCount = Int(bytes[try take(1).lowerBound])
            var keys: [String] = []
            keys.reserveCapacity(keyCount)
            for _ in 0..<keyCount {
                let length = Int(bytes[try take(1).lowerBound])
                let range = try take(length)
                guard let key = String(validating: bytes[range], as: UTF8.self) else {
                    throw .corrupt(path: path, offset: batch.offset + Int64(range.lowerBound), reason: "a spooled stream key is not UTF-8")
                }
                keys.append(key)
            }
            let length = Int(readLittleEndian(bytes, at: try take(4).lowerBound, as: UInt32.self))
            let record = Record(keys: keys, payload: Array(bytes[try take(length)]))
            _ = try LogWriter.checkedRawSize(of: record, at: records.count)
            records.append(record)
        }
        guard offset == bytes.count else {
            throw .corrupt(path: path, offset: batch.offset + Int64(offset), reason: "bytes are left over after a spooled batch's records")
        }
        return records
    }
}
