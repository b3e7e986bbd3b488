import Foundation
import Testing

/// `append` reads JSON Lines a piece at a time (1 MiB), decodes them in chunks of lines on worker
/// threads and checks each event in input order; `export` writes each event's bytes directly.
/// Inputs here span several pieces.
@Suite struct LargeInputCLITests {
    /// About 4,000 events, some 2 MB of JSON Lines.
    static func generated(_ scratch: Scratch) throws -> [String] {
        let generated = try Qingling.run(["generate", "--seed", "3", "--hazards-per-year", "350", "--first-year", "2024", "--last-year", "2025",
                                          "--output", scratch.child("events.jsonl")])
        #expect(generated.status == 0, "\(generated.stderr)")
        let text = try String(contentsOfFile: scratch.child("events.jsonl"), encoding: .utf8)
        try #require(text.utf8.count > 3 << 19, "the input spans several pieces of 1 MiB")
        return text.split(separator: "\n").map(String.init)
    }

    static func withoutRecordedTime(_ text: String) -> [String] {
        text.split(separator: "\n").map { $0.replacingOccurrences(of: #""recordedAt":"[^"]*","#, with: "", options: .regularExpression) }
    }

    @Test func aLargeFileAppendsAsItsPiecesDo() throws {
        let scratch = Scratch()
        let lines = try Self.generated(scratch)
        let whole = try Qingling.run(["append", "--log", scratch.child("whole"), scratch.child("events.jsonl")])
        #expect(whole.status == 0, "\(whole.stderr)")
        #expect(whole.stdout.contains("appended \(lines.count) events: sequences 0–\(lines.count - 1)"))
        var start = 0
        for (index, end) in [1, 1_234, lines.count].enumerated() {
            try (lines[start..<end].joined(separator: "\n") + "\n").write(toFile: scratch.child("piece\(index).jsonl"), atomically: false, encoding: .utf8)
            let piece = try Qingling.run(["append", "--log", scratch.child("pieces"), scratch.child("piece\(index).jsonl")])
            #expect(piece.status == 0, "\(piece.stderr)")
            start = end
        }
        let a = try Qingling.run(["export", "--log", scratch.child("whole")]), b = try Qingling.run(["export", "--log", scratch.child("pieces")])
        #expect(a.status == 0 && b.status == 0)
        #expect(Self.withoutRecordedTime(a.stdout).count == lines.count)
        #expect(Self.withoutRecordedTime(a.stdout) == Self.withoutRecordedTime(b.stdout))
    }

    @Test func problemsInTheMiddleOfALargeFileAreAllListedAndNothingIsWritten() throws {
        let scratch = Scratch()
        var lines = try Self.generated(scratch)
        lines[1_500] = String(lines[1_500].prefix(100))
        lines[3_000] = lines[3_000].replacingOccurrences(of: "\"data\":{", with: "\"data\":{\"colour\":\"red\",")
        try (lines.joined(separator: "\n") + "\n").write(toFile: scratch.child("bad.jsonl"), atomically: false, encoding: .utf8)
        let bad = try Qingling.run(["append", "--log", scratch.child("log"), scratch.child("bad.jsonl")])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("line 1501: not valid JSON"))
        #expect(bad.stderr.contains("line 3001"))
        #expect(bad.stderr.contains("data.colour: unknown field"))
        // Read in chunks of lines on worker threads, listed in the order of the input.
        let first = try #require(bad.stderr.range(of: "line 1501")), second = try #require(bad.stderr.range(of: "line 3001"))
        #expect(first.lowerBound < second.lowerBound)
        #expect(bad.stderr.contains("problems; nothing was written"))
        #expect(!FileManager.default.fileExists(atPath: scratch.child("log")), "the log it would have created is not left behind")
    }

    /// `export` writes the bytes earlier versions wrote: `export-seed5.jsonl` is the export of
    /// this generated log (simulated clock: the same recorded times) by the version before
    /// `EventJSONEncoder` wrote bytes directly, its `hash` fields since those of codec version
    /// 2's stored bytes (every other byte unchanged).
    @Test func exportWritesTheBytesOfEarlierVersions() throws {
        let scratch = Scratch()
        let generated = try Qingling.run(["generate", "--seed", "5", "--hazards-per-year", "40", "--first-year", "2024", "--last-year", "2025",
                                          "--into", scratch.child("log")])
        #expect(generated.status == 0, "\(generated.stderr)")
        let export = try Qingling.run(["export", "--log", scratch.child("log"), "--output", scratch.child("export.jsonl")])
        #expect(export.status == 0, "\(export.stderr)")
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("QinglingWorkflowTests/Fixtures/export-seed5.jsonl")
        let expected = try Data(contentsOf: fixture)
        #expect(expected.count > 200_000)
        #expect(try Data(contentsOf: URL(fileURLWithPath: scratch.child("export.jsonl"))) == expected)
    }
}
