import QinglingLog

/// An index file (`docs/format.md` §6) taken apart into its fields, to be changed and put
/// together again with every checksum recomputed: how the tests and the index fuzzer craft
/// indexes that a reader cannot tell from written ones by their checksums.
public struct IndexImage: Equatable, Sendable {
    public struct SparseEntry: Equatable, Sendable {
        public var sequence: UInt64
        public var offset: Int64
        public init(sequence: UInt64, offset: Int64) { (self.sequence, self.offset) = (sequence, offset) }
    }
    public struct DirectoryEntry: Equatable, Sendable {
        public var firstKeyHash: UInt64
        public var count: UInt32
        public init(firstKeyHash: UInt64, count: UInt32) { (self.firstKeyHash, self.count) = (firstKeyHash, count) }
    }
    public struct StreamEntry: Comparable, Sendable {
        public var keyHash: UInt64
        public var sequence: UInt64
        public static func < (a: StreamEntry, b: StreamEntry) -> Bool { (a.keyHash, a.sequence) < (b.keyHash, b.sequence) }
    }

    /// The 104 header bytes; the counts (S, B, E) and the checksum are written by `encoded()`.
    public var header: [UInt8]
    public var sparse: [SparseEntry]
    public var directory: [DirectoryEntry]
    /// The stream entries of every block, back to back.
    public var entries: [StreamEntry]

    static let headerSize = 104

    /// Takes an index file apart; `nil` when its counts do not fit its length.
    public init?(_ bytes: [UInt8]) {
        guard bytes.count >= Self.headerSize + 8 else { return nil }
        let sparseCount = Int(Self.read(bytes, at: 12, as: UInt32.self))
        let blockCount = Int(Self.read(bytes, at: 56, as: UInt32.self))
        let entryCount = Int(Self.read(bytes, at: 60, as: UInt32.self))
        guard bytes.count == Self.headerSize + 8 + 16 * (sparseCount + blockCount + entryCount) else { return nil }
        header = Array(bytes[0..<Self.headerSize])
        let directoryStart = Self.headerSize + 16 * sparseCount + 4
        let blocksStart = directoryStart + 16 * blockCount + 4
        sparse = (0..<sparseCount).map {
            SparseEntry(sequence: Self.read(bytes, at: Self.headerSize + 16 * $0), offset: Self.read(bytes, at: Self.headerSize + 16 * $0 + 8))
        }
        directory = (0..<blockCount).map {
            DirectoryEntry(firstKeyHash: Self.read(bytes, at: directoryStart + 16 * $0), count: Self.read(bytes, at: directoryStart + 16 * $0 + 8))
        }
        entries = (0..<entryCount).map {
            StreamEntry(keyHash: Self.read(bytes, at: blocksStart + 16 * $0), sequence: Self.read(bytes, at: blocksStart + 16 * $0 + 8))
        }
    }

    /// The header's fields a crafted index may lie about.
    public var baseSequence: UInt64 { get { field(16) } set { setField(16, newValue) } }
    public var nextSequence: UInt64 { get { field(24) } set { setField(24, newValue) } }
    public var coveredBytes: Int64 { get { field(32) } set { setField(32, newValue) } }
    public var lastBatchOffset: Int64 { get { field(40) } set { setField(40, newValue) } }
    public var lastRecordedAt: Int64 { get { field(48) } set { setField(48, newValue) } }

    /// The entries cut into blocks of 256 again, each directory entry naming its block's first
    /// key hash (as the writer does): after entries were added or removed.
    public mutating func reblock() {
        directory = stride(from: 0, to: entries.count, by: 256).map {
            DirectoryEntry(firstKeyHash: entries[$0].keyHash, count: UInt32(min(256, entries.count - $0)))
        }
    }

    /// The file's bytes, with the counts taken from the sections and every checksum recomputed.
    public func encoded() -> [UInt8] {
        var bytes = header
        Self.write(UInt32(sparse.count), into: &bytes, at: 12)
        Self.write(UInt32(directory.count), into: &bytes, at: 56)
        Self.write(UInt32(entries.count), into: &bytes, at: 60)
        for entry in sparse { Self.append(entry.sequence, to: &bytes); Self.append(entry.offset, to: &bytes) }
        Self.append(UInt32(0), to: &bytes)
        for entry in directory {
            Self.append(entry.firstKeyHash, to: &bytes)
            Self.append(entry.count, to: &bytes)
            Self.append(UInt32(0), to: &bytes)
        }
        Self.append(UInt32(0), to: &bytes)
        for entry in entries { Self.append(entry.keyHash, to: &bytes); Self.append(entry.sequence, to: &bytes) }
        return Self.withChecksumsFixed(bytes)
    }

    /// `bytes` with every checksum an index reader checks recomputed, as far as the counts the
    /// bytes hold lay out sections that fit in them: the header's, the sparse section's, each
    /// block's (by the directory's counts) and the directory's. Other bytes are kept as they are.
    public static func withChecksumsFixed(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= headerSize else { return bytes }
        var fixed = bytes
        write(CRC32C.checksum(fixed[0..<100]), into: &fixed, at: 100)
        let sparseBytes = 16 * Int(read(fixed, at: 12, as: UInt32.self))
        guard fixed.count >= headerSize + sparseBytes + 4 else { return fixed }
        write(CRC32C.checksum(fixed[headerSize..<headerSize + sparseBytes]), into: &fixed, at: headerSize + sparseBytes)
        let directoryStart = headerSize + sparseBytes + 4
        let blockCount = Int(read(fixed, at: 56, as: UInt32.self))
        guard fixed.count >= directoryStart + 16 * blockCount + 4 else { return fixed }
        var blockStart = directoryStart + 16 * blockCount + 4
        for block in 0..<blockCount {
            let entry = directoryStart + 16 * block
            let blockBytes = 16 * Int(read(fixed, at: entry + 8, as: UInt32.self))
            guard fixed.count >= blockStart + blockBytes else { break }
            write(CRC32C.checksum(fixed[blockStart..<blockStart + blockBytes]), into: &fixed, at: entry + 12)
            blockStart += blockBytes
        }
        write(CRC32C.checksum(fixed[directoryStart..<directoryStart + 16 * blockCount]), into: &fixed, at: directoryStart + 16 * blockCount)
        return fixed
    }

    private func field<T: FixedWidthInteger>(_ offset: Int) -> T { Self.read(header, at: offset) }
    private mutating func setField<T: FixedWidthInteger>(_ offset: Int, _ value: T) { Self.write(value, into: &header, at: offset) }

    static func read<T: FixedWidthInteger>(_ bytes: [UInt8], at offset: Int, as _: T.Type = T.self) -> T {
        (0..<MemoryLayout<T>.size).reduce(T(0)) { $0 | T(truncatingIfNeeded: bytes[offset + $1]) << (8 * $1) }
    }

    static func write<T: FixedWidthInteger>(_ value: T, into bytes: inout [UInt8], at offset: Int) {
        for index in 0..<MemoryLayout<T>.size { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
    }

    static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        for index in 0..<MemoryLayout<T>.size { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * index))) }
    }
}
