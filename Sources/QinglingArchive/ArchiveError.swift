import QinglingLog

/// Why sealing, verifying or proving failed.
public enum ArchiveError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The log failed (I/O, corruption, lock, a refused seal).
    case log(LogError)
    /// A file of the archive job is not what it must be (manifest, signature, key, proof).
    case invalid(path: String, reason: String)
    /// A signing key is missing or unusable.
    case key(path: String, reason: String)
    /// What was asked for is not sealed (yet): a year to verify, an event to prove. `path`
    /// names the log (or the year's directory).
    case notSealed(path: String, reason: String)

    public var description: String {
        switch self {
        case .log(let error): error.description
        case let .invalid(path, reason): "\(path): \(reason)"
        case let .key(path, reason): "signing key \(path): \(reason)"
        case let .notSealed(path, reason): "\(path): \(reason)"
        }
    }
}
