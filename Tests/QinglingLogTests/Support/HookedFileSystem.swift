@testable import QinglingLog

/// The real file system (`PosixFileSystem`) with hooks a test sets: around each file opened for
/// writing, after each rename (a roll renames its new segment into place), before each removal.
/// Used from one thread at a time.
final class HookedFileSystem: FileSystem, @unchecked Sendable {
    private let base = PosixFileSystem()
    /// What a file opened for writing at this path is handed out as (default: itself).
    var wrapWritable: (String, any QinglingLog.FileHandle) -> any QinglingLog.FileHandle = { $1 }
    var afterRename: () -> Void = {}
    /// Runs before a file is removed; what it throws, the removal throws.
    var beforeRemoving: (String) throws(LogError) -> Void = { _ in }

    func openForReading(_ path: String) throws(LogError) -> any QinglingLog.FileHandle { try base.openForReading(path) }
    func openForWriting(_ path: String, create: Bool) throws(LogError) -> any QinglingLog.FileHandle {
        wrapWritable(path, try base.openForWriting(path, create: create))
    }
    func createDirectory(_ path: String) throws(LogError) { try base.createDirectory(path) }
    func contentsOfDirectory(_ path: String) throws(LogError) -> [String] { try base.contentsOfDirectory(path) }
    func fileExists(_ path: String) -> Bool { base.fileExists(path) }
    func rename(_ source: String, to destination: String) throws(LogError) {
        try base.rename(source, to: destination)
        afterRename()
    }
    func removeFile(_ path: String) throws(LogError) {
        try beforeRemoving(path)
        try base.removeFile(path)
    }
    func removeDirectory(_ path: String) throws(LogError) { try base.removeDirectory(path) }
    func makeReadOnly(_ path: String) throws(LogError) { try base.makeReadOnly(path) }
    func syncDirectory(_ path: String) throws(LogError) { try base.syncDirectory(path) }
    func lockExclusively(_ path: String) throws(LogError) -> any DirectoryLock { try base.lockExclusively(path) }
}

/// A file whose reads a test may change and whose writes it counts.
final class HookedFile: QinglingLog.FileHandle {
    private let base: any QinglingLog.FileHandle
    private let onRead: (inout [UInt8]) -> Void
    private let onWrite: () -> Void

    init(_ base: any QinglingLog.FileHandle, onRead: @escaping (inout [UInt8]) -> Void = { _ in }, onWrite: @escaping () -> Void = {}) {
        self.base = base
        self.onRead = onRead
        self.onWrite = onWrite
    }

    var path: String { base.path }
    func read(at offset: Int64, count: Int) throws(LogError) -> [UInt8] {
        var bytes = try base.read(at: offset, count: count)
        onRead(&bytes)
        return bytes
    }
    func write(_ bytes: [UInt8], at offset: Int64) throws(LogError) {
        onWrite()
        try base.write(bytes, at: offset)
    }
    func size() throws(LogError) -> Int64 { try base.size() }
    func truncate(to size: Int64) throws(LogError) { try base.truncate(to: size) }
    func sync() throws(LogError) { try base.sync() }
    func close() { base.close() }
}
