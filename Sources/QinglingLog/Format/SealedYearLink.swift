/// `archive/<year>/chain.qllink`: how a sealed year joins the live hash chain.
///
/// A sealed year's records are re-packed into larger batches with a hash chain of their own,
/// so the first batch after the year (live or sealed) names a hash the archive does not
/// contain: the hash of the year's last *live* batch. The link keeps that hash, the sequence
/// after the year and its last recorded time, for the writer (to go on appending) and the
/// verifier (to check the chain across the year). The archive's signed manifest repeats them.
///
/// | Offset | Size | Field |
/// |---|---|---|
/// | 0 | 8 | magic `QLLINK01` |
/// | 8 | 2 | year (u16) |
/// | 10 | 8 | next sequence after the year (u64) |
/// | 18 | 8 | last recorded time of the year (i64, µs) |
/// | 26 | 32 | SHA-256 of the year's last live batch |
/// | 58 | 4 | CRC-32C of bytes `0..<58` |
public struct SealedYearLink: Equatable, Sendable {
    public static let fileName = "chain.qllink"
    static let magic: [UInt8] = Array("QLLINK01".utf8)
    public static let size = 62

    public var year: Int
    public var nextSequence: UInt64
    public var lastRecordedAt: Int64
    public var lastLiveBatchHash: [UInt8]

    public init(year: Int, nextSequence: UInt64, lastRecordedAt: Int64, lastLiveBatchHash: [UInt8]) {
        self.year = year
        self.nextSequence = nextSequence
        self.lastRecordedAt = lastRecordedAt
        self.lastLiveBatchHash = lastLiveBatchHash
    }

    public func encoded() -> [UInt8] {
        var bytes = Self.magic
        bytes.appendLittleEndian(UInt16(truncatingIfNeeded: year))
        bytes.appendLittleEndian(nextSequence)
        bytes.appendLittleEndian(lastRecordedAt)
        bytes += lastLiveBatchHash
        bytes.appendLittleEndian(CRC32C.checksum(bytes))
        return bytes
    }

    /// Reads the link of sealed year `year`; any damage is corruption of that file.
    public static func read(_ year: Int, layout: LogLayout, fileSystem: any FileSystem) throws(LogError) -> SealedYearLink {
        let path = layout.link(year)
        let file = try fileSystem.openForReading(path)
        defer { file.close() }
        return try decode(try file.read(at: 0, count: size + 1), year: year, path: path)
    }

    /// The link of sealed year `year` in `bytes` (read from `path`), checked: its size, magic and
    /// checksum, its year, a next sequence after at least one event, and a last recorded time in
    /// that year (what the writer goes on from, so any `Int64` there must be refused, not added to).
    public static func decode(_ bytes: [UInt8], year: Int, path: String) throws(LogError) -> SealedYearLink {
        guard bytes.count == size, Array(bytes[0..<8]) == magic else {
            throw .corrupt(path: path, offset: 0, reason: "not a sealed-year link (\(bytes.count) bytes, expected \(size) starting QLLINK01)")
        }
        guard readLittleEndian(bytes, at: 58, as: UInt32.self) == CRC32C.checksum(bytes[0..<58]) else {
            throw .corrupt(path: path, offset: 58, reason: "link checksum mismatch")
        }
        let link = SealedYearLink(year: Int(readLittleEndian(bytes, at: 8, as: UInt16.self)), nextSequence: readLittleEndian(bytes, at: 10, as: UInt64.self),
                                  lastRecordedAt: readLittleEndian(bytes, at: 18, as: Int64.self), lastLiveBatchHash: Array(bytes[26..<58]))
        guard link.year == year else { throw .corrupt(path: path, offset: 8, reason: "link names year \(link.year), not \(year)") }
        guard link.nextSequence > 0 else { throw .corrupt(path: path, offset: 10, reason: "link says the year ends before sequence 0") }
        guard ShanghaiTime.year(ofMicroseconds: link.lastRecordedAt) == year else {
            throw .corrupt(path: path, offset: 18, reason: "link's last recorded time \(link.lastRecordedAt) is not in \(year)")
        }
        return link
    }
}
