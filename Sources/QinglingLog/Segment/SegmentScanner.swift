import Crypto

/// A batch read from a segment whose header and payload checksums are valid.
struct ScannedBatch {
    let offset: Int64
    let header: BatchHeader
    let headerBytes: [UInt8]
    let payload: ArraySlice<UInt8>

    /// The batch's chain hash: SHA-256 of its header and payload.
    func hash() -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: headerBytes)
        hasher.update(data: payload)
        return Array(hasher.finalize())
    }

    /// The batch's records, decompressed and decoded.
    func records(path: String) throws(LogError) -> [LogRecord] {
        switch RecordCodec.decode(try decompressed(path: path), header: header) {
        case .success(let records): return records
        case .failure(let reason):
            throw .corrupt(path: path, offset: offset + Int64(BatchHeader.size), reason: reason.text)
        }
    }

    /// Calls `body` with each record's sequence, recorded time and payload, read in place in the
    /// batch decompressed into `batch` (which no one else holds), copying nothing. A damaged
    /// batch is reported after the records before the damage were visited; callers that must
    /// not act on part of a batch use `records`.
    func forEachPayload(path: String, into batch: DecompressedBatch, _ body: (UInt64, Int64, UnsafeRawBufferPointer) throws(LogError) -> Void) throws(LogError) {
        // The payload's CRC-32C was checked when the batch was read.
        let error = payload.withUnsafeBytes { LZ4Frame.decompress(checked: $0, into: &batch.bytes, expectedCount: Int(header.rawLength)) }
        if let error { throw .corrupt(path: path, offset: offset + Int64(BatchHeader.size), reason: error.reason) }
        let raw = batch.bytes
        var thrown: LogError?
        let failure = raw.withUnsafeBytes { all -> FormatReason? in
            do throws(LogError) {
                return try RecordCodec.forEach(raw, header: header) { index, time, _, payload throws(LogError) in
                    try body(header.baseSequence + UInt64(index), time, UnsafeRawBufferPointer(rebasing: all[payload]))
                }
            } catch {
                thrown = error
                return nil
            }
        }
        if let thrown { throw thrown }
        if let failure { throw .corrupt(path: path, offset: offset + Int64(BatchHeader.size), reason: failure.text) }
    }

    /// The record with `sequence` (which the batch holds), decoding only that one record's keys
    /// and payload; the batch is decompressed and every record's framing checked.
    func record(_ sequence: UInt64, path: String) throws(LogError) -> LogRecord {
        let raw = try decompressed(path: path)
        let wanted = Int(sequence - header.baseSequence)
        var found: LogRecord?
        let failure = RecordCodec.forEach(raw, header: header) { index, time, keyBytes, payload in
            guard index == wanted else { return }
            found = LogRecord(sequence: sequence, recordedAt: time, keys: RecordCodec.keys(raw, keyBytes), payload: Array(raw[payload]))
        }
        if let failure { throw .corrupt(path: path, offset: offset + Int64(BatchHeader.size), reason: failure.text) }
        guard let found else { throw .corrupt(path: path, offset: offset, reason: "the batch does not hold sequence \(sequence)") }
        return found
    }

    private func decompressed(path: String) throws(LogError) -> [UInt8] {
        switch payload.withUnsafeBytes({ LZ4Frame.decompress($0, expectedCount: Int(header.rawLength)) }) {
        case .success(let bytes): return bytes
        case .failure(let error):
            throw .corrupt(path: path, offset: offset + Int64(BatchHeader.size), reason: error.reason)
        }
    }
}

/// What a scan found at its current position.
enum ScanStep {
    /// A valid batch.
    case batch(ScannedBatch)
    /// The segment ends exactly here.
    case end
    /// The bytes from `offset` on are not a valid batch (`incomplete` when the file simply ends
    /// inside a batch). Whether this is a torn tail or corruption is the caller's decision.
    case damaged(offset: Int64, reason: String, incomplete: Bool)
}

/// Reads a segment batch by batch, checking each header and payload checksum, the sequence
/// numbers, the recorded times and the segment's year.
struct SegmentScanner {
    let path: String
    let name: SegmentName
    private var reader: BufferedReader
    private(set) var offset: Int64
    private(set) var nextSequence: UInt64
    private(set) var lastRecordedAt: Int64
    private var sequenceKnown = true

    /// Starts after the segment header, or at `offset` with the given expectations when resuming.
    init(file: any FileHandle, path: String, name: SegmentName, fileSize: Int64,
         offset: Int64 = Int64(SegmentHeader.size), nextSequence: UInt64? = nil, lastRecordedAt: Int64 = .min) {
        self.path = path
        self.name = name
        self.reader = BufferedReader(file: file, fileSize: fileSize)
        self.offset = offset
        self.nextSequence = nextSequence ?? name.baseSequence
        self.lastRecordedAt = lastRecordedAt
    }

