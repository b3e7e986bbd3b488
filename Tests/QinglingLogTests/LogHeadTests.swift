import Glibc
@testable import QinglingLog
import Synchronization
import Testing

/// The real file system, except that a file opened for reading fails to sync with `errno`
/// (0: syncs), counting the syncs asked of such files.
private final class ReadSyncFileSystem: FileSystem {
    private let base = PosixFileSystem()
    let errno: Int32
    let syncs = Mutex(0)
    init(errno: Int32) { self.errno = errno }

    func openForReading(_ path: String) throws(LogError) -> any FileHandle { ReadHandle(base: try base.openForReading(path), owner: self) }
    func openForWriting(_ path: String, create: Bool) throws(LogError) -> any FileHandle { try base.openForWriting(path, create: create) }
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

private final class ReadHandle: FileHandle {
    let base: any FileHandle
    let owner: ReadSyncFileSystem
    init(base: any FileHandle, owner: ReadSyncFileSystem) {
        self.base = base
        self.owner = owner
    }
    var path: String { base.path }
    func read(at offset: Int64, count: Int) throws(LogError) -> [UInt8] { try base.read(at: offset, count: count) }
    func write(_ bytes: [UInt8], at offset: Int64) throws(LogError) { try base.write(bytes, at: offset) }
    func size() throws(LogError) -> Int64 { try base.size() }
    func truncate(to size: Int64) throws(LogError) { try base.truncate(to: size) }
    func sync() throws(LogError) {
        owner.syncs.withLock { $0 += 1 }
        if owner.errno != 0 { throw .io(operation: "fdatasync", path: path, errno: owner.errno) }
        try base.sync()
    }
    func close() { base.close() }
}

@Suite struct LogHeadTests {
    @Test func theHeadIsTheLastBatchAndEveryBoundaryIsNamed() throws {
        let directory = TemporaryDirectory()
        let (options, _) = simulatedOptions()
        let writer = try LogWriter(directory: directory.path, options: options)
        #expect(try LogReader(directory: directory.path).head() == LogHead(size: 0, lastRecordedAt: nil, chainHead: [UInt8](repeating: 0, count: 32), sealedYear: nil))
        for batch in 0..<3 { _ = try writer.append(sampleRecords(4, batch: batch)) }
        try writer.close()

        let reader = try LogReader(directory: directory.path)
        let verified = try reader.verify()
        let head = try reader.head()
        #expect(head.size == 12 && head.lastSequence == 11 && head.sealedYear == nil)
        #expect(head.chainHead == verified.lastBatchHash)
        #expect(head.lastRecordedAt == (try reader.readAll()).last?.recordedAt)

        #expect(try reader.chainBoundary(afterSize: 0) == .start)
        #expect(try reader.chainBoundary(afterSize: 12) == .liveBatch(hash: head.chainHead))
        guard case .liveBatch(let fourth) = try reader.chainBoundary(afterSize: 4) else { Issue.record("no boundary after 4"); return }
        #expect(fourth != head.chainHead)
        guard case let .insideLiveBatch(path, _, records) = try reader.chainBoundary(afterSize: 6) else { Issue.record("6 is not inside a batch"); return }
        #expect(path == lastSegmentPath(directory.path) && records == 4..<8)
        #expect(try reader.chainBoundary(afterSize: 13) == .beyondEnd)
    }

    @Test func theHeadSyncsItsSegmentUnlessTheFileSystemCannotSync() throws {
        let directory = TemporaryDirectory()
        let (options, _) = simulatedOptions()
        let writer = try LogWriter(directory: directory.path, options: options)
        _ = try writer.append(sampleRecords(3), durability: .deferred)
        try writer.close()
        let expected = try LogReader(directory: directory.path).head()

        let syncing = ReadSyncFileSystem(errno: 0)
        #expect(try LogReader(directory: directory.path, fileSystem: syncing).head() == expected)
        #expect(syncing.syncs.withLock { $0 } == 1)
        // Read-only media (an auditor's copy) cannot sync and need not.
        for code in [EROFS, EINVAL] {
            #expect(try LogReader(directory: directory.path, fileSystem: ReadSyncFileSystem(errno: code)).head() == expected)
        }
        #expect(throws: LogError.io(operation: "fdatasync", path: lastSegmentPath(directory.path), errno: EIO)) {
            try LogReader(directory: directory.path, fileSystem: ReadSyncFileSystem(errno: EIO)).head()
        }
    }
}
