import Synchronization
import Foundation
import QinglingTestSupport
@testable import QinglingLog
import Testing

@Suite struct SealingTests {
    static let midYear: Int64 = 182 * 86_400 * 1_000_000

    /// A log with records in 2023 (three segments), 2024 and 2025, its clock in 2025.
    static func makeLog(_ directory: String) throws -> [LogRecord] {
        let (options, clock) = simulatedOptions(at: ShanghaiTime.startOfYear(2023) + midYear, segmentBytes: 40_000)
        let writer = try LogWriter(directory: directory, options: options)
        for batch in 0..<12 {
            if batch == 6 { clock.set(microseconds: ShanghaiTime.startOfYear(2024) + midYear) }
            if batch == 10 { clock.set(microseconds: ShanghaiTime.startOfYear(2025) + midYear) }
            try writer.append(sampleRecords(60, batch: batch))
        }
        try writer.close()
        return try LogReader(directory: directory).readAll()
    }

    static func seal(_ year: Int, in directory: String, fileSystem: any FileSystem = PosixFileSystem()) throws {
        let writer = try LogWriter(directory: directory, options: LogOptions(
            fileSystem: fileSystem, clock: SimulatedClock(microseconds: ShanghaiTime.startOfYear(2025) + midYear), createIfMissing: false))
        defer { try? writer.close() }
        let plan = try writer.sealingPlan(year: year)
        _ = try writer.prepareSealing(plan)
        try writer.commitSealing(plan)
    }

    @Test func sealedYearsReadVerifyAndAppendLikeLiveOnes() throws {
        let temporary = TemporaryDirectory()
        let directory = temporary.child("log")
        let before = try Self.makeLog(directory)
        try Self.seal(2023, in: directory)
        try Self.seal(2024, in: directory)
        let reader = try LogReader(directory: directory)
        #expect(try reader.readAll() == before)
        #expect(try reader.segments().filter(\.sealed).map(\.year) == [2023, 2024])
        #expect(!RawFile.files(in: directory + "/segments").contains { $0.hasPrefix("2023") || $0.hasPrefix("2024") })
        #expect(try reader.records(forKey: "B-3") == before.filter { $0.keys.contains("B-3") })
        #expect(try reader.record(at: 100) == before[100])
        let report = try reader.verify()
        #expect(report.passed, "\(report.problems)")
        #expect(report.records == before.count)

        // The writer goes on after the sealed years, and the chain still verifies.
        let (options, _) = simulatedOptions(at: ShanghaiTime.startOfYear(2025) + Self.midYear + 1_000_000)
        let writer = try LogWriter(directory: directory, options: options)
        try writer.append(sampleRecords(5, batch: 99))
        try writer.close()
        let after = try LogReader(directory: directory)
        #expect(try after.readAll().count == before.count + 5)
        #expect(try after.verify().passed)
        // Archive files are read-only.
        let archived = RawFile.files(in: directory + "/archive/2023")
        #expect(archived.contains(SealedYearLink.fileName))
        for name in archived {
            let mode = try FileManager.default.attributesOfItem(atPath: directory + "/archive/2023/" + name)[.posixPermissions] as? Int
            #expect(mode == 0o444, "\(name)")
        }
    }

    @Test func aLogEndingInASealedYearTakesTheNextAppend() throws {
        let temporary = TemporaryDirectory()
        let directory = temporary.child("log")
        let (options, clock) = simulatedOptions(at: ShanghaiTime.startOfYear(2023) + Self.midYear)
        let writer = try LogWriter(directory: directory, options: options)
        try writer.append(sampleRecords(30))
        clock.set(microseconds: ShanghaiTime.startOfYear(2025) + Self.midYear)
        let plan = try writer.sealingPlan(year: 2023)
        _ = try writer.prepareSealing(plan)
        try writer.commitSealing(plan)
        try writer.append(sampleRecords(3, batch: 1))
        try writer.close()
        let reader = try LogReader(directory: directory)
        #expect(try reader.readAll().map(\.sequence) == Array(0..<33))
        #expect(try reader.verify().passed)
        #expect(try LogWriter(directory: directory, options: simulatedOptions(at: ShanghaiTime.startOfYear(2025) + Self.midYear).0).nextSequence == 33)
    }

