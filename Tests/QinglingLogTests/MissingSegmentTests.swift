import Foundation
@testable import QinglingLog
import Testing

/// A segment removed from the middle of the log, with its index, is corruption for every way
/// of reading the log, including those that read only its end.
@Suite struct MissingSegmentTests {
    /// A log of three segments (2024, 2025, 2026), 5 records each.
    static func threeYears(_ directory: String) throws -> [SegmentName] {
        for year in 2024...2026 {
            let writer = try LogWriter(directory: directory, options: simulatedOptions(at: ShanghaiTime.startOfYear(year) + 1_000_000).0)
            try writer.append(sampleRecords(5, batch: year))
            try writer.close()
        }
        return try LogReader(directory: directory).segments()
    }

    @Test func whereTheLogEndsIsNotAskedOfALogMissingAMiddleSegment() throws {
        let temporary = TemporaryDirectory()
        let directory = temporary.child("log")
        let names = try Self.threeYears(directory)
        #expect(names.count == 3)
        let layout = LogLayout(directory: directory)
        try FileManager.default.removeItem(atPath: layout.segment(names[1]))
        try FileManager.default.removeItem(atPath: layout.index(names[1]))
        let reader = try LogReader(directory: directory)
        for (what, read) in [("nextSequence", { _ = try reader.nextSequence() }), ("lastRecordedAt", { _ = try reader.lastRecordedAt() }),
                             ("readAll", { _ = try reader.readAll() })] as [(String, () throws -> Void)] {
            do {
                try read()
                Issue.record("\(what) read a log missing its middle segment")
            } catch let error as LogError {
                guard case let .corrupt(path, _, reason) = error else { Issue.record("\(what): \(error)"); continue }
                #expect(path == layout.segment(names[2]) && reason.contains("missing"), "\(what): \(reason)")
            }
        }
    }

    /// The last segment removed: its predecessor's finishing sync mark says the log went on.
    /// `qingling recover` says so too, rather than that the log reads to its end.
    @Test func recoveryDoesNotCallALogMissingItsLastSegmentWhole() throws {
        let temporary = TemporaryDirectory()
        let directory = temporary.child("log")
        let names = try Self.threeYears(directory)
        let layout = LogLayout(directory: directory)
        try FileManager.default.removeItem(atPath: layout.segment(names[2]))
        try FileManager.default.removeItem(atPath: layout.index(names[2]))
        do {
            let damage = try LogRecovery.inspect(directory: directory)
            Issue.record("inspect found \(damage.map { "\($0)" } ?? "nothing to recover")")
        } catch {
            guard case let .corrupt(path, _, reason) = error else { Issue.record("\(error)"); return }
            #expect(path == layout.segment(names[1]) && reason.contains("missing"), "\(reason)")
        }
    }
}
