/// The 32-byte record the writer appends to a segment after each sync that made new batches
/// durable, and syncs before it acknowledges them. See `docs/format.md` §3.5.
///
/// A valid mark at offset `X` proves that every byte of the segment before `X` had been synced
/// when the mark was written: so damage before a valid mark is damage to acknowledged data,
/// never a torn write, and is never cut automatically.
///
/// ```
/// offset size field
///  0      4  magic "QLSM"
///  4      2  version (1)
///  6      2  flags: bit 0 set when the writer finished the segment here and went on in a
///            later segment starting at the next sequence; other bits zero
///  8      8  synced bytes: the mark's own offset in the segment
/// 16      8  next sequence: the sequence after the last record before the mark
/// 24      4  reserved, zero
/// 28      4  CRC-32C of bytes 0..<28
/// ```
public struct SyncMark: Equatable, Sendable {
    public static let size = 32
    public static let magic: [UInt8] = Array("QLSM".utf8)
    public static let version: UInt16 = 1

    /// Every byte of the segment before this offset was synced; it is also where the mark lies.
    public var syncedBytes: Int64
    /// The sequence number after the last record written before the mark.
    public var nextSequence: UInt64
    /// Whether the writer left the segment here for a later one (flag bit 0): a log whose last
    /// segment ends with such a mark has lost its later segments.
    public var finishesSegment: Bool
    static let flagFinishesSegment: UInt16 = 1

    public init(syncedBytes: Int64, nextSequence: UInt64, finishesSegment: Bool = false) {
        self.syncedBytes = syncedBytes
        self.nextSequence = nextSequence
        self.finishesSegment = finishesSegment
    }

    public func encoded() -> [UInt8] {
        var bytes = Self.magic
        bytes.appendLittleEndian(Self.version)
        bytes.appendLittleEndian(finishesSegment ? Self.flagFinishesSegment : 0)
        bytes.appendLittleEndian(UInt64(syncedBytes))
        bytes.appendLittleEndian(nextSequence)
        bytes.appendLittleEndian(UInt32(0))
        bytes.appendLittleEndian(CRC32C.checksum(bytes))
        return bytes
    }

    /// Whether `bytes` start with the mark's magic (then they are a mark or damage, never a batch).
    static func startsMark<C: Collection<UInt8>>(_ bytes: C) -> Bool where C.Index == Int {
        bytes.count >= 4 && bytes[bytes.startIndex..<bytes.startIndex + 4].elementsEqual(magic)
    }

    /// Decodes and checks a mark read at `offset`: the checksum, version, flags and reserved
    /// bytes, and that it names its own offset.
    static func decode<C: Collection<UInt8>>(_ bytes: C, at offset: Int64) -> Result<SyncMark, FormatReason> where C.Index == Int {
        guard bytes.count >= size else { return .failure(FormatReason("the file ends inside a sync mark")) }
        let start = bytes.startIndex
        guard bytes[start..<start + 4].elementsEqual(magic) else { return .failure(FormatReason("no sync mark magic \"QLSM\"")) }
        guard CRC32C.checksum(bytes[start..<start + 28]) == readLittleEndian(bytes, at: start + 28, as: UInt32.self) else {
            return .failure(FormatReason("sync mark checksum mismatch"))
        }
        let version: UInt16 = readLittleEndian(bytes, at: start + 4)
        guard version == Self.version else { return .failure(FormatReason("sync mark version \(version)", unsupportedVersion: Int(version))) }
        let flags: UInt16 = readLittleEndian(bytes, at: start + 6)
        guard flags & ~flagFinishesSegment == 0 else { return .failure(FormatReason("unknown sync mark flags 0x\(String(flags, radix: 16))")) }
        guard readLittleEndian(bytes, at: start + 24, as: UInt32.self) == 0 else {
            return .failure(FormatReason("reserved sync mark bytes are not zero"))
        }
        let mark = SyncMark(syncedBytes: Int64(bitPattern: readLittleEndian(bytes, at: start + 8, as: UInt64.self)),
                            nextSequence: readLittleEndian(bytes, at: start + 16), finishesSegment: flags & flagFinishesSegment != 0)
        guard mark.syncedBytes == offset else {
            return .failure(FormatReason("sync mark at offset \(offset) says \(mark.syncedBytes) bytes were synced; a mark names its own offset"))
        }
        return .success(mark)
    }
}
