#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The log's identity file, `log.meta`: a short UTF-8 text written once, when the log is created.
///
/// ```
/// qingling-log: 2
/// clock: system
/// created: 1732845600000000
/// ```
public struct LogMetadata: Equatable, Sendable {
    public static let fileName = "log.meta"
    /// The version written: 2 since segments carry sync marks (version-2 segment headers) and
    /// batches may form multi-batch appends (version-3 batch headers). Version 1 is read too; the
    /// writer raises it to 2 before it first writes into such a log, so that older programs
    /// refuse the log before they read a segment they do not know.
    public static let formatVersion = 2

    /// The clock the log was created with, kept for good.
    public var clock: ClockKind
    /// When the log was created, in microseconds since the Unix epoch (by its own clock).
    public var createdAt: Int64
    /// The format version the file states.
    public var version: Int

    public init(clock: ClockKind, createdAt: Int64, version: Int = LogMetadata.formatVersion) {
        self.clock = clock
        self.createdAt = createdAt
        self.version = version
    }

    func encoded() -> [UInt8] {
        Array("qingling-log: \(version)\nclock: \(clock.rawValue)\ncreated: \(createdAt)\n".utf8)
    }

    /// Writes the metadata to `log.meta` atomically: a temporary file, synced, renamed, and the
    /// directory synced.
    func write(_ layout: LogLayout, fileSystem: any FileSystem) throws(LogError) {
        let temporary = layout.metadata + LogLayout.temporarySuffix
        let file = try fileSystem.openForWriting(temporary, create: true)
        defer { file.close() }
        try file.truncate(to: 0)
        try file.write(encoded(), at: 0)
        try file.sync()
        try fileSystem.rename(temporary, to: layout.metadata)
        try fileSystem.syncDirectory(layout.directory)
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
        return LogMetadata(clock: clock, createdAt: created, version: version)
    }
}
