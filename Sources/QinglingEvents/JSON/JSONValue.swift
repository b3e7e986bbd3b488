/// A parsed JSON document. Numbers keep their exact text, so that money in fen is read as an
/// integer literal and never through floating point; objects keep their members in order.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    /// The number's text as written, e.g. `"1500"` or `"12.5"`.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    /// A short name of the value's kind, for error messages.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// One member of a JSON object.
public struct JSONMember: Equatable, Sendable {
    public var key: String
    public var value: JSONValue

    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}

/// Why a text is not JSON: the reason and where (line and column, from 1).
public struct JSONSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    public var reason: String
    public var line: Int
    public var column: Int

    public var description: String { "line \(line), column \(column): \(reason)" }
}
