import QinglingEvents

/// Reads a checkpoint's fields (`BinaryReader`'s encoding) from bytes it does not own (a read
/// section's array, or the file's mapping: `CheckpointInput`), telling what is wrong as a
/// `CheckpointDamage`.
struct CheckpointReader {
    private var input: SpanReader
    /// Where `input`'s bytes start in the file: offsets are the file's.
    private let base: Int

    /// Reads `bytes`, which lie at `fileOffset` in the file and outlive the reader.
    init(_ bytes: UnsafeRawBufferPointer, at fileOffset: Int) {
        input = SpanReader(bytes)
        base = fileOffset
    }

    /// `body` of a reader of `bytes`, which lie at `fileOffset` in the file.
    static func reading<T>(_ bytes: ArraySlice<UInt8>, at fileOffset: Int,
                           _ body: (inout CheckpointReader) throws(CheckpointDamage) -> T) throws(CheckpointDamage) -> T {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(CheckpointDamage) in
                var reader = CheckpointReader(raw, at: fileOffset)
                return try body(&reader)
            }
        }.get()
    }

    var offset: Int { base + input.offset }
    var isAtEnd: Bool { input.offset == input.bytes.count }
    var remaining: Int { input.bytes.count - input.offset }

    /// A field read by `read`; a field that does not read is damage at its offset.
    private mutating func field<T>(_ read: (inout SpanReader) throws(EventDecodingError) -> T) throws(CheckpointDamage) -> T {
        let start = offset
        do throws(EventDecodingError) { return try read(&input) } catch { throw .unreadableField(offset: start) }
    }

    mutating func byte() throws(CheckpointDamage) -> UInt8 { try field { r throws(EventDecodingError) in try r.byte() } }
    mutating func unsigned() throws(CheckpointDamage) -> UInt64 { try field { r throws(EventDecodingError) in try r.unsigned() } }
    mutating func signed() throws(CheckpointDamage) -> Int64 { try field { r throws(EventDecodingError) in try r.signed() } }
    mutating func date() throws(CheckpointDamage) -> CalendarDate { try field { r throws(EventDecodingError) in try r.date() } }

    /// Bytes after their length, as they lie. (Not `SpanReader.span()`: its spans are 32-bit,
    /// for events, and a section may be larger.)
    private mutating func span() throws(CheckpointDamage) -> UnsafeRawBufferPointer {
        let start = offset
        let length = try unsigned()
        guard length <= UInt64(remaining) else { throw .unreadableField(offset: start) }
        return try unprefixed(Int(length))
    }

    mutating func string() throws(CheckpointDamage) -> String {
        let start = offset
        guard let text = String(validatingUTF8Bytes: try span()) else { throw .unreadableField(offset: start) }
        return text
    }

    /// A count, then as many strings.
    mutating func strings() throws(CheckpointDamage) -> [String] {
        let start = offset
        let count = try unsigned()
        guard count <= UInt64(remaining) else { throw .unreadableField(offset: start) }
        var values: [String] = []
        for _ in 0..<count { values.append(try string()) }
        return values
    }

    /// A vocabulary value as its position in `allCases` (`BinaryWriter.code(_:)`).
    mutating func code<T: CaseIterable>(_ type: T.Type) throws(CheckpointDamage) -> T where T.AllCases.Index == Int {
        let start = offset
        let index = Int(try byte()), all = T.allCases
        guard index < all.count else { throw .unreadableField(offset: start) }
        return all[all.startIndex + index]
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
        let (count, values) = try arrayInPlace(of: type)
        return [T](unsafeUninitializedCapacity: EngineTuning.checkpointRoom(for: count)) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: values)
            initialized = count
        }
    }

    /// An array of plain values as `BinaryWriter.array(_:)` wrote it, left where it lies: its
    /// count and its values' bytes (not aligned: read them with `loadUnaligned`), as long-lived
    /// as the reader's bytes.
    mutating func arrayInPlace<T: BitwiseCopyable>(of type: T.Type) throws(CheckpointDamage) -> (count: Int, bytes: UnsafeRawBufferPointer) {
        let count = try arrayCount(of: type)
        return (count, try unprefixed(count * MemoryLayout<T>.stride))
    }

    /// The next `count` bytes, as they lie.
    private mutating func unprefixed(_ count: Int) throws(CheckpointDamage) -> UnsafeRawBufferPointer {
        guard count <= remaining else { throw .unreadableField(offset: offset) }
        defer { input.offset += count }
        return UnsafeRawBufferPointer(rebasing: input.bytes[input.offset..<input.offset + count])
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
        let values = try unprefixed(count * MemoryLayout<T>.stride)
        if count > 0 { UnsafeMutableRawBufferPointer(destination).copyMemory(from: values) }
    }

    /// 8 little-endian bytes (`BinaryWriter.overwrite(_:at:)`).
    mutating func fixed64() throws(CheckpointDamage) -> UInt64 {
        let bytes = try unprefixed(8)
        return (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[$1]) << (8 * UInt64($1)) }
    }

    /// Raw bytes after their length (`BinaryWriter.rawBytes(_:)`).
    mutating func rawBytes() throws(CheckpointDamage) -> [UInt8] { Array(try span()) }

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
