import QinglingEvents

/// Why the engine's tables refused a key or a link: a limit no county log comes near, and keys
/// that are not text. The fold reports it as the `EventDecodingError` of the event's field.
enum EngineError: Error, Equatable, Sendable {
    /// A key that must be kept as a string is not valid UTF-8.
    case notUTF8
    /// More links than an `Int32` numbers.
    case tooManyLinks
}

extension EventDecodingError {
    /// A stored event whose `text` (at `offset`, when known) the engine's tables refused, for
    /// `error` (the store reports the event by its sequence, `StoreError.undecodable`).
    init(_ text: Text, at offset: Int? = nil, _ error: EngineError) {
        switch error {
        case .notUTF8: self = .notUTF8(text, at: offset)
        case .tooManyLinks: self = .tooManyPartyLinks
        }
    }
}
