/// The unified social credit code (统一社会信用代码) of GB 32100-2015: 18 characters from
/// `0-9 A-H J-N P Q R T U W X Y`, characters 3–8 digits (the administrative division), and a
/// check character computed from the first 17 with weights 3^i mod 31.
public enum CreditCode {
    static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// Why `code` is not a valid credit code, in English, or `nil` when it is.
    public static func problem(_ code: String) -> String? { check(code)?.description }

    /// Why `code` is not a valid credit code, or `nil` when it is.
    public static func check(_ code: String) -> Problem? {
        let bytes = Array(code.utf8)
        guard bytes.count == 18 else { return .length(code.count) }
        var values: [Int] = []
        for (index, byte) in bytes.enumerated() {
            guard let value = alphabet.firstIndex(of: byte) else { return .character(position: index + 1) }
            if (2...7).contains(index) && value > 9 { return .divisionNotDigits }
            values.append(value)
        }
        let expected = checkCharacter(values[0..<17])
        guard values[17] == expected else {
            return .checkCharacter(found: Character(Unicode.Scalar(bytes[17])), expected: Character(Unicode.Scalar(alphabet[expected])))
        }
        return nil
    }

    /// Whether `code` is a valid credit code.
    public static func isValid(_ code: String) -> Bool { check(code) == nil }

    /// Completes 17 valid characters with their check character.
    public static func withCheckCharacter(_ first17: String) -> String? {
        let bytes = Array(first17.utf8)
        guard bytes.count == 17 else { return nil }
        var values: [Int] = []
        for byte in bytes {
            guard let value = alphabet.firstIndex(of: byte) else { return nil }
            values.append(value)
        }
        return first17 + String(Character(Unicode.Scalar(alphabet[checkCharacter(values[...])])))
    }

    private static func checkCharacter(_ values: ArraySlice<Int>) -> Int {
        let sum = zip(values, weights).reduce(0) { $0 + $1.0 * $1.1 }
        let check = 31 - sum % 31
        return check == 31 ? 0 : check
    }
}

extension CreditCode {
    /// Why a text is not a credit code: the first problem found, in this order.
    public enum Problem: Hashable, Sendable, CustomStringConvertible {
        /// It has this many characters, not 18.
        case length(Int)
        /// The character at this position (from 1) is not one of `0-9 A-H J-N P Q R T U W X Y`.
        case character(position: Int)
        /// Characters 3 to 8 (the administrative division) are not all digits.
        case divisionNotDigits
        /// The check character found, and the one GB 32100-2015 gives for the first 17.
        case checkCharacter(found: Character, expected: Character)

        /// The problem in English.
        public var description: String {
            switch self {
            case .length(let count): "has \(count) characters; a credit code has 18"
            case .character(let position): "character \(position) is not one of 0-9 A-H J-N P Q R T U W X Y"
            case .divisionNotDigits: "characters 3 to 8 (the division code) must be digits"
            case let .checkCharacter(found, expected): "check character is \(found), GB 32100-2015 gives \(expected)"
            }
        }
    }
}
