/// The unified social credit code (统一社会信用代码) of GB 32100-2015: 18 characters from
/// `0-9 A-H J-N P Q R T U W X Y`, characters 3–8 digits (the administrative division), and a
/// check character computed from the first 17 with weights 3^i mod 31.
public enum CreditCode {
    static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// Why `code` is not a valid credit code, or `nil` when it is.
    public static func problem(_ code: String) -> Problem? {
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
    public static func isValid(_ code: String) -> Bool { problem(code) == nil }

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
