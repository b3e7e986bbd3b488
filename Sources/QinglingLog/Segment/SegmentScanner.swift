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

    /// The batch's records, decompressed and checked as `records(path:)` checks them, each made
    /// into a `LogRecord` only when asked for.
    func checkedRecords(path: String) throws(LogError) -> CheckedRecords {
        switch RecordCodec.checked(try decompressed(path: path), header: header) {
        case .success(let records): return records
        case .failure(let reason):
            throw .corrupt(path: path, offset: offset + Int64(BatchHeader.size), reason: reason.text)
        }
    }

    /// Calls `body` with each record's sequence, recorded time and payload, read in place in the
    /// batch decompressed into `batch` (which no one else holds), copying nothing. A batch
    /// whose records do not decode is reported before any of its records is visited: a batch
    /// is read whole or not at all, as `records` reads it.
    func forEachPayload(path: String, into batch: DecompressedBatch, _ body: (UInt64, Int64, UnsafeRawBufferPointer) throws(LogError) -> Void) throws(LogError) {
        // The payload's CRC-32C was checked when the batch was read.
        let error = payload.withUnsafeBytes { LZ4Frame.decompress(checked: $0, into: &batch.bytes, expectedCount: Int(header.rawLength)) }
        if let error { throw .corrupt(path: path, offset: offset + Int64(BatchHeader.size), reason: error.reason) }
        let raw = batch.bytes
        // The framing first (lengths and times only: a fraction of the visit).
        if let failure = RecordCodec.forEach(raw, header: header, { (_, _, _, _) throws(Never) in }) {
            throw .corrupt(path: path, offset: offset + Int64(BatchHeader.size), reason: failure.text)
        }
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
    /// A valid batch (of a committed append).
    case batch(ScannedBatch)
    /// The segment ends exactly here.
    case end
    /// The bytes from `offset` on are not a valid batch or sync mark, or are the batches of an
    /// append whose committing batch never follows (`incomplete` when the file simply ends
    /// inside a batch or such an append). Whether this is a torn tail is decided by
    /// `SegmentScanner.classifyDamage(at:)`.
    case damaged(offset: Int64, reason: String, incomplete: Bool)
}

/// What damage at an offset of a segment is (`docs/format.md` §7.2).
public enum DamageKind: String, Equatable, Sendable {
    /// Provably never acknowledged: a write lost or torn at a crash or power cut. Only this is
    /// ever cut automatically.
    case tornTail
    /// A valid batch or sync mark after the damage declares the damaged bytes synced: damage
    /// to acknowledged data.
    case acknowledged
    /// Nothing tells (a version-1 segment, whose writer did not mark its syncs): only
    /// `qingling recover`, after showing what it moves aside, cuts it.
    case ambiguous
}

/// Reads a segment batch by batch, checking each header and payload checksum, the sequence
/// numbers, the recorded times and the segment's year; sync marks are checked and stepped
/// over, and the batches of a multi-batch append are returned only once its committing batch
/// is found.
struct SegmentScanner {
    let path: String
    let name: SegmentName
    private var reader: BufferedReader
    private(set) var offset: Int64
    private(set) var nextSequence: UInt64
    private(set) var lastRecordedAt: Int64
    /// The segment header, once `readSegmentHeader` has read it.
    private(set) var header: SegmentHeader?
    private var sequenceKnown = true
    /// Batches before this offset belong to an append whose committing batch was found.
    private var committedThrough: Int64 = 0
    /// Set on the copy that looks ahead for a committing batch, which itself looks no further.
    private var lookingAhead = false
    /// Whether the last thing read was a sync mark by which the writer finished the segment
    /// (then the log goes on in a later segment).
    private(set) var finishedByWriter = false

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

