/// JSON written straight into bytes, compactly and exactly as `JSONWriter` writes the same
/// document as a `JSONValue` (members in the order written, strings escaped by
/// `JSONWriter.writeString`), without building the value first: what writes the events of an
/// export.
///
/// A member or array element is preceded by a comma unless it is the first of its object or
/// array, which `JSONOutput` tells from the byte before it (`{` or `[`: no value ends with one).
public struct JSONOutput {
    /// What was written.
    public var bytes: [UInt8]

    public init(bytes: [UInt8] = []) { self.bytes = bytes }

    /// `{`
    public mutating func beginObject() { bytes.append(UInt8(ascii: "{")) }
    /// `}`
    public mutating func endObject() { bytes.append(UInt8(ascii: "}")) }

    /// `[`
    public mutating func beginArray() { bytes.append(UInt8(ascii: "[")) }
    /// `]`
    public mutating func endArray() { bytes.append(UInt8(ascii: "]")) }
    /// `,` between two elements of an array that are objects or arrays (which do not separate
    /// themselves, since one may follow a member's name).
    public mutating func comma() { bytes.append(UInt8(ascii: ",")) }

    /// A member's name and its colon; its value follows. `key` is plain ASCII (letters): it is
    /// written as it is, as `JSONWriter` writes such a key.
    public mutating func key(_ key: StaticString) {
        var text = ShortText()
        if needsSeparator { text.append(UInt8(ascii: ",")) }
        text.append(UInt8(ascii: "\""))
        guard key.utf8CodeUnitCount <= 28 else {  // every key of the form is shorter: one append
            text.write(to: &bytes)
            bytes.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
            bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
            return
        }
        for byte in UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount) { text.append(byte) }
        text.append(UInt8(ascii: "\""))
        text.append(UInt8(ascii: ":"))
        text.write(to: &bytes)
    }

    /// A string value.
    public mutating func string(_ text: String) { JSONWriter.writeString(text, to: &bytes) }

    /// An integer value, in decimal.
    public mutating func number(_ value: Int64) { DecimalDigits.write(value, width: 1, to: &bytes) }

    /// An integer value, in decimal.
    public mutating func number(_ value: UInt64) {
        guard value > UInt64(Int64.max) else { return number(Int64(value)) }
        bytes.append(contentsOf: String(value).utf8)
    }

    /// A `YYYY-MM-DD` date, as a string.
    public mutating func date(_ value: CalendarDate) {
        bytes.append(UInt8(ascii: "\""))
        value.write(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// A moment in RFC 3339 (`ShanghaiDateTime.description`), as a string.
    public mutating func dateTime(_ value: ShanghaiDateTime) {
        bytes.append(UInt8(ascii: "\""))
        value.write(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Bytes as a string of lowercase hexadecimal digits (a hash).
    public mutating func hex(_ value: [UInt8]) {
        let count = 2 * value.count + 2
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: count))
        bytes.withUnsafeMutableBufferPointer { all in
            all[start] = UInt8(ascii: "\"")
            for (index, byte) in value.enumerated() {
                all[start + 1 + 2 * index] = Self.hexDigits[Int(byte >> 4)]
                all[start + 2 + 2 * index] = Self.hexDigits[Int(byte & 0xF)]
            }
            all[start + count - 1] = UInt8(ascii: "\"")
        }
    }

    /// An array of strings.
    public mutating func strings(_ values: [String]) {
        bytes.append(UInt8(ascii: "["))
        for value in values {
            separate()
            string(value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private mutating func separate() {
        if needsSeparator { bytes.append(UInt8(ascii: ",")) }
    }

    /// Whether what follows is not the first member or element of its object or array.
    private var needsSeparator: Bool {
        if let last = bytes.last, last != UInt8(ascii: "{"), last != UInt8(ascii: "[") { true } else { false }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}

/// Decimal digits written into bytes, as `String(value)` writes them, zero-padded on the left
/// to `width` (before any minus sign, as a calendar pads a year or a month).
enum DecimalDigits {
    static func write(_ value: Int64, width: Int, to bytes: inout [UInt8]) {
        var text = ShortText()
        text.append(value, width: width)
        text.write(to: &bytes)
    }
}

/// Up to 32 bytes of ASCII built on the stack, then appended to an array at once: the numbers,
/// dates and times of the interchange form, without an append per character.
struct ShortText {
    private var storage: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    private var count = 0

    /// Appends `byte`; past 32 bytes, nothing.
    mutating func append(_ byte: UInt8) {
        assert(count < MemoryLayout.size(ofValue: storage), "ShortText holds 32 bytes")
        guard count < MemoryLayout.size(ofValue: storage) else { return }
        withUnsafeMutableBytes(of: &storage) { $0[count] = byte }
        count += 1
    }

    /// Appends `value` in decimal, zero-padded on the left to `width` (at most 12), before any
    /// minus sign.
    mutating func append(_ value: Int64, width: Int) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 19 digits and a sign
        withUnsafeMutableBytes(of: &digits) { buffer in
            var magnitude = value.magnitude
            var position = buffer.count
            repeat {
                position -= 1
                buffer[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                position -= 1
                buffer[position] = UInt8(ascii: "-")
            }
            for _ in 0..<max(0, min(width, 12) - (buffer.count - position)) { append(UInt8(ascii: "0")) }
            for byte in buffer[position...] { append(byte) }
        }
    }

    /// Appends the bytes built to `bytes`.
    func write(to bytes: inout [UInt8]) {
        withUnsafeBytes(of: storage) { raw in
            raw.withMemoryRebound(to: UInt8.self) { text in bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[..<count])) }
        }
    }
}
