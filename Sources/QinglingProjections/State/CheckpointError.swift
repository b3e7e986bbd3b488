import QinglingLog
import QinglingWorkflow

/// Why the projection checkpoint beside a log was not used, or why it stops the projections.
public enum CheckpointError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file cannot be read.
    case unreadable(path: String)
    /// The bytes are not an intact checkpoint of this version (torn, changed without fixing its
    /// checksum, another version, or a state that does not restore). Costs a rebuild.
    case damaged(path: String, CheckpointDamage)
    /// The log's event at the last sequence it covers is not the one it was folded from: the
    /// checkpoint of another log. Costs a rebuild.
    case notOfThisLog(path: String, sequence: UInt64)
    /// The log's event it is checked against cannot be read. Costs a rebuild.
    case uncheckable(path: String, LogError)
    /// An intact checkpoint covers more events than the log holds: events were removed from the
    /// log (segments deleted or cut short), or the checkpoint is another log's. An error, and the
    /// checkpoint is left as it is: it is the evidence.
    case coversMoreThanTheLog(path: String, checkpointEvents: UInt64, logEvents: UInt64)

    public var description: String {
        switch self {
        case .unreadable(let path):
            return "projection checkpoint \(path) cannot be read"
        case let .damaged(path, damage):
            return "projection checkpoint \(path) is damaged: \(damage)"
        case let .notOfThisLog(path, sequence):
            return "projection checkpoint \(path) does not match the log's event \(sequence)"
        case let .uncheckable(path, error):
            return "projection checkpoint \(path) cannot be checked against the log: \(error)"
        case let .coversMoreThanTheLog(path, checkpointEvents, logEvents):
            return "projection checkpoint \(path) covers \(checkpointEvents) events but the log holds \(logEvents): events were removed from the log (segments deleted or cut short), or the checkpoint is another log's; move it away to rebuild the projections"
        }
    }
}

/// Why the projections could not be brought up to date.
public enum ProjectionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The log or one of its events.
    case store(StoreError)
    /// The checkpoint contradicts the log (`CheckpointError.coversMoreThanTheLog`).
    case checkpoint(CheckpointError)

    public var description: String {
        switch self {
        case .store(let error): return error.description
        case .checkpoint(let error): return error.description
        }
    }
}
