import Foundation
import Synchronization
import Testing
@testable import QinglingLog

@Suite struct WriterFaultTests {
    private let ENOSPC: Int32 = 28
    private let EIO: Int32 = 5

    @Test(arguments: [0, 1, 50, 200])
    func aFailedWriteWritesNothingAndTheLogGoesOn(prefix: Int) throws {
        let directory = TemporaryDirectory()
        let fileSystem = FaultInjectingFileSystem()
        let (options, _) = simulatedOptions(fileSystem: fileSystem)
        let writer = try LogWriter(directory: directory.path, options: options)
        try writer.append(sampleRecords(2))
        let sizeBefore = RawFile.read(lastSegmentPath(directory.path)).count
        fileSystem.inject(.write(errno: ENOSPC, prefix: prefix))
        #expect(throws: LogError.io(operation: "write", path: lastSegmentPath(directory.path), errno: ENOSPC)) {
            try writer.append(sampleRecords(5, batch: 1))
        }
        #expect(RawFile.read(lastSegmentPath(directory.path)).count == sizeBefore, "a short write is undone")
        #expect(writer.nextSequence == 2)
        let next = try writer.append(sampleRecords(1, batch: 2))
        #expect(next.sequences == 2..<3, "no sequence number is lost to the failed batch")
        try writer.close()
        let records = try LogReader(directory: directory.path).readAll()
        #expect(records.count == 3)
        #expect(try LogReader(directory: directory.path).verify().passed)
    }

    @Test func aFailedSyncStopsTheWriterUntilReopened() throws {
        let directory = TemporaryDirectory()
        let fileSystem = FaultInjectingFileSystem()
        let (options, _) = simulatedOptions(fileSystem: fileSystem)
        let writer = try LogWriter(directory: directory.path, options: options)
        try writer.append(sampleRecords(2))
        fileSystem.inject(.sync(errno: EIO))
        #expect(throws: LogError.io(operation: "fdatasync", path: lastSegmentPath(directory.path), errno: EIO)) {
            try writer.append(sampleRecords(1, batch: 1))
        }
        #expect {
            try writer.append(sampleRecords(1, batch: 2))
        } throws: { error in
            if case LogError.writerStopped = error { true } else { false }
        }
        #expect(throws: LogError.self) { try writer.sync() }
        try? writer.close()
        // Reopening recovers; the unacknowledged batch may or may not have reached the disk.
        let reopened = try LogWriter(directory: directory.path, options: LogOptions(clock: options.clock))
        #expect([2, 3].contains(reopened.nextSequence))
        try reopened.append(sampleRecords(1, batch: 3))
        try reopened.close()
        #expect(try LogReader(directory: directory.path).verify().passed)
    }

    @Test func aFailedWriteOfANewSegmentHeaderLeavesNoSegment() throws {
        let directory = TemporaryDirectory()
        let fileSystem = FaultInjectingFileSystem()
        let (options, _) = simulatedOptions(fileSystem: fileSystem)
        let writer = try LogWriter(directory: directory.path, options: options)
        fileSystem.inject(.write(errno: ENOSPC, prefix: 10))
        #expect(throws: LogError.self) { try writer.append(sampleRecords(1)) }
        #expect(RawFile.files(in: directory.child("segments")).isEmpty)
        #expect(try writer.append(sampleRecords(1)).sequences == 0..<1)
        try writer.close()
    }

    @Test func concurrentAppendsAreGroupCommittedWithFewerSyncsThanAppends() async throws {
        let directory = TemporaryDirectory()
        let fileSystem = FaultInjectingFileSystem()
        let (options, _) = simulatedOptions(fileSystem: fileSystem)
        let writer = try LogWriter(directory: directory.path, options: options)
        try await writer.append(sampleRecords(1))
        let syncsBefore = fileSystem.syncCount
        let tasks = 8, perTask = 40
        let results = try await withThrowingTaskGroup(of: [AppendResult].self) { group in
            for task in 0..<tasks {
                group.addTask {
                    var results: [AppendResult] = []
                    for batch in 0..<perTask { results.append(try await writer.append(sampleRecords(2, batch: task * 1000 + batch))) }
                    return results
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let syncs = fileSystem.syncCount - syncsBefore
        #expect(syncs < tasks * perTask, "group commit coalesces syncs (\(syncs) syncs for \(tasks * perTask) appends)")
        let sequences = results.flatMap(\.sequences).sorted()
        #expect(sequences == (1..<UInt64(1 + 2 * tasks * perTask)).map { $0 })
        try writer.close()
        #expect(try LogReader(directory: directory.path).readAll().count == 1 + 2 * tasks * perTask)
    }

    @Test func appendsFromManyThreadsAreGroupCommittedToo() throws {
        let directory = TemporaryDirectory()
        let fileSystem = FaultInjectingFileSystem()
        let (options, _) = simulatedOptions(fileSystem: fileSystem)
        let writer = try LogWriter(directory: directory.path, options: options)
        let threads = 8, perThread = 30
        let done = DispatchGroup()
        let failures = Mutex(0)
        for thread in 0..<threads {
            done.enter()
            Thread {
                for batch in 0..<perThread {
                    do { try writer.append(sampleRecords(1, batch: thread * 100 + batch)) } catch { failures.withLock { $0 += 1 } }
                }
                done.leave()
            }.start()
        }
        done.wait()
        #expect(failures.withLock { $0 } == 0)
        #expect(fileSystem.syncCount < threads * perThread, "\(fileSystem.syncCount) syncs for \(threads * perThread) appends")
        try writer.close()
        #expect(try LogReader(directory: directory.path).readAll().map(\.sequence) == (0..<UInt64(threads * perThread)).map { $0 })
    }

    @Test func deferredAppendsSyncOnceOnRequest() throws {
        let directory = TemporaryDirectory()
        let fileSystem = FaultInjectingFileSystem()
        let (options, _) = simulatedOptions(fileSystem: fileSystem)
        let writer = try LogWriter(directory: directory.path, options: options)
        try writer.append(sampleRecords(1))
        let syncsBefore = fileSystem.syncCount
        for batch in 0..<50 { try writer.append(sampleRecords(3, batch: batch), durability: .deferred) }
        #expect(fileSystem.syncCount == syncsBefore)
        try writer.sync()
        #expect(fileSystem.syncCount == syncsBefore + 2, "one fdatasync for the batches, one for the sync mark after them")
        try writer.close()
        #expect(try LogReader(directory: directory.path).readAll().count == 151)
    }

    @Test func oversizedOrMalformedInputIsRefusedBeforeAnythingIsWritten() throws {
        let directory = TemporaryDirectory()
        let fileSystem = FaultInjectingFileSystem()
        let (options, _) = simulatedOptions(fileSystem: fileSystem)
        let writer = try LogWriter(directory: directory.path, options: options)
        let big = Record(keys: ["k"], payload: [UInt8](repeating: 1, count: LogLimits.maxRecordBytes + 1))
        #expect(throws: LogError.recordTooLarge(record: 1, bytes: LogLimits.maxRecordBytes + 1, limit: LogLimits.maxRecordBytes)) {
            try writer.append([Record(payload: [1]), big])
        }
        #expect(throws: LogError.self) { try writer.append([Record(keys: [""], payload: [1])]) }
        #expect(throws: LogError.self) { try writer.append([Record(keys: [String(repeating: "k", count: 256)], payload: [1])]) }
        #expect(throws: LogError.self) { try writer.append([Record(keys: (0..<256).map { "k\($0)" }, payload: [1])]) }
        let many = [Record](repeating: Record(payload: []), count: Int(LogLimits.maxRecordsPerBatch) + 1)
        #expect(throws: LogError.self) { try writer.append(many) }
        let tooMuch = [Record](repeating: Record(payload: [UInt8](repeating: 2, count: 1 << 20)), count: 17)
        #expect(throws: LogError.self) { try writer.append(tooMuch) }
        #expect(fileSystem.writeCount == 0)
        #expect(writer.nextSequence == 0)
        try writer.close()
    }

    @Test func closedWriterRefusesAppends() throws {
        let directory = TemporaryDirectory()
        let (options, _) = simulatedOptions()
        let writer = try LogWriter(directory: directory.path, options: options)
        try writer.close()
        #expect(throws: LogError.closed) { try writer.append(sampleRecords(1)) }
    }
}
