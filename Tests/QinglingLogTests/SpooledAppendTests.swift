import Foundation
@testable import QinglingLog
import QinglingTestSupport
import Testing

/// An append gathered in a spool (`LogWriter.append(spool:)`) is the same append as one given
/// whole: the same bytes, all or nothing, never a byte of it left after a failure, and never a
/// spooled byte written that reads back different.
@Suite struct SpooledAppendTests {
    /// 25,000 small records: three batches of a spool (10,000, 10,000, 5,000).
    static let records = sampleRecords(25_000, batch: 3, payloadBytes: 40)

    static func spool(_ writer: LogWriter, _ records: [Record]) throws -> AppendSpool {
        let spool = try writer.makeSpool()
        for record in records { try spool.add(record) }
        return spool
    }

    @Test func aSpooledAppendWritesTheBytesOfTheSameBatchesGivenWhole() throws {
        let whole = TemporaryDirectory(), spooled = TemporaryDirectory()
        let batches = stride(from: 0, to: Self.records.count, by: AppendSpool.recordsPerBatch).map {
            Array(Self.records[$0..<min($0 + AppendSpool.recordsPerBatch, Self.records.count)])
        }
        let first = try LogWriter(directory: whole.path, options: simulatedOptions().0)
        try first.append(sampleRecords(5))
        let placedWhole = try first.append(batches: batches)
        try first.close()

        let second = try LogWriter(directory: spooled.path, options: simulatedOptions().0)
        try second.append(sampleRecords(5))
        let placedSpooled = try second.append(spool: try Self.spool(second, Self.records))
        try second.close()

        #expect(placedSpooled == placedWhole)
        #expect(placedSpooled.sequences == 5..<25_005)
        #expect(RawFile.read(lastSegmentPath(spooled.path)) == RawFile.read(lastSegmentPath(whole.path)))
        let index = { (directory: String) in RawFile.files(in: directory + "/index").map { RawFile.read(directory + "/index/" + $0) } }
        #expect(index(spooled.path) == index(whole.path))
        let headers = try segmentLayout(RawFile.read(lastSegmentPath(spooled.path))).batches.map {
            try BatchHeader.decode(RawFile.read(lastSegmentPath(spooled.path))[$0...])
        }
        #expect(headers.map(\.continues) == [false, true, true, false])
        #expect(try LogReader(directory: spooled.path).readAll().map(\.payload) == sampleRecords(5).map(\.payload) + Self.records.map(\.payload))
        #expect(try LogReader(directory: spooled.path).verify().passed)
    }

    /// The spool's file is gone from the directory as soon as it is open, and no trace of it is
    /// left after the append.
    @Test func theSpoolLeavesNoFileInTheLogDirectory() throws {
        let directory = TemporaryDirectory()
        let writer = try LogWriter(directory: directory.path, options: simulatedOptions().0)
        let spool = try Self.spool(writer, Array(Self.records.prefix(100)))
        #expect(RawFile.files(in: directory.path + "/index").isEmpty)
        try writer.append(spool: spool)
        try writer.close()
        #expect(RawFile.files(in: directory.path + "/index").allSatisfy { $0.hasSuffix(".qlidx") })
        #expect(try LogReader(directory: directory.path).readAll().count == 100)
    }

    @Test func anEmptySpoolAppendsNothing() throws {
        let directory = TemporaryDirectory()
        let writer = try LogWriter(directory: directory.path, options: simulatedOptions().0)
        try writer.append(sampleRecords(3))
        let placed = try writer.append(spool: try writer.makeSpool())
        #expect(placed.sequences == 3..<3 && placed.recordedAt.isEmpty)
        try writer.close()
        #expect(try LogReader(directory: directory.path).readAll().count == 3)
    }

