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
        escaped(value.utf8)
    }

    /// UTF-8 bytes already formed (a JSON document), escaped as text.
    mutating func escaped(utf8 value: [UInt8]) {
        separate()
        escaped(value)
    }

    mutating func integer<I: BinaryInteger>(_ value: I) {
        separate()
        var digits = value.magnitude
        var reversed: [UInt8] = []
        repeat {
            reversed.append(0x30 + UInt8(digits % 10))
            digits /= 10
        } while digits != 0
        if value < 0 { bytes.append(0x2D) }
        bytes.append(contentsOf: reversed.reversed())
    }

    mutating func bytea(_ value: [UInt8]) {
        separate()
        // `\x` written as `\\x`: the text format unescapes the backslash first.
        bytes.append(contentsOf: [0x5C, 0x5C, 0x78])
        bytes.reserveCapacity(bytes.count + value.count * 2)
        for byte in value {
            bytes.append(Self.hexDigit(byte >> 4))
            bytes.append(Self.hexDigit(byte & 0x0F))
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 + nibble : 0x57 + nibble }

    mutating func endRow() {
        bytes.append(0x0A)
        fieldsInRow = 0
        count += 1
    }

    private mutating func separate() {
        if fieldsInRow > 0 { bytes.append(0x09) }
        fieldsInRow += 1
    }

    /// Appends `value` escaped, copying the runs between bytes to escape whole.
    private mutating func escaped<Bytes: Collection<UInt8>>(_ value: Bytes) {
        bytes.reserveCapacity(bytes.count + value.count)
        var runStart = value.startIndex
        var index = value.startIndex
        while index != value.endIndex {
            let escape: UInt8
            switch value[index] {
            case 0x5C: escape = 0x5C
            case 0x09: escape = 0x74
            case 0x0A: escape = 0x6E
            case 0x0D: escape = 0x72
            default:
                value.formIndex(after: &index)
                continue
            }
            bytes.append(contentsOf: value[runStart..<index])
            bytes.append(0x5C)
            bytes.append(escape)
            value.formIndex(after: &index)
            runStart = index
        }
        bytes.append(contentsOf: value[runStart..<index])
    }
}
