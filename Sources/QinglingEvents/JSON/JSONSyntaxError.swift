/// Why a text is not JSON: what the parser met (`kind`) and where (line and column, from 1).
/// The words are derived: `kind.message(_:)` in Chinese or English.
public struct JSONSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var kind: Kind
    /// The line, from 1.
    public var line: Int
    /// The column, in characters from 1.
    public var column: Int

    /// The error `kind` met at `line` and `column`.
    public init(_ kind: Kind, line: Int, column: Int) {
        self.kind = kind
        self.line = line
        self.column = column
    }

    /// What is wrong, in English.
    public var reason: String { kind.message(.en) }

    /// Where and what, in English.
    public var description: String { "line \(line), column \(column): \(reason)" }

    /// Each way a text can fail to be one JSON document (RFC 8259, as `JSONParser` reads it).
    public enum Kind: Equatable, Sendable {
        // Values.
        /// The text ends where a value should begin.
        case unexpectedEnd
        /// A character that begins no JSON value.
        case unexpectedCharacter
        /// A word that begins like `true`, `false` or `null` and is not it.
        case invalidLiteral(expected: String)
        /// More text after the one value the document holds.
        case textAfterValue
        /// Objects and arrays nested deeper than the limit.
        case nestedTooDeep(limit: Int)

        // Objects and arrays.
        /// An object member that does not begin with a string key.
        case expectedKey
        /// A key used twice in one object.
        case duplicateKey(String)
        /// A key not followed by `:`.
        case expectedColon
        /// The text ends inside an object.
        case unfinishedObject
        /// Neither `,` nor `}` after an object member.
        case expectedCommaOrBrace
        /// The text ends inside an array.
        case unfinishedArray
        /// Neither `,` nor `]` after an array element.
        case expectedCommaOrBracket

        // Numbers.
        /// A `-` without digits, or a number with a leading zero's digits after it.
        case invalidNumber
        /// A `.` without digits after it.
        case digitsAfterPoint
        /// An exponent without digits.
        case digitsAfterExponent

        // Strings.
        /// The text ends inside a string.
        case unterminatedString
        /// A string whose bytes are not UTF-8.
        case invalidUTF8
        /// A control character (below U+0020) written as it is in a string.
        case controlCharacter
        /// The text ends right after a backslash.
        case unterminatedEscape
        /// A backslash followed by a character that is no escape.
        case invalidEscape
        /// Fewer than four characters after `\u`.
        case truncatedUnicodeEscape
        /// A character after `\u` that is not a hexadecimal digit.
        case invalidHexDigit
        /// A high surrogate not followed by a `\u` escape.
        case unpairedSurrogate
        /// A high surrogate followed by an escape that is not a low surrogate.
        case invalidLowSurrogate
        /// A `\u` escape that names no Unicode scalar (a lone low surrogate).
        case invalidUnicodeEscape
    }
}
