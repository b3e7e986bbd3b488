/// The fixed 88-byte header in front of every batch's payload. See `docs/format.md`.
///
/// ```
/// offset size field
///  0      4  magic "QLB1"
///  4      2  format version (3; versions 1 and 2 are read too)
///  6      2  flags: bit 0 set (the payload is an LZ4 frame); bit 1 (version 3) set when the
///            append goes on in the next batch; other bits zero
///  8      8  base sequence: the sequence number of the batch's first record
/// 16      4  record count (at least 1)
/// 20      4  payload length: bytes of the LZ4 frame that follows the header
/// 24      4  raw length: bytes of the records once decompressed
/// 28      4  payload checksum: CRC-32C of the payload bytes
/// 32      8  first recorded time (microseconds since 1970-01-01T00:00:00Z)
/// 40      8  last recorded time
/// 48     32  previous batch hash: SHA-256 of the previous batch's header and payload
/// 80      4  durable bytes: the segment's size known synced when the batch was written
///            (versions 2 and 3; zero, meaning unknown, in version 1)
/// 84      4  header checksum: CRC-32C of bytes 0..<84
/// ```
public struct BatchHeader: Equatable, Sendable {
    public static let size = 88
    public static let magic: [UInt8] = Array("QLB1".utf8)
    public static let version: UInt16 = 3
    /// The versions this program reads.
    public static let readableVersions: ClosedRange<UInt16> = 1...3
    public static let flagLZ4Frame: UInt16 = 1
    /// Set on every batch of a multi-batch append but its last: the append is committed (and
    /// its batches part of the log) only once the batch without it is there.
    public static let flagContinues: UInt16 = 2
    /// Where the previous batch's hash lies in the header (32 bytes).
    public static let previousHashOffset = 48

    public var baseSequence: UInt64
    public var recordCount: UInt32
    public var payloadLength: UInt32
    public var rawLength: UInt32
    public var payloadChecksum: UInt32
    public var firstRecordedAt: Int64
    public var lastRecordedAt: Int64
    public var previousHash: [UInt8]
    /// Every byte of the segment before this offset had been synced when the batch was
    /// written; 0 when unknown (version 1). Recovery uses it to tell an unsynced write lost at a
    /// power cut from damage to durable data.
    public var durableBytes: UInt32
    /// Whether the append this batch belongs to goes on in the next batch (`flagContinues`).
    public var continues: Bool

    /// The sequence number after the batch's last record.
    public var nextSequence: UInt64 { baseSequence + UInt64(recordCount) }

    /// The total bytes of the batch on disk: header and payload.
    public var totalLength: Int { Self.size + Int(payloadLength) }

    public init(
        baseSequence: UInt64, recordCount: UInt32, payloadLength: UInt32, rawLength: UInt32,
        payloadChecksum: UInt32, firstRecordedAt: Int64, lastRecordedAt: Int64, previousHash: [UInt8], durableBytes: UInt32 = 0,
        continues: Bool = false
    ) {
        self.durableBytes = durableBytes
        self.continues = continues
        self.baseSequence = baseSequence
        self.recordCount = recordCount
        self.payloadLength = payloadLength
        self.rawLength = rawLength
        self.payloadChecksum = payloadChecksum
        self.firstRecordedAt = firstRecordedAt
        self.lastRecordedAt = lastRecordedAt
        self.previousHash = previousHash
    }

    /// The header's 88 bytes, checksum included.
    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.size)
        bytes.append(contentsOf: Self.magic)
        bytes.appendLittleEndian(Self.version)
        bytes.appendLittleEndian(Self.flagLZ4Frame | (continues ? Self.flagContinues : 0))
        bytes.appendLittleEndian(baseSequence)
        bytes.appendLittleEndian(recordCount)
        bytes.appendLittleEndian(payloadLength)
        bytes.appendLittleEndian(rawLength)
        bytes.appendLittleEndian(payloadChecksum)
        bytes.appendLittleEndian(firstRecordedAt)
        bytes.appendLittleEndian(lastRecordedAt)
        bytes.append(contentsOf: previousHash)
        bytes.appendLittleEndian(durableBytes)
        bytes.appendLittleEndian(CRC32C.checksum(bytes))
        return bytes
    }

    /// Decodes and checks a header from the first 88 bytes of `bytes`.
    ///
    /// Throws a reason (without a file or offset, which the caller adds) when the bytes are not
    /// a valid header.
    public static func decode<C: Collection<UInt8>>(_ bytes: C) throws(HeaderError) -> BatchHeader where C.Index == Int {
        guard bytes.count >= size else { throw .incomplete }
        let start = bytes.startIndex
        guard bytes[start..<start + 4].elementsEqual(magic) else { throw .invalid("no batch magic \"QLB1\"") }
        let stored: UInt32 = readLittleEndian(bytes, at: start + 84)
        guard CRC32C.checksum(bytes[start..<start + 84]) == stored else { throw .invalid("batch header checksum mismatch") }
        let version: UInt16 = readLittleEndian(bytes, at: start + 4)
        guard readableVersions.contains(version) else { throw .unsupportedVersion(Int(version)) }
        let flags: UInt16 = readLittleEndian(bytes, at: start + 6)
        let knownFlags = version >= 3 ? flagLZ4Frame | flagContinues : flagLZ4Frame
        guard flags & flagLZ4Frame != 0, flags & ~knownFlags == 0 else {
            throw .invalid("unknown batch flags 0x\(String(flags, radix: 16))")
        }
        let durable: UInt32 = readLittleEndian(bytes, at: start + 80)
        guard version >= 2 || durable == 0 else { throw .invalid("reserved header bytes are not zero") }
        let header = BatchHeader(
            baseSequence: readLittleEndian(bytes, at: start + 8),
            recordCount: readLittleEndian(bytes, at: start + 16),
            payloadLength: readLittleEndian(bytes, at: start + 20),
            rawLength: readLittleEndian(bytes, at: start + 24),
            payloadChecksum: readLittleEndian(bytes, at: start + 28),
            firstRecordedAt: readLittleEndian(bytes, at: start + 32),
            lastRecordedAt: readLittleEndian(bytes, at: start + 40),
            previousHash: Array(bytes[start + previousHashOffset..<start + previousHashOffset + 32]), durableBytes: durable,
            continues: flags & flagContinues != 0)
        guard header.recordCount >= 1, header.recordCount <= LogLimits.maxRecordsPerBatch else {
            throw .invalid("record count \(header.recordCount) is outside 1...\(LogLimits.maxRecordsPerBatch)")
        }
        guard header.rawLength <= LogLimits.maxBatchRawBytes,
              header.payloadLength <= LogLimits.maxBatchPayloadBytes
        else { throw .invalid("batch lengths exceed the format's limits") }
        guard header.firstRecordedAt <= header.lastRecordedAt else {
            throw .invalid("first recorded time is after the last")
        }
        return header
    }

    /// Why header bytes were refused.
    public enum HeaderError: Error, Equatable {
        /// Fewer than 88 bytes.
        case incomplete
        /// The bytes are not a valid header, for the reason given.
        case invalid(String)
        /// An intact header of a format version this program does not read.
        case unsupportedVersion(Int)
    }
}
