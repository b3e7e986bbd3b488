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

    /// The value's kind, for messages about it.
    public var kind: JSONValueKind {
        switch self {
        case .null: .null
        case .bool: .boolean
        case .number: .number
        case .string: .string
        case .array: .array
        case .object: .object
        }
    }
}

/// The kind of a JSON value, without the value: what a message says was found.
public enum JSONValueKind: Equatable, Sendable {
    case null, boolean, number, string, array, object
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
