/// The 32-byte header at the start of every segment file. See `docs/format.md`.
///
/// ```
/// offset size field
///  0      8  magic "QLSEGMNT"
///  8      2  format version (2: the writer appends a sync mark after every sync; 1 is read too)
/// 10      2  year of recorded time (Asia/Shanghai) that every batch of the segment falls in
/// 12      4  reserved, zero
/// 16      8  base sequence: the sequence number of the segment's first record
/// 24      4  reserved, zero
/// 28      4  CRC-32C of bytes 0..<28
/// ```
public struct SegmentHeader: Equatable, Sendable {
    public static let size = 32
    public static let magic: [UInt8] = Array("QLSEGMNT".utf8)
    /// The version written.
    public static let version: UInt16 = 2
    /// The versions this program reads.
    public static let readableVersions: ClosedRange<UInt16> = 1...2

    public var year: Int
    public var baseSequence: UInt64
    public var version: UInt16

    public init(year: Int, baseSequence: UInt64, version: UInt16 = SegmentHeader.version) {
        self.year = year
        self.baseSequence = baseSequence
        self.version = version
    }

    /// Whether the segment's writer appended a sync mark after every sync (version 2): then
    /// damage that no later mark or batch declares synced was never acknowledged (a torn tail).
    /// In a version-1 segment nothing tells, so such damage is ambiguous.
    public var marksEverySync: Bool { version >= 2 }

    public func encoded() -> [UInt8] {
        var bytes = Self.magic
        bytes.appendLittleEndian(version)
        bytes.appendLittleEndian(UInt16(year))
        bytes.appendLittleEndian(UInt32(0))
        bytes.appendLittleEndian(baseSequence)
        bytes.appendLittleEndian(UInt32(0))
        bytes.appendLittleEndian(CRC32C.checksum(bytes))
        return bytes
    }

    static func decode(_ bytes: [UInt8]) -> Result<SegmentHeader, FormatReason> {
        guard bytes.count >= size else { return .failure(FormatReason("segment header is incomplete")) }
        guard bytes[0..<8].elementsEqual(magic) else { return .failure(FormatReason("no segment magic \"QLSEGMNT\"")) }
        guard CRC32C.checksum(bytes[0..<28]) == readLittleEndian(bytes, at: 28, as: UInt32.self) else {
            return .failure(FormatReason("segment header checksum mismatch"))
        }
        let version: UInt16 = readLittleEndian(bytes, at: 8)
        guard readableVersions.contains(version) else {
            return .failure(FormatReason("segment format version \(version)", unsupportedVersion: Int(version)))
        }
        guard readLittleEndian(bytes, at: 12, as: UInt32.self) == 0, readLittleEndian(bytes, at: 24, as: UInt32.self) == 0 else {
            return .failure(FormatReason("reserved segment header bytes are not zero"))
        }
        return .success(SegmentHeader(
            year: Int(readLittleEndian(bytes, at: 10, as: UInt16.self)),
            baseSequence: readLittleEndian(bytes, at: 16), version: version))
    }
}

/// The name of a segment file, `<year>-<base sequence, 20 digits>.qlseg`, and of the files
/// derived from it.
public struct SegmentName: Hashable, Comparable, Sendable {
    public static let suffix = ".qlseg"

    public var year: Int
    public var baseSequence: UInt64
    /// Whether the segment belongs to a sealed year (it lives in `archive/<year>/`, not in
    /// `segments/`).
    public var sealed: Bool

    public init(year: Int, baseSequence: UInt64, sealed: Bool = false) {
        self.year = year
        self.baseSequence = baseSequence
        self.sealed = sealed
    }

    /// Parses a file name; `nil` for anything that is not a segment name.
    public init?(fileName: String) {
        guard fileName.hasSuffix(Self.suffix) else { return nil }
        let stem = fileName.dropLast(Self.suffix.count)
        let parts = stem.split(separator: "-")
        let isDigit: (Character) -> Bool = { $0.isASCII && $0.isNumber }
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 20,
              parts[0].allSatisfy(isDigit), parts[1].allSatisfy(isDigit),
              let year = Int(parts[0]), let base = UInt64(parts[1]) else { return nil }
        self.init(year: year, baseSequence: base)
    }

    /// `2024-00000000000000001234.qlseg`
    public var fileName: String { stem + Self.suffix }

    /// The name without its extension, shared with the segment's index file.
    public var stem: String {
        let digits = String(baseSequence)
        return "\(year)-" + String(repeating: "0", count: 20 - digits.count) + digits
    }

    public static func < (lhs: SegmentName, rhs: SegmentName) -> Bool {
        (lhs.baseSequence, lhs.year) < (rhs.baseSequence, rhs.year)
    }
}
