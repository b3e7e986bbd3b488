import QinglingLog
import Synchronization

/// A file system that loses power at a chosen file sync, as SQLite's crash tests model it:
/// the sync does not happen, and each write made to a file since that file's last sync is,
/// at random (seeded), kept, dropped, torn at a random byte, or garbled. After the cut every
/// operation fails. Renames, creations and removals are taken as durable when made (the log
/// syncs its directories after each); the model is about file data.
public final class PowerLossFileSystem: FileSystem {
    /// What became of each unsynced write at the cut.
    public enum Fate: String, CaseIterable, Sendable { case kept, dropped, torn, garbled }

    struct PendingWrite {
        var offset: Int64
        var bytes: [UInt8]
        /// What the range held before, and the file's size before.
        var previous: [UInt8]
        var previousSize: Int64
    }

    struct State {
        var random: UInt64
        var syncs = 0
        var pending: [String: [PendingWrite]] = [:]
        var cut = false
        var fates: [Fate: Int] = [:]
    }

    let base = PosixFileSystem()
    /// The file sync (counting from 1) at which the power goes.
    public let cutAtSync: Int
    let state: Mutex<State>

    public init(cutAtSync: Int, seed: UInt64) {
        self.cutAtSync = cutAtSync
        state = Mutex(State(random: seed ^ 0x9E37_79B9_7F4A_7C15))
    }

    /// Whether the power has gone, and what happened to the unsynced writes.
    public var hasCut: Bool { state.withLock { $0.cut } }
    public var fates: [Fate: Int] { state.withLock { $0.fates } }

    func checkPower(_ path: String) throws(LogError) {
        if state.withLock({ $0.cut }) { throw .io(operation: "power is off", path: path, errno: 5) }
    }

    func recordWrite(_ path: String, file: any FileHandle, bytes: [UInt8], at offset: Int64) throws(LogError) {
        try checkPower(path)
        let size = try file.size()
        let previous = offset < size ? try file.read(at: offset, count: bytes.count) : []
        state.withLock { $0.pending[path, default: []].append(PendingWrite(offset: offset, bytes: bytes, previous: previous, previousSize: size)) }
    }

    /// A file sync: the cut, or the file's pending writes become durable.
    func recordSync(_ path: String) throws(LogError) {
        try checkPower(path)
        let cutNow = state.withLock { value -> Bool in
            value.syncs += 1
            if value.syncs == cutAtSync { return true }
            value.pending[path] = nil
            return false
        }
        if cutNow {
            try cut()
            throw .io(operation: "sync (power cut)", path: path, errno: 5)
        }
    }

    /// Cuts the power now: every unsynced write meets its fate, newest first.
    public func cut() throws(LogError) {
        let pending = state.withLock { value -> [String: [PendingWrite]] in
            value.cut = true
            return value.pending
        }
        for (path, writes) in pending {
            let file = try base.openForWriting(path, create: false)
            defer { file.close() }
            for write in writes.reversed() {
                let fate = state.withLock { value -> Fate in
                    let fate = Fate.allCases[Int(Self.next(&value.random) % 4)]
                    value.fates[fate, default: 0] += 1
                    return fate
                }
                switch fate {
                case .kept:
                    break
                case .dropped:
                    try restore(write, from: 0, in: file)
                case .torn:
                    let keep = Int(state.withLock { Self.next(&$0.random) } % UInt64(max(write.bytes.count, 1)))
                    try restore(write, from: keep, in: file)
                case .garbled:
                    var noise = write.bytes
                    state.withLock { value in
                        for index in noise.indices { noise[index] = UInt8(truncatingIfNeeded: Self.next(&value.random)) }
                    }
                    try file.write(noise, at: write.offset)
                }
            }
        }
    }

    /// Puts back what the write replaced, from byte `start` of the write on.
    private func restore(_ write: PendingWrite, from start: Int, in file: any FileHandle) throws(LogError) {
        let offset = write.offset + Int64(start)
        if start < write.previous.count { try file.write(Array(write.previous[start...]), at: offset) }
        let end = write.offset + Int64(write.bytes.count)
        if write.previousSize < end {
            // The write grew the file: what lay past the old end did not reach the disk.
            try file.truncate(to: max(write.previousSize, offset))
        }
    }

    /// SplitMix64: the next pseudo-random number from `state`.
    public static func next(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public func openForReading(_ path: String) throws(LogError) -> any FileHandle { try base.openForReading(path) }
    public func openForWriting(_ path: String, create: Bool) throws(LogError) -> any FileHandle {
        try checkPower(path)
        return PowerLossFile(try base.openForWriting(path, create: create), fileSystem: self)
    }
    public func createDirectory(_ path: String) throws(LogError) {
        try checkPower(path)
        try base.createDirectory(path)
    }
    public func contentsOfDirectory(_ path: String) throws(LogError) -> [String] { try base.contentsOfDirectory(path) }
    public func fileExists(_ path: String) -> Bool { base.fileExists(path) }
    public func rename(_ source: String, to destination: String) throws(LogError) {
        try checkPower(source)
        try base.rename(source, to: destination)
        state.withLock { value in
            if let moved = value.pending.removeValue(forKey: source) { value.pending[destination] = moved }
        }
    }
    public func removeFile(_ path: String) throws(LogError) {
        try checkPower(path)
        try base.removeFile(path)
        _ = state.withLock { $0.pending.removeValue(forKey: path) }
    }
    public func removeDirectory(_ path: String) throws(LogError) {
        try checkPower(path)
        try base.removeDirectory(path)
    }
    public func makeReadOnly(_ path: String) throws(LogError) {
        try checkPower(path)
        try base.makeReadOnly(path)
    }
    public func syncDirectory(_ path: String) throws(LogError) {
        try checkPower(path)
        try base.syncDirectory(path)
    }
    public func lockExclusively(_ path: String) throws(LogError) -> any DirectoryLock { try base.lockExclusively(path) }
}

final class PowerLossFile: FileHandle {
    let base: any FileHandle
    let fileSystem: PowerLossFileSystem
    init(_ base: any FileHandle, fileSystem: PowerLossFileSystem) {
        self.base = base
        self.fileSystem = fileSystem
    }
    var path: String { base.path }
    func read(at offset: Int64, count: Int) throws(LogError) -> [UInt8] { try base.read(at: offset, count: count) }
    func write(_ bytes: [UInt8], at offset: Int64) throws(LogError) {
        try fileSystem.recordWrite(path, file: base, bytes: bytes, at: offset)
        try base.write(bytes, at: offset)
    }
    func size() throws(LogError) -> Int64 { try base.size() }
    func truncate(to size: Int64) throws(LogError) {
        try fileSystem.checkPower(path)
        try base.truncate(to: size)
    }
    func sync() throws(LogError) {
        try fileSystem.recordSync(path)
        try base.sync()
    }
    func close() { base.close() }
}
