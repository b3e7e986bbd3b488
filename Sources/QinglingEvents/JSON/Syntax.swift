/// The syntax of identifiers in the interchange form (the same rules as `schemas/`), checked
/// with ASCII-only matching.
public enum Syntax {
    static func isDigits<C: Collection<UInt8>>(_ bytes: C, count: ClosedRange<Int>) -> Bool {
        count.contains(bytes.count) && bytes.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// `^[A-Za-z0-9][A-Za-z0-9._:-]*$`, 1 to 64 characters.
    public static func isEventId(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...64).contains(bytes.count), let first = bytes.first, isAlphanumeric(first) else { return false }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "-") }
    }

    /// `^[A-Z]{2,8}-\d{4}-\d{4,6}$`, e.g. `LX-2024-0031`.
    public static func isHazardId(_ text: String) -> Bool {
        let parts = Array(text.utf8).split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        return parts.count == 3 && (2...8).contains(parts[0].count)
            && parts[0].allSatisfy { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
            && isDigits(parts[1], count: 4...4) && isDigits(parts[2], count: 4...6)
    }

    /// `^JB-\d{4}-\d{4,6}$`, e.g. `JB-2024-0007`.
    public static func isTipOffId(_ text: String) -> Bool {
        let parts = Array(text.utf8).split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        return parts.count == 3 && Array(parts[0]) == Array("JB".utf8)
            && isDigits(parts[1], count: 4...4) && isDigits(parts[2], count: 4...6)
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
    }
}

/// Field lengths, in Unicode scalars, as in `schemas/common.schema.json`.
enum FieldLength {
    static let identifier = 64
    static let organizationName = 100
    static let personName = 50
    static let region = 30
    static let industry = 20
    static let criterionClause = 200
    static let text = 2000
    static let caseNumber = 64
    static let maxHazardIds = 200
    /// The largest amount of money, in fen (10^15 fen = 10 trillion yuan).
    static let maxFen: Int64 = 1_000_000_000_000_000
}
