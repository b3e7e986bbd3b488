import Crypto

/// What sealing a year starts from: the year's live segments and where they sit in the log
/// and its hash chain. Made by `LogWriter.sealingPlan(year:)`.
public struct SealingPlan: Sendable, Equatable {
    public var year: Int
    /// The year's live segments, in order.
    public var segments: [SegmentName]
    /// The year's sequences.
    public var sequences: Range<UInt64>
    /// The hash the year's first batch names (the batch before the year, or zeros).
    public var firstPreviousHash: [UInt8]
    /// The hash of the year's last live batch, and its last recorded time.
    public var lastLiveBatchHash: [UInt8]
    public var lastRecordedAt: Int64
    /// Bytes of the year's live segment files.
    public var liveBytes: Int64
}

/// Writes a sealed year's archive segments: the year's records re-packed into large batches
/// (LZ4 HC), with their own hash chain starting from the hash the year's first live batch
/// names, each segment with its index, and the link to the live chain.
public enum SealedYearWriter {
    /// Batches of at most this many records and raw bytes (the log's limits).
    static let batchRecords = 100_000
    static let batchRawBytes = 8 << 20
    /// A new archive segment after this many bytes.
    static let segmentBytes: Int64 = 256 << 20
    /// liblz4's high-compression level (LZ4 HC) used for archives.
    public static let compressionLevel: Int32 = 9

    /// What was written.
    public struct Written: Sendable, Equatable {
        /// File names written in the directory (segments, indexes, the link).
        public var files: [String] = []
        public var segments = 0
        public var batches = 0
        public var records = 0
        /// Bytes of the archive segment files.
        public var segmentBytes: Int64 = 0
    }

    /// Re-packs the records of `plan` read by `reader` into `directory`, which must not exist.
    /// Every file is synced; the caller syncs the parent directory when it renames this one.
    static func write(_ plan: SealingPlan, from reader: LogReader, into directory: String, fileSystem: any FileSystem) throws(LogError) -> Written {
        try fileSystem.createDirectory(directory)
        var written = Written()
        var previousHash = plan.firstPreviousHash
        var segment: (name: SegmentName, file: any FileHandle, size: Int64, index: SegmentIndexBuilder)?
        var pending: [LogRecord] = []
        var pendingBytes = 0

        func finishSegment() throws(LogError) {
            guard let open = segment else { return }
            try open.file.sync()
            open.file.close()
            let indexName = open.name.stem + ".qlidx"
            let index = try fileSystem.openForWriting(directory + "/" + indexName, create: true)
            defer { index.close() }
            try index.write(open.index.encoded(), at: 0)
            try index.sync()
            written.files += [open.name.fileName, indexName]
            written.segmentBytes += open.size
            written.segments += 1
            segment = nil
        }
        func flush() throws(LogError) {
            guard !pending.isEmpty else { return }
            if let open = segment, open.size >= segmentBytes { try finishSegment() }
            if segment == nil {
                let name = SegmentName(year: plan.year, baseSequence: pending[0].sequence)
                let file = try fileSystem.openForWriting(directory + "/" + name.fileName, create: true)
                try file.write(SegmentHeader(year: plan.year, baseSequence: name.baseSequence).encoded(), at: 0)
                segment = (name, file, Int64(SegmentHeader.size), SegmentIndexBuilder(baseSequence: name.baseSequence))
            }
            guard var open = segment else { return }
            let raw = RecordCodec.encode(pending.map { Record(keys: $0.keys, payload: $0.payload) }, times: pending.map(\.recordedAt))
            let payload = LZ4Frame.compress(raw, level: compressionLevel)
            let header = BatchHeader(
                baseSequence: pending[0].sequence, recordCount: UInt32(pending.count), payloadLength: UInt32(payload.count),
                rawLength: UInt32(raw.count), payloadChecksum: CRC32C.checksum(payload), firstRecordedAt: pending[0].recordedAt,
                lastRecordedAt: pending[pending.count - 1].recordedAt, previousHash: previousHash)
            var bytes = header.encoded()
            bytes.append(contentsOf: payload)
            let hash = Array(SHA256.hash(data: bytes))
            try open.file.write(bytes, at: open.size)
            open.index.add(offset: open.size, header: header, keys: pending.map(\.keys), hash: hash)
            open.size += Int64(bytes.count)
            segment = open
            previousHash = hash
            written.batches += 1
            written.records += pending.count
            pending.removeAll(keepingCapacity: true)
            pendingBytes = 0
        }

        try reader.forEach(in: plan.sequences) { record throws(LogError) in
            let size = record.payload.count + record.keys.reduce(32) { $0 + $1.utf8.count + 2 }
            if !pending.isEmpty, pending.count >= batchRecords || pendingBytes + size > batchRawBytes { try flush() }
            pending.append(record)
            pendingBytes += size
        }
        try flush()
        try finishSegment()
        guard written.records == plan.sequences.count else {
            throw .corrupt(path: directory, offset: 0, reason: "re-packed \(written.records) records of \(plan.year), expected \(plan.sequences.count)")
        }
        let link = SealedYearLink(year: plan.year, nextSequence: plan.sequences.upperBound, lastRecordedAt: plan.lastRecordedAt,
                                  lastLiveBatchHash: plan.lastLiveBatchHash)
        let linkFile = try fileSystem.openForWriting(directory + "/" + SealedYearLink.fileName, create: true)
        defer { linkFile.close() }
        try linkFile.write(link.encoded(), at: 0)
        try linkFile.sync()
        written.files.append(SealedYearLink.fileName)
        return written
    }

    /// Reads back a sealed year's segments in `directory` (sealing or sealed): every batch
    /// checked (checksums, frames, sequences, the hash chain from `firstPreviousHash`), every
    /// record passed to `body` in order. Any damage is thrown as corruption with file and offset.
    public static func forEachRecord(in directory: String, year: Int, firstPreviousHash: [UInt8], fileSystem: any FileSystem = PosixFileSystem(),
                                     _ body: (LogRecord) throws(LogError) -> Void) throws(LogError) {
        let names = try fileSystem.contentsOfDirectory(directory).compactMap(SegmentName.init(fileName:)).sorted()
        var chain = firstPreviousHash
        var expected: UInt64?
        for name in names {
            let path = directory + "/" + name.fileName
            guard name.year == year else { throw .corrupt(path: path, offset: 0, reason: "a segment of \(name.year) among the segments of \(year)") }
            if let expected, expected != name.baseSequence {
                throw .corrupt(path: path, offset: 0, reason: "segment starts at sequence \(name.baseSequence), expected \(expected)")
            }
            let file = try fileSystem.openForReading(path)
            defer { file.close() }
            var scanner = SegmentScanner(file: file, path: path, name: name, fileSize: try file.size())
            if case let .damaged(offset, reason, _) = try scanner.readSegmentHeader() { throw .corrupt(path: path, offset: offset, reason: reason) }
            scan: while true {
                switch try scanner.next() {
                case .end: break scan
                case let .damaged(offset, reason, _): throw .corrupt(path: path, offset: offset, reason: reason)
                case .batch(let batch):
                    guard batch.header.previousHash == chain else {
                        throw .corrupt(path: path, offset: batch.offset + 48, reason: "hash chain broken: the batch does not name the previous batch's SHA-256")
                    }
                    chain = batch.hash()
                    for record in try batch.records(path: path) { try body(record) }
                }
            }
            expected = scanner.nextSequence
        }
    }
}