    /// The size of the file as this scanner sees it.
    var fileSize: Int64 { reader.fileSize }

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
            self.header = header
            return nil
        }
    }

    /// The next batch, the end, or the damage found. Sync marks on the way are checked and
    /// stepped over.
    mutating func next() throws(LogError) -> ScanStep {
        while true {
            let magic = try reader.bytes(at: offset, count: 4)
            guard SyncMark.startsMark(magic) else { break }
            let bytes = try reader.bytes(at: offset, count: SyncMark.size)
            switch SyncMark.decode(bytes, at: offset) {
            case .failure(let reason) where reason.unsupportedVersion != nil:
                throw .unsupportedVersion(path: path, found: reason.unsupportedVersion ?? 0, supported: Int(SyncMark.version))
            case .failure(let reason):
                return .damaged(offset: offset, reason: reason.text, incomplete: bytes.count < SyncMark.size)
            case .success(let mark) where sequenceKnown && mark.nextSequence != nextSequence:
                return .damaged(offset: offset, reason: "sync mark says the next sequence is \(mark.nextSequence), expected \(nextSequence)", incomplete: false)
            case .success(let mark):
                offset += Int64(SyncMark.size)
                finishedByWriter = mark.finishesSegment
            }
        }
        let (start, startSequence, startTime) = (offset, nextSequence, lastRecordedAt)
        let step = try nextBatch()
        if case .batch = step { finishedByWriter = false }
        guard case .batch(let batch) = step, batch.header.continues, batch.offset >= committedThrough, !lookingAhead else { return step }
        defer {
            // An uncommitted append is not read: the scanner stays in front of it.
            if offset > start, committedThrough <= start { (offset, nextSequence, lastRecordedAt) = (start, startSequence, startTime) }
        }
        // A batch of a multi-batch append: returned only if the append's last batch follows.
        var ahead = self
        ahead.lookingAhead = true
        while true {
            switch try ahead.next() {
            case .batch(let later) where later.header.continues:
                continue
            case .batch:
                committedThrough = ahead.offset
                return step
            case .end:
                return .damaged(offset: batch.offset, reason: "the batches of an append from sequence \(batch.header.baseSequence) end without the batch that commits them", incomplete: true)
            case let .damaged(damageOffset, reason, _):
                return .damaged(offset: batch.offset, reason: "an append from sequence \(batch.header.baseSequence) was never committed: at offset \(damageOffset), \(reason)", incomplete: true)
            }
        }
    }

    private mutating func nextBatch() throws(LogError) -> ScanStep {
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

    /// Whether damage at `offset` is a torn tail, damage to acknowledged data, or ambiguous
    /// (`docs/format.md` §7.2). It is damage to acknowledged data when, at any position after
    /// it, a valid batch header says more than `offset` bytes had been synced when it was
    /// written (or is of version 1, which does not say), or a valid sync mark lies there (every
    /// byte before a mark was synced). Otherwise it is a torn tail in a segment whose writer
    /// marks every sync, and ambiguous in one whose writer did not. A damaged segment header is
    /// never a torn tail: a segment appears under its name only with a synced header.
    mutating func classifyDamage(at offset: Int64) throws(LogError) -> DamageKind {
        guard offset >= Int64(SegmentHeader.size) else { return .acknowledged }
        if header == nil, case .damaged = try readSegmentHeader() { return .acknowledged }
        guard let header else { return .acknowledged }
        let fileSize = reader.fileSize
        var position = offset + 1
        let batchMagic = BatchHeader.magic
        let markMagic = SyncMark.magic
        while position + 4 <= fileSize {
            let chunk = try reader.bytes(at: position, count: 1 << 20)
            var index = chunk.startIndex
            while index + 4 <= chunk.endIndex {
                let candidate = position + Int64(index - chunk.startIndex)
                if chunk[index] == batchMagic[0], chunk[index + 1] == batchMagic[1], chunk[index + 2] == batchMagic[2], chunk[index + 3] == batchMagic[3] {
                    let headerBytes = try reader.bytes(at: candidate, count: BatchHeader.size)
                    if let batch = try? BatchHeader.decode(headerBytes), batch.durableBytes == 0 || Int64(batch.durableBytes) > offset {
                        return .acknowledged
                    }
                } else if chunk[index] == markMagic[0], chunk[index + 1] == markMagic[1], chunk[index + 2] == markMagic[2], chunk[index + 3] == markMagic[3] {
                    if case .success = SyncMark.decode(try reader.bytes(at: candidate, count: SyncMark.size), at: candidate) {
                        return .acknowledged
                    }
                }
                index += 1
            }
            position += Int64(max(1, chunk.count - 3))
        }
        return header.marksEverySync ? .tornTail : .ambiguous
    }
}
