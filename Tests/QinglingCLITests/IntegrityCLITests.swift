import Foundation
import Testing

/// No command loses, hides or invents ledger data (issue 21): damage a command can see makes it
/// exit 5 naming what is wrong, and nothing is cut or replaced on the way.
@Suite struct IntegrityCLITests {
    /// A log of three years (one segment a year, each with its index), made once and copied.
    static let template: String = {
        let path = NSTemporaryDirectory() + "qingling-integrity-\(UUID().uuidString)"
        _ = try? Qingling.run(["generate", "--hazards-per-year", "40", "--first-year", "2023", "--last-year", "2025", "--into", path])
        return path
    }()

    static func copy(into scratch: Scratch) throws -> String {
        let log = scratch.child("log")
        try FileManager.default.copyItem(atPath: template, toPath: log)
        return log
    }

    static func segments(_ log: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: log + "/segments").filter { $0.hasSuffix(".qlseg") }.sorted()
    }

    static func flip(_ path: String, at offset: Int) throws {
        var bytes = try #require(FileManager.default.contents(atPath: path))
        bytes[offset] ^= 0x20
        try bytes.write(to: URL(fileURLWithPath: path))
    }

    /// Item 1: synced batches damaged, indexes deleted. Nothing treats them as a torn tail.
    @Test func syncedDataDamagedWithoutItsIndexStopsEveryCommandAndIsNeverCut() throws {
        let scratch = Scratch()
        let log = try Self.copy(into: scratch)
        try FileManager.default.removeItem(atPath: log + "/index")
        let last = log + "/segments/" + (try Self.segments(log).last ?? "")
        try Self.flip(last, at: 32 + 100)
        let before = BadInputCLITests.snapshot(log + "/segments")
        let bad = scratch.child("bad.jsonl")
        try "{\"type\":\"HazardReported\"}\n".write(toFile: bad, atomically: false, encoding: .utf8)
        for arguments in [["export"], ["verify"], ["status"], ["stats", "2025"], ["append", bad], ["recover", "--yes"]] {
            let result = try Qingling.run(arguments + ["--log", log])
            #expect(result.status == 5, "\(arguments): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains(last) || result.stdout.contains(last), "\(arguments) names the file: \(result.stderr)")
        }
        #expect(BadInputCLITests.snapshot(log + "/segments") == before, "nothing was cut, moved or rewritten")
        #expect(!FileManager.default.fileExists(atPath: log + "/recovered"))
    }

    /// An export of a range reads no batch after it: damage in a later year's segment does not
    /// stop it, and it gives the same events as an export of the whole undamaged log.
    @Test func anExportOfARangeReadsNothingAfterIt() throws {
        let scratch = Scratch()
        let log = try Self.copy(into: scratch)
        let whole = try Qingling.run(["export", "--log", log]).stdout.split(separator: "\n").map(String.init)
        try Self.flip(log + "/segments/" + (try Self.segments(log).last ?? ""), at: 32 + 100)
        let range = try Qingling.run(["export", "--log", log, "--from", "3", "--to", "9"])
        #expect(range.status == 0, "\(range.stderr)")
        #expect(range.stdout.split(separator: "\n").map(String.init) == Array(whole[3...9]))
        #expect(try Qingling.run(["export", "--log", log]).status == 5, "the whole log's export meets the damage")
    }

    /// Item 2: a segment truncated inside its header is damage, not an empty ledger.
    @Test func aTruncatedSegmentHeaderIsCorruptionForEveryReader() throws {
        let scratch = Scratch()
        let log = try Self.copy(into: scratch)
        #expect(try Qingling.run(["stats", "2025", "--log", log]).status == 0)
        let checkpoint = try #require(FileManager.default.contents(atPath: log + "/projections/state.qlproj"))
        let last = log + "/segments/" + (try Self.segments(log).last ?? "")
        try Data(try #require(FileManager.default.contents(atPath: last)).prefix(20)).write(to: URL(fileURLWithPath: last))
        for arguments in [["export"], ["stats", "2025"], ["overdue"], ["targets"], ["verify"], ["status"]] {
            let result = try Qingling.run(arguments + ["--log", log])
            #expect(result.status == 5, "\(arguments): \(result.status) \(result.stdout.prefix(200)) \(result.stderr)")
        }
        #expect(FileManager.default.contents(atPath: log + "/projections/state.qlproj") == checkpoint, "the checkpoint is not replaced")
    }

    /// Item 3: a segment removed anywhere is noticed.
    @Test(arguments: ["first", "middle", "last", "segments/"])
    func aRemovedSegmentIsNoticed(_ which: String) throws {
        let scratch = Scratch()
        let log = try Self.copy(into: scratch)
        let names = try Self.segments(log)
        #expect(names.count == 3)
        let hazard = "LX-2024-0001"
        if which == "segments/" {
            try FileManager.default.removeItem(atPath: log + "/segments")
        } else {
            let name = which == "first" ? names[0] : which == "middle" ? names[1] : names[2]
            try FileManager.default.removeItem(atPath: log + "/segments/" + name)
            try FileManager.default.removeItem(atPath: log + "/index/" + name.replacingOccurrences(of: ".qlseg", with: ".qlidx"))
        }
        for arguments in [["export"], ["export", "--hazard", hazard], ["trace", "--hazard", hazard], ["verify"], ["status"], ["stats", "2024"]] {
            let result = try Qingling.run(arguments + ["--log", log])
            #expect(result.status == 5, "\(which) removed, \(arguments): \(result.status) \(result.stderr)")
            let said = result.stderr + result.stdout
            #expect(said.contains("missing") || said.contains("removed"), "\(which), \(arguments): \(result.stderr)")
        }
    }

    /// A torn tail (bytes after the last sync mark, never acknowledged) is shown, left in place by
    /// commands that write nothing, and moved aside by the next append that writes.
    @Test func aTornTailIsLeftAloneUntilAnAppendWrites() throws {
        let scratch = Scratch()
        let log = try Self.copy(into: scratch)
        let last = log + "/segments/" + (try Self.segments(log).last ?? "")
        var bytes = try #require(FileManager.default.contents(atPath: last))
        let size = bytes.count
        bytes.append(contentsOf: (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 131) })
        try bytes.write(to: URL(fileURLWithPath: last))
        let exported = try Qingling.run(["export", "--log", log])
        #expect(exported.status == 0)
        let original = try Qingling.run(["export", "--log", Self.template])
        #expect(exported.stdout == original.stdout, "every event is there")
        let status = try Qingling.run(["status", "--log", log])
        #expect(status.status == 0 && status.stdout.contains("torn tail of 300 bytes"), "\(status.stdout)")
        #expect(try Qingling.run(["verify", "--log", log]).stdout.contains("torn tail"))
        let before = BadInputCLITests.snapshot(log)
        let bad = scratch.child("bad.jsonl")
        try "{\"type\":\"HazardReported\"}\n".write(toFile: bad, atomically: false, encoding: .utf8)
        #expect(try Qingling.run(["append", "--log", log, bad]).status == 2)
        #expect(BadInputCLITests.snapshot(log) == before, "a refused append changes nothing")
        let events = try Qingling.run(["generate", "--hazards-per-year", "40", "--first-year", "2026", "--last-year", "2026", "--seed", "9"])
        let first = try #require(events.stdout.split(separator: "\n").first { $0.contains("HazardReported") }).replacingOccurrences(of: "LX-2026-", with: "LX-2026-9")
        let appended = try Qingling.run(["append", "--log", log, "-"], input: first + "\n")
        #expect(appended.status == 0, "\(appended.stderr)")
        let recovered = try FileManager.default.contentsOfDirectory(atPath: log + "/recovered")
        #expect(recovered.count == 1 && recovered[0].hasSuffix("@\(size).tail"), "\(recovered)")
        #expect(try Qingling.run(["verify", "--log", log]).status == 0)
    }
}
