import QinglingEvents

/// Reads a checkpoint's fields (`BinaryReader`'s encoding), telling what is wrong as a
/// `CheckpointDamage`.
struct CheckpointReader {
    private let bytes: ArraySlice<UInt8>
    private var input: BinaryReader
    /// Where `input`'s bytes start in the file: offsets are the file's.
    private let base: Int

    /// Reads `bytes`, which lie at `fileOffset` in the file.
    init(_ bytes: ArraySlice<UInt8>, at fileOffset: Int) {
        self.bytes = bytes
        input = BinaryReader(bytes)
        base = fileOffset
    }

    var offset: Int { base + input.offset }
    var isAtEnd: Bool { input.isAtEnd }
    var remaining: Int { input.remaining }

    /// A field read by `read`; a field that does not read is damage at its offset.
    private mutating func field<T>(_ read: (inout BinaryReader) throws(EventDecodingError) -> T) throws(CheckpointDamage) -> T {
        let start = offset
        do throws(EventDecodingError) { return try read(&input) } catch { throw .unreadableField(offset: start) }
    }

    mutating func byte() throws(CheckpointDamage) -> UInt8 { try field { r throws(EventDecodingError) in try r.byte() } }
    mutating func unsigned() throws(CheckpointDamage) -> UInt64 { try field { r throws(EventDecodingError) in try r.unsigned() } }
    mutating func signed() throws(CheckpointDamage) -> Int64 { try field { r throws(EventDecodingError) in try r.signed() } }
    mutating func date() throws(CheckpointDamage) -> CalendarDate { try field { r throws(EventDecodingError) in try r.date() } }
    mutating func string() throws(CheckpointDamage) -> String { try field { r throws(EventDecodingError) in try r.string() } }
    mutating func strings() throws(CheckpointDamage) -> [String] { try field { r throws(EventDecodingError) in try r.strings() } }

    mutating func code<T: CaseIterable>(_ type: T.Type) throws(CheckpointDamage) -> T where T.AllCases.Index == Int {
        try field { r throws(EventDecodingError) in try r.code(type) }
    }

    /// A value `read` reads after a presence flag, or `nil`.
    mutating func optional<T>(_ read: (inout CheckpointReader) throws(CheckpointDamage) -> T) throws(CheckpointDamage) -> T? {
        let start = offset
        switch try byte() {
        case 0: return nil
        case 1: return try read(&self)
        default: throw .unreadableField(offset: start)
        }
    }

    /// A count of items, each at least one byte: never more than the bytes that remain.
    mutating func count() throws(CheckpointDamage) -> Int {
        let start = offset
        let value = try unsigned()
        guard value <= UInt64(remaining) else { throw .countTooLarge(value, offset: start) }
        return Int(value)
    }

    /// An array of plain values as `BinaryWriter.array(_:)` wrote it: a count, then the values'
    /// bytes as they lie in memory, copied out in one go, into room for a few more
    /// (`EngineTuning.checkpointRoom`).
    mutating func array<T: BitwiseCopyable>(of type: T.Type) throws(CheckpointDamage) -> [T] {
        let count = try arrayCount(of: type)
        return try field { r throws(EventDecodingError) in
            try r.unprefixed(count * MemoryLayout<T>.stride) { raw in
                [T](unsafeUninitializedCapacity: EngineTuning.checkpointRoom(for: count)) { buffer, initialized in
                    UnsafeMutableRawBufferPointer(buffer).copyMemory(from: raw)
                    initialized = count
                }
            }
        }
    }

    /// The count of an array of `type` (`array(of:)`) at `position` in `section`, bytes that lie
    /// at `fileOffset` in the file, checked against the bytes after it; and where its values
    /// start in `section`.
    static func count<T: BitwiseCopyable>(of type: T.Type, in section: UnsafeRawBufferPointer, at position: Int,
                                          fileOffset: Int) throws(CheckpointDamage) -> (count: Int, start: Int) {
        // A varint takes at most 10 bytes: only those are copied to be read.
        var reader = CheckpointReader(Array(section[min(position, section.count)..<min(position + 10, section.count)])[...],
                                      at: fileOffset + position)
        let count = try reader.unsigned()
        let start = reader.offset - fileOffset
        guard count <= UInt64((section.count - start) / MemoryLayout<T>.stride) else { throw .countTooLarge(count, offset: fileOffset + position) }
        return (Int(count), start)
    }

    /// The count of an array of `type` (`array(of:)`), checked against the bytes that remain.
    mutating func arrayCount<T: BitwiseCopyable>(of type: T.Type) throws(CheckpointDamage) -> Int {
        let start = offset
        let count = try unsigned()
        guard count <= UInt64(remaining / MemoryLayout<T>.stride) else { throw .countTooLarge(count, offset: start) }
        return Int(count)
    }

    /// Copies the next `count` values of `type` into `destination` (room for at least as many).
    mutating func copy<T: BitwiseCopyable>(_ count: Int, of type: T.Type, into destination: UnsafeMutableBufferPointer<T>) throws(CheckpointDamage) {
        try field { r throws(EventDecodingError) in
            try r.unprefixed(count * MemoryLayout<T>.stride) { raw in
                if count > 0 { UnsafeMutableRawBufferPointer(destination).copyMemory(from: raw) }
            }
        }
    }

    /// 8 little-endian bytes (`BinaryWriter.overwrite(_:at:)`).
    mutating func fixed64() throws(CheckpointDamage) -> UInt64 {
        try field { r throws(EventDecodingError) in
            try r.unprefixed(8) { raw in (0..<8).reduce(UInt64(0)) { $0 | UInt64(raw[$1]) << (8 * UInt64($1)) } }
        }
    }

    /// Raw bytes after their length (`BinaryWriter.rawBytes(_:)`).
    mutating func rawBytes() throws(CheckpointDamage) -> [UInt8] { try field { r throws(EventDecodingError) in try r.rawBytes() } }

    /// An unsigned varint of at most `limit`.
    mutating func integer(atMost limit: Int) throws(CheckpointDamage) -> Int {
        let start = offset
        let value = try unsigned()
        guard value <= UInt64(max(limit, 0)) else { throw .outOfRange(value, offset: start, limit: UInt64(max(limit, 0)) + 1) }
        return Int(value)
    }

    /// A count or a year: an unsigned varint that fits an `Int`.
    mutating func integer() throws(CheckpointDamage) -> Int {
        let start = offset
        let value = try unsigned()
        guard let integer = Int(exactly: value) else { throw .outOfRange(value, offset: start, limit: UInt64(Int.max)) }
        return integer
    }
}
