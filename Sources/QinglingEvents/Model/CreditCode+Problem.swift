extension CreditCode {
    /// Why a text is not a credit code. The words are derived: `message(_:)` in Chinese or
    /// English.
    public enum Problem: Equatable, Sendable {
        /// Not 18 characters: the number it has.
        case length(Int)
        /// The character at this position (from 1) is not in the code's alphabet.
        case character(position: Int)
        /// Characters 3 to 8 (the administrative division) are not all digits.
        case divisionNotDigits
        /// The last character is not the one GB 32100-2015 computes from the first 17.
        case checkCharacter(found: Character, expected: Character)

        /// What is wrong, in Chinese (`.zh`) or English (`.en`).
        public func message(_ language: Language) -> String {
            let zh = language == .zh
            switch self {
            case .length(let count):
                return zh ? "有 \(count) 个字符，统一社会信用代码应为 18 个" : "has \(count) characters; a credit code has 18"
            case .character(let position):
                return zh ? "第 \(position) 个字符不在 0-9 A-H J-N P Q R T U W X Y 之中"
                    : "character \(position) is not one of 0-9 A-H J-N P Q R T U W X Y"
            case .divisionNotDigits:
                return zh ? "第 3 至 8 位（行政区划代码）应为数字" : "characters 3 to 8 (the division code) must be digits"
            case let .checkCharacter(found, expected):
                return zh ? "校验码为 \(found)，按 GB 32100-2015 应为 \(expected)"
                    : "check character is \(found), GB 32100-2015 gives \(expected)"
            }
        }
    }
}