    @Test func aRecordBeyondTheLimitsIsRefusedWhenItIsSpooled() throws {
        let directory = TemporaryDirectory()
        let writer = try LogWriter(directory: directory.path, options: simulatedOptions().0)
        defer { try? writer.close() }
        let spool = try writer.makeSpool()
        try spool.add(Record(keys: ["a"], payload: [1]))
        #expect(throws: LogError.recordTooLarge(record: 1, bytes: LogLimits.maxRecordBytes + 1, limit: LogLimits.maxRecordBytes)) {
            try spool.add(Record(payload: [UInt8](repeating: 0, count: LogLimits.maxRecordBytes + 1)))
        }
        #expect(throws: LogError.invalidStreamKey(record: 1, reason: "a key appears twice")) {
            try spool.add(Record(keys: ["k", "k"], payload: [2]))
        }
        #expect(spool.count == 1)
    }

    /// A write failing part-way through a spooled append (the disk full at its second batch)
    /// cuts the segment back to where the append began; the writer goes on.
    @Test func aWriteFailingPartWayLeavesNothingOfTheAppend() throws {
        let directory = TemporaryDirectory()
        let fileSystem = FaultInjectingFileSystem()
        let writer = try LogWriter(directory: directory.path, options: simulatedOptions(fileSystem: fileSystem).0)
        try writer.append(sampleRecords(5))
        let sizeBefore = RawFile.read(lastSegmentPath(directory.path)).count
        let writesBefore = fileSystem.writeCount
        fileSystem.inject(.write(errno: ENOSPC, prefix: 1_000), sparing: 1)
        #expect(throws: LogError.io(operation: "write", path: lastSegmentPath(directory.path), errno: ENOSPC)) {
            try writer.append(spool: try Self.spool(writer, Self.records))
        }
        #expect(fileSystem.writeCount - writesBefore == 2, "the first batch written, the second failing part-way")
        #expect(RawFile.read(lastSegmentPath(directory.path)).count == sizeBefore)
        #expect(writer.nextSequence == 5)
        try writer.append(sampleRecords(2, batch: 9))
        try writer.close()
        #expect(try LogReader(directory: directory.path).readAll().map(\.sequence) == Array(0..<7))
        #expect(try LogReader(directory: directory.path).verify().passed)
    }

    /// Spooled records that read back different (a bad sector under the spool) are refused
    /// before their batch is written; what was written of the append is cut back.
    @Test func aSpooledBatchThatReadsBackDifferentIsNeverWritten() throws {
        let directory = TemporaryDirectory()
        let fileSystem = HookedFileSystem()
        var spoolReads = 0, segmentWrites = 0
        fileSystem.wrapWritable = { path, file in
            if path.hasSuffix(".spool.tmp") {
                // The second batch read back has a byte flipped.
                return HookedFile(file, onRead: { bytes in
                    spoolReads += 1
                    if spoolReads == 2 { bytes[bytes.count / 2] ^= 0x10 }
                })
            }
            return path.hasSuffix(SegmentName.suffix) ? HookedFile(file, onWrite: { segmentWrites += 1 }) : file
        }
        let writer = try LogWriter(directory: directory.path, options: simulatedOptions(fileSystem: fileSystem).0)
        try writer.append(sampleRecords(5))
        let sizeBefore = RawFile.read(lastSegmentPath(directory.path)).count
        let writesBefore = segmentWrites
        do {
            try writer.append(spool: try Self.spool(writer, Self.records))
            Issue.record("a damaged spool was written")
        } catch let LogError.corrupt(path, _, reason) {
            #expect(path.contains("/index/append-") && path.hasSuffix(".spool.tmp"), "\(path)")
            #expect(reason.contains("read back different"))
        }
        #expect(segmentWrites - writesBefore == 1, "the first batch written before the damaged second was read")
        #expect(RawFile.read(lastSegmentPath(directory.path)).count == sizeBefore)
        try writer.append(sampleRecords(1, batch: 4))
        try writer.close()
        #expect(try LogReader(directory: directory.path).readAll().count == 6)
    }

    /// An append rolls to a new segment when it would not fit, and again if the year turned
    /// while the roll synced (the clock passes midnight at the roll's rename): its records are
    /// then recorded in the new year, in a segment of that year. Both paths.
    @Test(arguments: [true, false]) func theYearTurningDuringARollTakesAnotherRoll(spooled: Bool) throws {
        let directory = TemporaryDirectory()
        let fileSystem = HookedFileSystem()
        let newYear = ShanghaiTime.startOfYear(2025)
        let (options, clock) = simulatedOptions(at: newYear - 10_000_000, segmentBytes: 64 << 10, fileSystem: fileSystem)
        let writer = try LogWriter(directory: directory.path, options: options)
        try writer.append(sampleRecords(100))
        fileSystem.afterRename = { clock.set(microseconds: max(clock.now(), newYear + 1)) }
        let records = sampleRecords(400, batch: 2)  // more than the 64 KiB segment has left
        let placed = spooled ? try writer.append(spool: try Self.spool(writer, records)) : try writer.append(batches: [records])
        try writer.close()
        #expect(placed.sequences == 100..<500)
        #expect(placed.recordedAt.allSatisfy { ShanghaiTime.year(ofMicroseconds: $0) == 2025 })
        let segments = RawFile.files(in: directory.path + "/segments")
        #expect(segments.first?.hasPrefix("2024-") == true && segments.last?.hasPrefix("2025-") == true, "\(segments)")
        #expect(try LogReader(directory: directory.path).verify().passed)
        try LogWriter(directory: directory.path, options: simulatedOptions(at: newYear + 100_000_000).0).close()
        #expect(try LogReader(directory: directory.path).readAll().map(\.payload) == sampleRecords(100).map(\.payload) + records.map(\.payload))
    }

    /// Where the file system will not remove an open file, the spool keeps its name until it
    /// goes, and the append is made all the same.
    @Test func aSpoolWhoseFileCannotBeRemovedAtOnceStillAppendsAndGoes() throws {
        let directory = TemporaryDirectory()
        let fileSystem = HookedFileSystem()
        var refused = false
        fileSystem.beforeRemoving = { path throws(LogError) in
            // Once: the spool's removal when it goes is let through.
            guard path.hasSuffix(".spool.tmp"), !refused else { return }
            refused = true
            throw .io(operation: "remove", path: path, errno: EBUSY)
        }
        let writer = try LogWriter(directory: directory.path, options: simulatedOptions(fileSystem: fileSystem).0)
        var spool: AppendSpool? = try Self.spool(writer, Array(Self.records.prefix(300)))
        #expect(RawFile.files(in: directory.path + "/index").contains { $0.hasSuffix(".spool.tmp") })
        try writer.append(spool: try #require(spool))
        spool = nil
        try writer.close()
        #expect(refused)
        #expect(!RawFile.files(in: directory.path + "/index").contains { $0.hasSuffix(".spool.tmp") })
        #expect(try LogReader(directory: directory.path).readAll().count == 300)
    }

    /// Spools made side by side are files of their own.
    @Test func twoSpoolsKeepTheirOwnRecords() throws {
        let directory = TemporaryDirectory()
        let writer = try LogWriter(directory: directory.path, options: simulatedOptions().0)
        let first = try writer.makeSpool(), second = try writer.makeSpool()
        for record in sampleRecords(50, batch: 1) { try first.add(record) }
        for record in sampleRecords(70, batch: 2) { try second.add(record) }
        try writer.append(spool: second)
        try writer.append(spool: first)
        try writer.close()
        #expect(try LogReader(directory: directory.path).readAll().map(\.payload) == sampleRecords(70, batch: 2).map(\.payload) + sampleRecords(50, batch: 1).map(\.payload))
    }

    /// A spooled append of several batches is all or nothing at every power cut: readers see
    /// it whole, or none of it.
    @Test func aSpooledAppendIsAllOrNothingAtEveryPowerCut() throws {
        let records = sampleRecords(AppendSpool.recordsPerBatch + 1, batch: 5, payloadBytes: 8)
        var outcomes: Set<String> = []
        for seed in UInt64(1)...6 {
            for cutAt in 1...6 {
                let directory = TemporaryDirectory("spooled")
                let fileSystem = PowerLossFileSystem(cutAtSync: cutAt, seed: seed &* 131 &+ UInt64(cutAt))
                var acknowledged = 0
                var spooledAcknowledged = false
                if let writer = try? LogWriter(directory: directory.path, options: simulatedOptions(fileSystem: fileSystem).0) {
                    if (try? writer.append(sampleRecords(5), durability: .synced)) != nil { acknowledged = 5 }
                    if acknowledged == 5, let spool = try? Self.spool(writer, records), (try? writer.append(spool: spool)) != nil {
                        spooledAcknowledged = true
                    }
                }
                if !fileSystem.hasCut { try fileSystem.cut() }
                try LogWriter(directory: directory.path, options: simulatedOptions(at: june2024 + 60_000_000).0).close()
                let visible = try LogReader(directory: directory.path).readAll().count
                let whole = 5 + records.count
                #expect(visible >= acknowledged + (spooledAcknowledged ? records.count : 0), "seed \(seed), cut at \(cutAt)")
                #expect(visible <= 5 || visible == whole, "seed \(seed), cut at \(cutAt): \(visible) records, part of an append")
                #expect(try LogReader(directory: directory.path).verify().passed)
                outcomes.insert(visible == whole ? "whole" : "none")
            }
        }
        #expect(outcomes == ["whole", "none"], "the cuts hit both before and after the commit")
    }
}
