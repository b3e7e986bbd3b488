/// Why the engine's tables refused a key or a link: limits no county log comes near, and keys
/// that are not text.
enum EngineError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A key that must be kept as a string is not valid UTF-8.
    case notUTF8
    /// A key longer than a table takes (`ByteTable.maxKeyBytes`).
    case keyTooLong(bytes: Int)
    /// More links than an `Int32` numbers.
    case tooManyLinks

    var description: String {
        switch self {
        case .notUTF8: return "not valid UTF-8"
        case .keyTooLong(let bytes): return "a key of \(bytes) bytes, longer than a table takes"
        case .tooManyLinks: return "more party links than the projections can hold (\(Int32.max))"
        }
    }
}