    /// Checks the segment header against the file name.
    mutating func readSegmentHeader() throws(LogError) -> ScanStep? {
        let bytes = try reader.bytes(at: 0, count: SegmentHeader.size)
        switch SegmentHeader.decode(Array(bytes)) {
        case .failure(let reason) where reason.unsupportedVersion != nil:
            throw .unsupportedVersion(path: path, found: reason.unsupportedVersion ?? 0, supported: Int(SegmentHeader.version))
        case .failure(let reason):
            return .damaged(offset: 0, reason: reason.text, incomplete: bytes.count < SegmentHeader.size)
        case .success(let header):
            guard header.year == name.year, header.baseSequence == name.baseSequence else {
                throw .corrupt(path: path, offset: 0, reason: "segment header says year \(header.year), base sequence \(header.baseSequence); the file name says otherwise")
            }
            return nil
        }
    }

    /// The next batch, the end, or the damage found.
    mutating func next() throws(LogError) -> ScanStep {
        // A copy: a slice of the reader's window, held while the payload is read, would make the
        // window's refill copy the whole window (megabytes) before reading into it.
        let headerBytes = Array(try reader.bytes(at: offset, count: BatchHeader.size))
        if headerBytes.isEmpty { return .end }
        let header: BatchHeader
        do throws(BatchHeader.HeaderError) {
            header = try BatchHeader.decode(headerBytes)
        } catch {
            switch error {
            case .incomplete:
                return .damaged(offset: offset, reason: "the file ends inside a batch header", incomplete: true)
            case .invalid(let reason):
                return .damaged(offset: offset, reason: reason, incomplete: false)
            case .unsupportedVersion(let version):
                throw .unsupportedVersion(path: path, found: version, supported: Int(BatchHeader.version))
            }
        }
        let payload = try reader.bytes(at: offset + Int64(BatchHeader.size), count: Int(header.payloadLength))
        if payload.count < Int(header.payloadLength) {
            return .damaged(offset: offset, reason: "the file ends inside a batch payload", incomplete: true)
        }
        if CRC32C.checksum(payload) != header.payloadChecksum {
            return .damaged(offset: offset, reason: "batch payload checksum mismatch", incomplete: false)
        }
        if sequenceKnown && header.baseSequence != nextSequence {
            return .damaged(offset: offset, reason: "batch starts at sequence \(header.baseSequence), expected \(nextSequence)", incomplete: false)
        }
        if header.firstRecordedAt <= lastRecordedAt {
            return .damaged(offset: offset, reason: "batch recorded time goes backwards", incomplete: false)
        }
        if ShanghaiTime.year(ofMicroseconds: header.firstRecordedAt) != name.year
            || ShanghaiTime.year(ofMicroseconds: header.lastRecordedAt) != name.year {
            return .damaged(offset: offset, reason: "batch recorded time is outside the segment's year \(name.year)", incomplete: false)
        }
        let batch = ScannedBatch(offset: offset, header: header, headerBytes: headerBytes, payload: payload)
        offset += Int64(header.totalLength)
        nextSequence = header.nextSequence
        lastRecordedAt = header.lastRecordedAt
        return .batch(batch)
    }

    /// The next batch, accepting whatever sequence number it starts at (to probe a batch at an
    /// offset taken from an index).
    mutating func nextIgnoringSequence() throws(LogError) -> ScanStep {
        sequenceKnown = false
        defer { sequenceKnown = true }
        return try next()
    }

    /// Whether damage at `offset` lies in data known durable: some valid batch header after it
    /// says every byte before a point past `offset` had been synced when it was written (or is a
    /// version-1 header, which does not say). Then the damage is corruption of durable data. If
    /// no valid header follows, or none claims that, the damage is an unsynced write lost or
    /// torn at a crash or power cut: a torn tail.
    mutating func durableDataDamaged(at offset: Int64) throws(LogError) -> Bool {
        let fileSize = reader.fileSize
        var position = offset + 1
        let magic = BatchHeader.magic
        while position + Int64(BatchHeader.size) <= fileSize {
            let chunk = try reader.bytes(at: position, count: 1 << 20)
            var index = chunk.startIndex
            while index + 4 <= chunk.endIndex {
                if chunk[index] == magic[0], chunk[index + 1] == magic[1], chunk[index + 2] == magic[2], chunk[index + 3] == magic[3] {
                    let candidate = position + Int64(index - chunk.startIndex)
                    let headerBytes = try reader.bytes(at: candidate, count: BatchHeader.size)
                    if let header = try? BatchHeader.decode(headerBytes), header.durableBytes == 0 || Int64(header.durableBytes) > offset {
                        return true
                    }
                }
                index += 1
            }
            position += Int64(max(1, chunk.count - 3))
        }
        return false
    }
}
