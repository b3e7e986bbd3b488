import QinglingLog
import Synchronization

/// A file system that fails ("crashes") at its `crashAt`-th change (write, sync, rename,
/// remove, chmod, directory sync), and at every change after it.
public final class CrashingFileSystem: FileSystem {
    let base = PosixFileSystem()
    public let crashAt: Int
    private let changes = Mutex(0)

    public init(crashAt: Int) { self.crashAt = crashAt }

    public var changesMade: Int { changes.withLock { $0 } }

    func change(_ what: String, _ path: String) throws(LogError) {
        let count = changes.withLock { value -> Int in
            value += 1
            return value
        }
        if count >= crashAt { throw .io(operation: "crash before \(what)", path: path, errno: 5) }
    }

    public func openForReading(_ path: String) throws(LogError) -> any FileHandle { try base.openForReading(path) }
    public func openForWriting(_ path: String, create: Bool) throws(LogError) -> any FileHandle {
        if create { try change("create", path) }
        return CrashingFile(try base.openForWriting(path, create: create), fileSystem: self)
    }
    public func createDirectory(_ path: String) throws(LogError) { try base.createDirectory(path) }
    public func contentsOfDirectory(_ path: String) throws(LogError) -> [String] { try base.contentsOfDirectory(path) }
    public func fileExists(_ path: String) -> Bool { base.fileExists(path) }
    public func rename(_ source: String, to destination: String) throws(LogError) {
        try change("rename", source)
        try base.rename(source, to: destination)
    }
    public func removeFile(_ path: String) throws(LogError) {
        try change("remove", path)
        try base.removeFile(path)
    }
    public func removeDirectory(_ path: String) throws(LogError) {
        try change("remove directory", path)
        try base.removeDirectory(path)
    }
    public func makeReadOnly(_ path: String) throws(LogError) {
        try change("chmod", path)
        try base.makeReadOnly(path)
    }
    public func syncDirectory(_ path: String) throws(LogError) {
        try change("sync directory", path)
        try base.syncDirectory(path)
    }
    public func lockExclusively(_ path: String) throws(LogError) -> any DirectoryLock { try base.lockExclusively(path) }
}

final class CrashingFile: FileHandle {
    let base: any FileHandle
    let fileSystem: CrashingFileSystem
    init(_ base: any FileHandle, fileSystem: CrashingFileSystem) {
        self.base = base
        self.fileSystem = fileSystem
    }
    var path: String { base.path }
    func read(at offset: Int64, count: Int) throws(LogError) -> [UInt8] { try base.read(at: offset, count: count) }
    func write(_ bytes: [UInt8], at offset: Int64) throws(LogError) {
        try fileSystem.change("write", path)
        try base.write(bytes, at: offset)
    }
    func size() throws(LogError) -> Int64 { try base.size() }
    func truncate(to size: Int64) throws(LogError) {
        try fileSystem.change("truncate", path)
        try base.truncate(to: size)
    }
    func sync() throws(LogError) {
        try fileSystem.change("sync", path)
        try base.sync()
    }
    func close() { base.close() }
}

