/// Every way the segment log can fail, each naming what failed and where.
public enum LogError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A system call failed: the operation, the file and the `errno` value.
    case io(operation: String, path: String, errno: Int32)
    /// Bytes on disk are not what the format allows: the file, the byte offset and why.
    case corrupt(path: String, offset: Int64, reason: String)
    /// Another process holds the directory's writer lock.
    case locked(directory: String, holderPID: Int32?)
    /// The directory is not a log (or not one this version can open).
    case notALog(directory: String, reason: String)
    /// A file was written by a newer format version than this program reads.
    case unsupportedVersion(path: String, found: Int, supported: Int)
    /// A record is larger than `LogLimits.maxRecordBytes`.
    case recordTooLarge(record: Int, bytes: Int, limit: Int)
    /// A batch has more records or bytes than the limits allow, or none.
    case invalidBatch(reason: String)
    /// A stream key is empty, too long, or one record has too many.
    case invalidStreamKey(record: Int, reason: String)
    /// The writer stopped after a failed sync; nothing more is accepted until it is reopened.
    case writerStopped(cause: String)
    /// The log was closed.
    case closed
    /// A sequence number the log does not hold.
    case sequenceOutOfRange(sequence: UInt64, next: UInt64)
    /// A year cannot be sealed (not ended, already sealed, an earlier year not sealed, empty).
    case sealingRefused(year: Int, reason: String)
    /// The log is no longer as it was when the operation was planned (another writer meanwhile).
    case changedMeanwhile(directory: String, reason: String)

    public var description: String {
        switch self {
        case let .io(operation, path, errno):
            return "\(operation) failed on \(path): \(SystemErrorWords.english(errno)) (errno \(errno))"
        case let .corrupt(path, offset, reason):
            return "corrupt log file \(path) at byte offset \(offset): \(reason)"
        case let .locked(directory, pid):
            let holder = pid.map { "process \($0)" } ?? "another process"
            return "log directory \(directory) is locked by \(holder); only one writer at a time"
        case let .notALog(directory, reason):
            return "\(directory) is not a usable log directory: \(reason)"
        case let .unsupportedVersion(path, found, supported):
            return "\(path) has format version \(found); this program reads up to version \(supported)"
        case let .recordTooLarge(record, bytes, limit):
            return "record \(record) is \(bytes) bytes; the limit is \(limit) bytes"
        case let .invalidBatch(reason):
            return "batch refused: \(reason)"
        case let .invalidStreamKey(record, reason):
            return "record \(record) has an invalid stream key: \(reason)"
        case let .writerStopped(cause):
            return "the log writer stopped after a failed sync and accepts no more appends (\(cause)); reopen the log to recover"
        case .closed:
            return "the log is closed"
        case let .changedMeanwhile(directory, reason):
            return "log \(directory) changed meanwhile: \(reason)"
        case let .sealingRefused(year, reason):
            return "cannot seal \(year): \(reason)"
        case let .sequenceOutOfRange(sequence, next):
            return "sequence \(sequence) is not in the log (next sequence is \(next))"
        }
    }
}
