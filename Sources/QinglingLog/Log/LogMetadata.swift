#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The log's identity file, `log.meta`: a short UTF-8 text written once, when the log is created.
///
/// ```
/// qingling-log: 1
/// clock: system
/// created: 1732845600000000
/// ```
public struct LogMetadata: Equatable, Sendable {
    public static let fileName = "log.meta"
    public static let formatVersion = 1

    /// The clock the log was created with, kept for good.
    public var clock: ClockKind
    /// When the log was created, in microseconds since the Unix epoch (by its own clock).
    public var createdAt: Int64

    public init(clock: ClockKind, createdAt: Int64) {
        self.clock = clock
        self.createdAt = createdAt
    }

    func encoded() -> [UInt8] {
        Array("qingling-log: \(Self.formatVersion)\nclock: \(clock.rawValue)\ncreated: \(createdAt)\n".utf8)
    }

    /// Reads the metadata of the log in `directory`. A directory that does not exist or holds no
    /// `log.meta` is not a log (`notALog`); one the system does not let us read (permission
    /// denied, not a directory) is its `io` error, with the errno.
    public static func read(directory: String, fileSystem: any FileSystem = PosixFileSystem()) throws(LogError) -> LogMetadata {
        let path = directory + "/" + fileName
        let file: any FileHandle
        do throws(LogError) { file = try fileSystem.openForReading(path) } catch {
            guard case .io(_, _, ENOENT) = error else { throw error }
            throw .notALog(directory: directory, reason: fileSystem.fileExists(directory) ? "it has no \(fileName)" : "there is no such directory")
        }
        defer { file.close() }
        let bytes = try file.read(at: 0, count: 4096)
        var fields: [String: String] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else {
                throw .corrupt(path: path, offset: 0, reason: "line \"\(line)\" is not \"key: value\"")
            }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].drop(while: { $0 == " " }).description
        }
        guard let version = fields["qingling-log"].flatMap(Int.init) else {
            throw .corrupt(path: path, offset: 0, reason: "no \"qingling-log\" version line")
        }
        guard version >= 1 else {
            throw .corrupt(path: path, offset: 0, reason: "format version \(version) is not valid")
        }
        guard version <= formatVersion else {
            throw .unsupportedVersion(path: path, found: version, supported: formatVersion)
        }
        guard let clock = fields["clock"].flatMap(ClockKind.init(rawValue:)),
              let created = fields["created"].flatMap(Int64.init) else {
            throw .corrupt(path: path, offset: 0, reason: "missing or invalid \"clock\" or \"created\" line")
        }
        return LogMetadata(clock: clock, createdAt: created)
    }
}
