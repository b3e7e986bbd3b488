/// The primitives of the binary stored form: LEB128 varints (unsigned), zigzag for signed
/// values, length-prefixed UTF-8 strings, one-byte presence flags for optional fields.
public struct BinaryWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    public mutating func byte(_ value: UInt8) { bytes.append(value) }

    public mutating func unsigned(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    public mutating func signed(_ value: Int64) { unsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }

    /// A date as its days since 1970-01-01 (`signed`).
    public mutating func date(_ value: CalendarDate) { signed(Int64(value.daysSinceEpoch)) }

    public mutating func string(_ value: String) {
        unsigned(UInt64(value.utf8.count))
        bytes.append(contentsOf: value.utf8)
    }

    /// `buffer`'s bytes as they are, with no length (the reader must know it).
    public mutating func unprefixed(_ buffer: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: buffer)
    }

    /// Writes `value` as 8 little-endian bytes over those at `offset` (written before, as a
    /// place to fill in once known).
    public mutating func overwrite(_ value: UInt64, at offset: Int) {
        for index in 0..<8 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(index))) }
    }

    /// Raw bytes, length-prefixed as a string is.
    public mutating func rawBytes(_ value: [UInt8]) {
        unsigned(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    public mutating func optional<T>(_ value: T?, _ write: (inout BinaryWriter, T) -> Void) {
        if let value {
            byte(1)
            write(&self, value)
        } else {
            byte(0)
        }
    }

    public mutating func strings(_ values: [String]) {
        unsigned(UInt64(values.count))
        for value in values { string(value) }
    }

    /// A vocabulary value as its position in `allCases` (lists only ever grow at the end).
    public mutating func code<T: CaseIterable & Equatable>(_ value: T) where T.AllCases.Index == Int {
        byte(UInt8(T.allCases.firstIndex(of: value).map { $0 - T.allCases.startIndex } ?? 0))
    }
}

/// Reads what `BinaryWriter` wrote, checking every length against the bytes that remain.
public struct BinaryReader: Sendable {
    private let bytes: ArraySlice<UInt8>
    /// The position in `bytes`, counted from its first byte.
    public private(set) var offset = 0

    public init(_ bytes: [UInt8]) { self.init(bytes[...]) }

    public init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    /// The bytes not yet read.
    public var remaining: Int { bytes.count - offset }

    public var isAtEnd: Bool { offset == bytes.count }

    public mutating func byte() throws(EventDecodingError) -> UInt8 {
        guard offset < bytes.count else { throw .endsEarly(at: offset) }
        defer { offset += 1 }
        return bytes[bytes.startIndex + offset]
    }

    public mutating func unsigned() throws(EventDecodingError) -> UInt64 { try withSpanReader { r throws(EventDecodingError) in try r.unsigned() } }

    public mutating func signed() throws(EventDecodingError) -> Int64 { try withSpanReader { r throws(EventDecodingError) in try r.signed() } }

    /// A date within `CalendarDate.storableDays`.
    public mutating func date() throws(EventDecodingError) -> CalendarDate { try withSpanReader { r throws(EventDecodingError) in try r.date() } }

    /// An event's moment within `ShanghaiDateTime.storableMicroseconds`.
    public mutating func occurredAt() throws(EventDecodingError) -> ShanghaiDateTime {
        ShanghaiDateTime(microseconds: try withSpanReader { r throws(EventDecodingError) in try r.occurredAt() })
    }

    /// An expected hazard version within `EventBinaryCodec.expectedVersions`.
    public mutating func expectedVersion() throws(EventDecodingError) -> Int { try withSpanReader { r throws(EventDecodingError) in try r.expectedVersion() } }

    /// Reads with the primitives `EventView` reads with (one definition of a varint), from here on.
    private mutating func withSpanReader<T>(_ read: (inout SpanReader) throws(EventDecodingError) -> T) throws(EventDecodingError) -> T {
        let start = offset
        let (value, end) = try bytes.withUnsafeBytes { raw in
            Result { () throws(EventDecodingError) in
                var reader = SpanReader(raw, at: start)
                return (try read(&reader), reader.offset)
            }
        }.get()
        offset = end
        return value
    }

    public mutating func string() throws(EventDecodingError) -> String {
        let start = offset
        let length = try unsigned()
        guard length <= UInt64(bytes.count - offset) else { throw .runsPastTheEnd(.string, length: length, at: start) }
        let end = offset + Int(length)
        let valid = bytes.withUnsafeBytes { buffer in
            String(validatingUTF8Bytes: UnsafeRawBufferPointer(rebasing: buffer[offset..<end]))
        }
        guard let text = valid else {
            throw .notUTF8(.string, at: offset)
        }
        offset = end
        return text
    }

    /// Calls `body` with the next `count` bytes, as `BinaryWriter.unprefixed(_:)` wrote them,
    /// and reads past them; throws when fewer remain.
    public mutating func unprefixed<R>(_ count: Int, _ body: (UnsafeRawBufferPointer) -> R) throws(EventDecodingError) -> R {
        guard count >= 0, count <= bytes.count - offset else { throw .runsPastTheEnd(.rawBytes, length: UInt64(max(count, 0)), at: offset) }
        defer { offset += count }
        return bytes.withUnsafeBytes { buffer in body(UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + count])) }
    }

    /// Raw bytes, as `BinaryWriter.rawBytes(_:)` wrote them.
    public mutating func rawBytes() throws(EventDecodingError) -> [UInt8] {
        let start = offset
        let length = try unsigned()
        guard length <= UInt64(bytes.count - offset) else { throw .runsPastTheEnd(.rawBytes, length: length, at: start) }
        defer { offset += Int(length) }
        return Array(bytes[bytes.startIndex + offset..<bytes.startIndex + offset + Int(length)])
    }

    public mutating func optional<T>(_ read: (inout BinaryReader) throws(EventDecodingError) -> T) throws(EventDecodingError) -> T? {
        switch try byte() {
        case 0: return nil
        case 1: return try read(&self)
        case let flag: throw .presenceFlag(flag, at: offset - 1)
        }
    }

    public mutating func strings() throws(EventDecodingError) -> [String] {
        let start = offset
        let count = try unsigned()
        guard count <= UInt64(bytes.count - offset) else { throw .runsPastTheEnd(.list, length: count, at: start) }
        var values: [String] = []
        for _ in 0..<count { values.append(try string()) }
        return values
    }

    public mutating func code<T: CaseIterable>(_: T.Type) throws(EventDecodingError) -> T where T.AllCases.Index == Int {
        let index = Int(try byte())
        let all = T.allCases
        guard index < all.count else { throw .unknownCode(vocabulary: "\(T.self)", code: index, at: offset - 1) }
        return all[all.startIndex + index]
    }
}