    @Test func sealingRefusesWhatItCannotSeal() throws {
        let temporary = TemporaryDirectory()
        let directory = temporary.child("log")
        _ = try Self.makeLog(directory)
        func refusal(_ year: Int) -> String {
            do {
                try Self.seal(year, in: directory)
                return "sealed"
            } catch {
                return "\(error)"
            }
        }
        #expect(refusal(2025).contains("has not ended"))
        #expect(refusal(2024).contains("2023 has events and is not sealed"))
        #expect(refusal(2022).contains("no event recorded in 2022"))
        #expect(refusal(2023) == "sealed")
        #expect(refusal(2023).contains("already sealed"))
    }

    /// A crash at every change sealing makes: after reopening, the log reads exactly as
    /// before (from the live segments or from the archive, never both), verifies, and sealing
    /// again completes.
    @Test func aCrashAtEveryStepOfSealingLosesNothingAndCountsNothingTwice() throws {
        let temporary = TemporaryDirectory()
        let pristine = temporary.child("pristine")
        let before = try Self.makeLog(pristine)
        var step = 1
        var completed = false
        while !completed {
            let directory = temporary.child("crash-\(step)")
            try FileManager.default.copyItem(atPath: pristine, toPath: directory)
            let crashing = CrashingFileSystem(crashAt: step)
            do {
                try Self.seal(2023, in: directory, fileSystem: crashing)
                completed = true
            } catch {
                // The crash: reopen as a new process would.
            }
            let reader = try LogReader(directory: directory)
            #expect(try reader.readAll() == before, "crash at change \(step)")
            #expect(try reader.verify().passed, "crash at change \(step)")
            let writer = try LogWriter(directory: directory, options: simulatedOptions(at: ShanghaiTime.startOfYear(2025) + Self.midYear).0)
            #expect(writer.nextSequence == UInt64(before.count))
            try writer.close()
            if !completed {
                let sealedAlready = try LogLayout(directory: directory).sealedYears(PosixFileSystem()).contains(2023)
                if !sealedAlready { try Self.seal(2023, in: directory) }
                #expect(try LogReader(directory: directory).readAll() == before, "after finishing, crash at change \(step)")
            }
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory)
            step += 1
        }
        #expect(step > 10)
    }

    /// Readers running while a year is sealed (its live segments give way to the archive's)
    /// read the whole log every time: a segment gone when opened makes them list again.
    @Test func readersDuringASealSeeTheWholeLogEveryTime() throws {
        let temporary = TemporaryDirectory()
        for attempt in 0..<6 {
            let directory = temporary.child("log-\(attempt)")
            let before = try Self.makeLog(directory)
            let key = try #require(before.first?.keys.first)
            let keyed = before.filter { $0.keys.contains(key) }
            let stop = Mutex(false)
            let failures = Mutex<[String]>([])
            let reads = Mutex(0)
            let reader = Thread {
                while !stop.withLock({ $0 }) {
                    do {
                        let log = try LogReader(directory: directory)
                        if try log.readAll() != before { failures.withLock { $0.append("readAll differs") } }
                        if try log.records(forKey: key) != keyed { failures.withLock { $0.append("records(forKey:) differs") } }
                        reads.withLock { $0 += 1 }
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                    }
                }
            }
            reader.start()
            Thread.sleep(forTimeInterval: 0.01 * Double(attempt))
            try Self.seal(2023, in: directory)
            Thread.sleep(forTimeInterval: 0.05)
            stop.withLock { $0 = true }
            while !reader.isFinished { Thread.sleep(forTimeInterval: 0.01) }
            #expect(failures.withLock { $0 }.isEmpty, "attempt \(attempt): \(failures.withLock { $0 }.prefix(3))")
            #expect(reads.withLock { $0 } > 0)
        }
    }
}
