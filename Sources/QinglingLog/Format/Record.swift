/// One record of the log: opaque payload bytes with the stream keys that index it.
///
/// The log never looks inside `payload`. `keys` name the streams the record belongs to (for
/// example a hazard id and an enterprise code); reading a stream's records by key does not scan
/// the log.
public struct Record: Equatable, Sendable {
    public var keys: [String]
    public var payload: [UInt8]

    public init(keys: [String] = [], payload: [UInt8]) {
        self.keys = keys
        self.payload = payload
    }

    /// The bytes the record takes in a batch before compression (`RecordCodec`): its length,
    /// time, key count, keys with their lengths, and payload.
    public var encodedSize: Int { keys.reduce(13 + payload.count) { $0 + 1 + $1.utf8.count } }
}

/// A record as stored: with its sequence number and recorded time.
public struct LogRecord: Equatable, Sendable {
    /// The record's position in the log; the first record of a log has sequence 0.
    public var sequence: UInt64
    /// When the log recorded it, in microseconds since 1970-01-01T00:00:00Z; strictly increasing.
    public var recordedAt: Int64
    public var keys: [String]
    public var payload: [UInt8]

    public init(sequence: UInt64, recordedAt: Int64, keys: [String], payload: [UInt8]) {
        self.sequence = sequence
        self.recordedAt = recordedAt
        self.keys = keys
        self.payload = payload
    }
}

/// The encoding of records inside a batch, before compression:
///
/// ```
/// u32  length of what follows in this record
/// i64  recorded time (microseconds since the Unix epoch)
/// u8   key count K
/// K × (u8 key length L, L bytes of UTF-8)
/// the payload: the rest of the record
/// ```
enum RecordCodec {
    static func encode(_ records: [Record], times: [Int64]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(records.reduce(0) { $0 + $1.encodedSize })
        for (record, time) in zip(records, times) {
            bytes.appendLittleEndian(UInt32(record.encodedSize - 4))
            bytes.appendLittleEndian(time)
            bytes.append(UInt8(record.keys.count))
            for key in record.keys {
                bytes.append(UInt8(key.utf8.count))
                bytes.append(contentsOf: key.utf8)
            }
            bytes.append(contentsOf: record.payload)
        }
        return bytes
    }

    /// Decodes the records of a batch whose header is `header`. Any inconsistency is a reason,
    /// and so is a stream key that is not valid UTF-8 or appears twice in one record (a writer
    /// never writes either, so such bytes are damaged, never repaired into other keys).
    static func decode(_ bytes: [UInt8], header: BatchHeader) -> Result<[LogRecord], FormatReason> {
        checked(bytes, header: header).map { records in records.sequences.map(records.record) }
    }

    /// The records of a batch checked as `decode` checks them, each made into a `LogRecord` only
    /// when asked for (`CheckedRecords.record(_:)`): a look-up by key wants a few records of a
    /// batch of thousands, and copying every payload cost more than the rest of the look-up.
    static func checked(_ bytes: [UInt8], header: BatchHeader) -> Result<CheckedRecords, FormatReason> {
        var times: [Int64] = [], keys: [[String]] = [], payloads: [Range<Int>] = []
        times.reserveCapacity(Int(header.recordCount))
        keys.reserveCapacity(Int(header.recordCount))
        payloads.reserveCapacity(Int(header.recordCount))
        var invalid: FormatReason?
        let failure = forEach(bytes, header: header) { index, time, keyBytes, payload in
            guard invalid == nil else { return }
            guard let recordKeys = validKeys(bytes, keyBytes) else {
                invalid = FormatReason("record \(index) has a stream key that is not valid UTF-8 or appears twice")
                return
            }
            times.append(time)
            keys.append(recordKeys)
            payloads.append(payload)
        }
        if let failure = failure ?? invalid { return .failure(failure) }
        return .success(CheckedRecords(baseSequence: header.baseSequence, bytes: bytes, times: times, keys: keys, payloads: payloads))
    }

