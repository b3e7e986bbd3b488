import Foundation
import QinglingLog

/// The real file system (`PosixFileSystem`), slowed down so that a kill from outside lands
/// between the steps of what a child process does, not only before or after them.
///
/// A write of more than `piece` bytes is made as several writes of at most `piece` bytes, each
/// after a pause (a kernel may also complete only part of a write when its process is killed):
/// so a kill during a multi-batch append leaves part of it in the file. With
/// `pausingEveryChange`, every other change (create, truncate, sync, rename, remove, directory
/// creation and sync) waits the same pause first. `onPause` is called as each pause begins;
/// `onLongWrite` with the path and size of each write made in pieces, before its first piece.
final class PacedFileSystem: FileSystem {
    let base = PosixFileSystem()
    let pause: useconds_t
    let piece: Int
    let pausingEveryChange: Bool
    let onPause: @Sendable () -> Void
    let onLongWrite: @Sendable (String, Int) -> Void

    init(pauseMicroseconds: useconds_t, piece: Int, pausingEveryChange: Bool, onPause: @escaping @Sendable () -> Void = {},
         onLongWrite: @escaping @Sendable (String, Int) -> Void = { _, _ in }) {
        self.pause = pauseMicroseconds
        self.piece = piece
        self.pausingEveryChange = pausingEveryChange
        self.onPause = onPause
        self.onLongWrite = onLongWrite
    }

    /// One pause.
    func pace() {
        onPause()
        usleep(pause)
    }

    /// Waits before a change other than a write.
    func beforeChange() {
        if pausingEveryChange { pace() }
    }

    func openForReading(_ path: String) throws(LogError) -> any QinglingLog.FileHandle { try base.openForReading(path) }
    func openForWriting(_ path: String, create: Bool) throws(LogError) -> any QinglingLog.FileHandle {
        if create { beforeChange() }
        return PacedFile(try base.openForWriting(path, create: create), fileSystem: self)
    }
    func createDirectory(_ path: String) throws(LogError) {
        beforeChange()
        try base.createDirectory(path)
    }
    func contentsOfDirectory(_ path: String) throws(LogError) -> [String] { try base.contentsOfDirectory(path) }
    func fileExists(_ path: String) -> Bool { base.fileExists(path) }
    func rename(_ source: String, to destination: String) throws(LogError) {
        beforeChange()
        try base.rename(source, to: destination)
    }
    func removeFile(_ path: String) throws(LogError) {
        beforeChange()
        try base.removeFile(path)
    }
    func removeDirectory(_ path: String) throws(LogError) {
        beforeChange()
        try base.removeDirectory(path)
    }
    func makeReadOnly(_ path: String) throws(LogError) {
        beforeChange()
        try base.makeReadOnly(path)
    }
    func syncDirectory(_ path: String) throws(LogError) {
        beforeChange()
        try base.syncDirectory(path)
    }
    func lockExclusively(_ path: String) throws(LogError) -> any DirectoryLock { try base.lockExclusively(path) }
}

/// A file of a `PacedFileSystem`.
final class PacedFile: QinglingLog.FileHandle {
    let base: any QinglingLog.FileHandle
    let fileSystem: PacedFileSystem

    init(_ base: any QinglingLog.FileHandle, fileSystem: PacedFileSystem) {
        self.base = base
        self.fileSystem = fileSystem
    }

    var path: String { base.path }
    func read(at offset: Int64, count: Int) throws(LogError) -> [UInt8] { try base.read(at: offset, count: count) }
    func read(at offset: Int64, count: Int, into buffer: inout [UInt8]) throws(LogError) {
        try base.read(at: offset, count: count, into: &buffer)
    }
    func size() throws(LogError) -> Int64 { try base.size() }
    func close() { base.close() }

    func write(_ bytes: [UInt8], at offset: Int64) throws(LogError) {
        guard bytes.count > fileSystem.piece else {
            fileSystem.beforeChange()
            try base.write(bytes, at: offset)
            return
        }
        fileSystem.onLongWrite(path, bytes.count)
        var start = 0
        while start < bytes.count {
            let end = min(start + fileSystem.piece, bytes.count)
            fileSystem.pace()
            try base.write(Array(bytes[start..<end]), at: offset + Int64(start))
            start = end
        }
    }

    func truncate(to size: Int64) throws(LogError) {
        fileSystem.beforeChange()
        try base.truncate(to: size)
    }

    func sync() throws(LogError) {
        fileSystem.beforeChange()
        try base.sync()
    }
}
