import QinglingLog

/// Why the audit log could not be written or read.
public enum AuditError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The audit log's files (`LogError` names the file and the operation).
    case log(LogError)
    /// Another process held the audit log's writer for longer than the wait allowed.
    case busy(directory: String)
    /// A record of the audit log is not an audit entry.
    case undecodable(directory: String, sequence: UInt64)

    public var description: String {
        switch self {
        case .log(let error): "audit log: \(error)"
        case .busy(let directory): "audit log \(directory) is being written by another process; try again"
        case let .undecodable(directory, sequence): "audit log \(directory): record \(sequence) is not an audit entry"
        }
    }
}