    /// The stream keys in `range` of `bytes` (as `forEach` hands them over, their lengths
    /// checked), or `nil` if one is not valid UTF-8 or one appears twice.
    static func validKeys(_ bytes: [UInt8], _ range: Range<Int>) -> [String]? {
        var keys: [String] = []
        var offset = range.lowerBound
        while offset < range.upperBound {
            let keyLength = Int(bytes[offset])
            guard let key = String(validating: bytes[offset + 1..<offset + 1 + keyLength], as: UTF8.self), !keys.contains(key) else { return nil }
            keys.append(key)
            offset += 1 + keyLength
        }
        return keys
    }

    /// Walks the records of a batch, checking everything `decode` checks, without copying
    /// anything: `body` gets each record's index, recorded time, the bytes of its stream keys
    /// (each a length byte and UTF-8) and of its payload, as ranges of `bytes`. Returns the first
    /// inconsistency; records before it have been visited.
    static func forEach<Failure: Error>(_ bytes: [UInt8], header: BatchHeader,
                                       _ body: (Int, Int64, Range<Int>, Range<Int>) throws(Failure) -> Void) throws(Failure) -> FormatReason? {
        var offset = 0
        var previousTime = Int64.min
        var firstTime: Int64?
        for index in 0..<Int(header.recordCount) {
            guard bytes.count - offset >= 4 else { return FormatReason("record \(index) is cut short") }
            let length = Int(readLittleEndian(bytes, at: offset, as: UInt32.self))
            offset += 4
            guard length >= 9, length <= bytes.count - offset else {
                return FormatReason("record \(index) claims \(length) bytes")
            }
            let end = offset + length
            let time: Int64 = readLittleEndian(bytes, at: offset)
            guard time > previousTime, time >= header.firstRecordedAt, time <= header.lastRecordedAt else {
                return FormatReason("record \(index) has a recorded time out of order")
            }
            previousTime = time
            if firstTime == nil { firstTime = time }
            let keyCount = Int(bytes[offset + 8])
            guard keyCount <= LogLimits.maxKeysPerRecord else {
                return FormatReason("record \(index) has \(keyCount) stream keys")
            }
            offset += 9
            let keysStart = offset
            for _ in 0..<keyCount {
                guard offset < end, bytes[offset] > 0, end - offset - 1 >= Int(bytes[offset]) else {
                    return FormatReason("record \(index) has a stream key past its end")
                }
                offset += 1 + Int(bytes[offset])
            }
            guard end - offset <= LogLimits.maxRecordBytes else {
                return FormatReason("record \(index) has a payload over the limit")
            }
            try body(index, time, keysStart..<offset, offset..<end)
            offset = end
        }
        guard offset == bytes.count else { return FormatReason("\(bytes.count - offset) bytes follow the last record") }
        guard let firstTime, firstTime == header.firstRecordedAt, previousTime == header.lastRecordedAt else {
            return FormatReason("record times do not match the header's time range")
        }
        return nil
    }
}

/// Why bytes do not follow the format (the caller adds the file and offset).
struct FormatReason: Error, Equatable {
    let text: String
    /// Set when the bytes are intact but of a format version this program does not read.
    var unsupportedVersion: Int?
    init(_ text: String, unsupportedVersion: Int? = nil) {
        self.text = text
        self.unsupportedVersion = unsupportedVersion
    }
}

/// The records of a decompressed batch, every one checked (`RecordCodec.checked`), each made
/// into a `LogRecord` when asked for.
struct CheckedRecords {
    let baseSequence: UInt64
    fileprivate let bytes: [UInt8]
    fileprivate let times: [Int64]
    fileprivate let keys: [[String]]
    fileprivate let payloads: [Range<Int>]

    /// The sequences of the records, in order.
    var sequences: Range<UInt64> { baseSequence..<baseSequence + UInt64(times.count) }

    /// The stream keys of the record with sequence `sequence`, one of `sequences`.
    func keys(_ sequence: UInt64) -> [String] { keys[Int(sequence - baseSequence)] }

    /// The record with sequence `sequence`, one of `sequences`.
    func record(_ sequence: UInt64) -> LogRecord {
        let index = Int(sequence - baseSequence)
        return LogRecord(sequence: sequence, recordedAt: times[index], keys: keys[index], payload: Array(bytes[payloads[index]]))
    }
}
