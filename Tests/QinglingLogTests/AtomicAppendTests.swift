import Foundation
@testable import QinglingLog
import QinglingTestSupport
import Testing

/// An append of several batches (`LogWriter.append(batches:)`) is one append: readers see all of
/// its batches or none, and a crash part-way leaves none (issue 21, item 8).
@Suite struct AtomicAppendTests {
    static func group(_ batches: Int, records: Int = 40, from batch: Int = 0) -> [[Record]] {
        (0..<batches).map { sampleRecords(records, batch: batch + $0, payloadBytes: 120) }
    }

    @Test func aMultiBatchAppendIsAllOrNothingAtEveryPowerCut() throws {
        var outcomes: Set<String> = []
        for seed in UInt64(1)...30 {
            for cutAt in 1...8 {
                let directory = TemporaryDirectory("atomic")
                let fileSystem = PowerLossFileSystem(cutAtSync: cutAt, seed: seed &* 31 &+ UInt64(cutAt))
                let clock = SimulatedClock(microseconds: june2024)
                var acknowledged = 0
                var groupAcknowledged = false
                if let writer = try? LogWriter(directory: directory.path, options: LogOptions(fileSystem: fileSystem, clock: clock)) {
                    if (try? writer.append(sampleRecords(5), durability: .synced)) != nil { acknowledged = 5 }
                    if acknowledged == 5, (try? writer.append(batches: Self.group(4))) != nil { groupAcknowledged = true }
                }
                if !fileSystem.hasCut { try fileSystem.cut() }
                try LogWriter(directory: directory.path, options: simulatedOptions(at: june2024 + 60_000_000).0).close()
                let visible = try LogReader(directory: directory.path).readAll().count
                #expect(visible >= acknowledged + (groupAcknowledged ? 160 : 0), "seed \(seed), cut at \(cutAt)")
                #expect(visible <= 5 || visible == 165, "seed \(seed), cut at \(cutAt): \(visible) records, part of an append")
                let writer = try LogWriter(directory: directory.path, options: simulatedOptions(at: june2024 + 120_000_000).0)
                try writer.append(sampleRecords(1, batch: 99))
                try writer.close()
                #expect(try LogReader(directory: directory.path).verify().passed)
                outcomes.insert(visible == 165 ? "whole" : "none")
            }
        }
        #expect(outcomes == ["whole", "none"], "the cuts hit both before and after the commit")
    }

    /// The batches of an append whose last batch is missing are not part of the log: readers do
    /// not return them, and the writer moves them aside before it next writes.
    @Test func readersIgnoreAnAppendWithoutItsLastBatch() throws {
        let directory = TemporaryDirectory()
        let (options, _) = simulatedOptions()
        let writer = try LogWriter(directory: directory.path, options: options)
        try writer.append(sampleRecords(5))
        let result = try writer.append(batches: Self.group(3))
        #expect(result.sequences == 5..<125)
        try writer.close()
        let segment = lastSegmentPath(directory.path)
        let bytes = RawFile.read(segment)
        let layout = try segmentLayout(bytes)
        #expect(layout.batches.count == 4 && layout.marks.count == 2, "\(layout)")
        let headers = try layout.batches.map { try BatchHeader.decode(bytes[$0...]) }
        #expect(headers.map(\.continues) == [false, true, true, false])
        try FileManager.default.removeItem(atPath: directory.path + "/index")
        // The last batch of the append gone (a write cut short): only the first append is there.
        RawFile.write(segment, Array(bytes.prefix(layout.batches[3])))
        #expect(try LogReader(directory: directory.path).readAll().count == 5)
        #expect(try LogReader(directory: directory.path).records(forKey: "B-1").isEmpty)
        #expect(try LogReader(directory: directory.path).verify().tornTail?.offset == Int64(layout.batches[1]))
        // What `qingling recover` shows it would move aside: both whole batches of the append.
        let shown = try #require(try LogRecovery.inspect(directory: directory.path))
        #expect(shown.batchesAfter == 2 && shown.sequencesAfter == 5...84, "\(shown)")
        let reopened = try LogWriter(directory: directory.path, options: simulatedOptions(at: june2024 + 1_000_000).0)
        #expect(reopened.nextSequence == 5)
        #expect(reopened.recovery.cutTails.first?.offset == Int64(layout.batches[1]))
        try reopened.append(sampleRecords(2, batch: 7))
        try reopened.close()
        #expect(try LogReader(directory: directory.path).readAll().map(\.sequence) == Array(0..<7))
    }

    /// An append is never split across segments, even when it is larger than the roll size or
    /// would straddle the turn of the year.
    @Test func anAppendStaysInOneSegment() throws {
        let directory = TemporaryDirectory()
        let lastSecond = ShanghaiTime.startOfYear(2025) - 50
        let (options, _) = simulatedOptions(at: lastSecond, segmentBytes: 4_096)
        let writer = try LogWriter(directory: directory.path, options: options)
        try writer.append(sampleRecords(3))
        let result = try writer.append(batches: Self.group(3))
        #expect(result.recordedAt.allSatisfy { ShanghaiTime.year(ofMicroseconds: $0) == 2025 })
        try writer.close()
        let names = try LogReader(directory: directory.path).segments()
        #expect(names.map(\.year) == [2024, 2025])
        #expect(names.map(\.baseSequence) == [0, 3])
        #expect(try LogReader(directory: directory.path).readAll().count == 123)
        #expect(try LogReader(directory: directory.path).verify().passed)
    }
}
