/// Rows in the text format of PostgreSQL's `COPY … FROM STDIN`: fields separated by tabs,
/// rows ended by newlines, `\N` for NULL, backslash escapes for backslash, tab, newline and
/// carriage return; `bytea` as `\x` and hex digits.
struct CopyRows {
    private(set) var bytes: [UInt8] = []
    private var fieldsInRow = 0
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    mutating func text(_ value: String?) {
        separate()
        guard let value else { return bytes.append(contentsOf: [0x5C, 0x4E]) }
        escaped(Array(value.utf8))
    }

    /// UTF-8 bytes already formed (a JSON document), escaped as text.
    mutating func escaped(utf8 value: [UInt8]) {
        separate()
        escaped(value)
    }

    mutating func integer<I: BinaryInteger>(_ value: I) {
        separate()
        bytes.append(contentsOf: Array(String(value).utf8))
    }

    mutating func bytea(_ value: [UInt8]) {
        separate()
        // `\x` written as `\\x`: the text format unescapes the backslash first.
        bytes.append(contentsOf: [0x5C, 0x5C, 0x78])
        let digits = Array("0123456789abcdef".utf8)
        bytes.reserveCapacity(bytes.count + value.count * 2)
        for byte in value {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
    }

    mutating func endRow() {
        bytes.append(0x0A)
        fieldsInRow = 0
        count += 1
    }

    private mutating func separate() {
        if fieldsInRow > 0 { bytes.append(0x09) }
        fieldsInRow += 1
    }

    private mutating func escaped(_ value: [UInt8]) {
        for byte in value {
            switch byte {
            case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x09: bytes.append(contentsOf: [0x5C, 0x74])
            case 0x0A: bytes.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: bytes.append(contentsOf: [0x5C, 0x72])
            default: bytes.append(byte)
            }
        }
    }
}
