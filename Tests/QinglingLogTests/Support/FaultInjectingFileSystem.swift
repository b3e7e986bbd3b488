import Synchronization
@testable import QinglingLog

/// A `FileSystem` over the real one that fails on command: ENOSPC or EIO on a write, a short
/// write (a prefix written, then an error), or EIO on sync. Faults apply to paths containing
/// `pathFilter` and fire once each.
final class FaultInjectingFileSystem: FileSystem {
    enum Fault: Equatable {
        /// The next write fails with `errno` after writing `prefix` bytes of its data.
        case write(errno: Int32, prefix: Int)
        /// The next sync fails with `errno`.
        case sync(errno: Int32)
    }

    private let base = PosixFileSystem()
    private let state = Mutex<(faults: [Fault], writes: Int, syncs: Int, spared: Int)>(([], 0, 0, 0))
    let pathFilter: String

    init(pathFilter: String = ".qlseg") { self.pathFilter = pathFilter }

    /// Makes `fault` fire, after `sparing` more writes succeed first.
    func inject(_ fault: Fault, sparing: Int = 0) {
        state.withLock {
            $0.faults.append(fault)
            $0.spared = sparing
        }
    }
    var syncCount: Int { state.withLock { $0.syncs } }
    var writeCount: Int { state.withLock { $0.writes } }

    fileprivate func takeWriteFault() -> Fault? {
        state.withLock { state in
            state.writes += 1
            if state.spared > 0 {
                state.spared -= 1
                return nil
            }
            guard let index = state.faults.firstIndex(where: { if case .write = $0 { true } else { false } }) else { return nil }
            return state.faults.remove(at: index)
        }
    }

    fileprivate func takeSyncFault() -> Fault? {
        state.withLock { state in
            state.syncs += 1
            guard let index = state.faults.firstIndex(where: { if case .sync = $0 { true } else { false } }) else { return nil }
            return state.faults.remove(at: index)
        }
    }

    func openForReading(_ path: String) throws(LogError) -> any FileHandle { try base.openForReading(path) }
    func openForWriting(_ path: String, create: Bool) throws(LogError) -> any FileHandle {
        let handle = try base.openForWriting(path, create: create)
        return path.contains(pathFilter) ? FaultyHandle(base: handle, owner: self) : handle
    }
    func createDirectory(_ path: String) throws(LogError) { try base.createDirectory(path) }
    func contentsOfDirectory(_ path: String) throws(LogError) -> [String] { try base.contentsOfDirectory(path) }
    func fileExists(_ path: String) -> Bool { base.fileExists(path) }
    func rename(_ source: String, to destination: String) throws(LogError) { try base.rename(source, to: destination) }
    func removeFile(_ path: String) throws(LogError) { try base.removeFile(path) }
    func removeDirectory(_ path: String) throws(LogError) { try base.removeDirectory(path) }
    func makeReadOnly(_ path: String) throws(LogError) { try base.makeReadOnly(path) }
    func syncDirectory(_ path: String) throws(LogError) { try base.syncDirectory(path) }
    func lockExclusively(_ path: String) throws(LogError) -> any DirectoryLock { try base.lockExclusively(path) }
}

private final class FaultyHandle: FileHandle {
    let base: any FileHandle
    unowned let owner: FaultInjectingFileSystem
    init(base: any FileHandle, owner: FaultInjectingFileSystem) {
        self.base = base
        self.owner = owner
    }
    var path: String { base.path }
    func read(at offset: Int64, count: Int) throws(LogError) -> [UInt8] { try base.read(at: offset, count: count) }
    func write(_ bytes: [UInt8], at offset: Int64) throws(LogError) {
        if case let .write(code, prefix)? = owner.takeWriteFault() {
            if prefix > 0 { try base.write(Array(bytes.prefix(prefix)), at: offset) }
            throw .io(operation: "write", path: path, errno: code)
        }
        try base.write(bytes, at: offset)
    }
    func size() throws(LogError) -> Int64 { try base.size() }
    func truncate(to size: Int64) throws(LogError) { try base.truncate(to: size) }
    func sync() throws(LogError) {
        if case let .sync(code)? = owner.takeSyncFault() { throw .io(operation: "fdatasync", path: path, errno: code) }
        try base.sync()
    }
    func close() { base.close() }
}
