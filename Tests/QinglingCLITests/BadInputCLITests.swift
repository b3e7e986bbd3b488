import Foundation
import Testing

/// Bad input through the real binary: the status the user gets, and nothing written
/// (docs/reliability.md, "Bad input").
@Suite struct BadInputCLITests {
    /// The SHA-256-free fingerprint of a directory: every file's path and bytes, `LOCK` left out.
    static func snapshot(_ directory: String) -> [String: Data] {
        var files: [String: Data] = [:]
        for path in (FileManager.default.subpaths(atPath: directory) ?? []) where !path.hasSuffix("LOCK") {
            if let data = FileManager.default.contents(atPath: directory + "/" + path) { files[path] = data }
        }
        return files
    }

    static func events(_ count: Int) throws -> [String] {
        let generated = try Qingling.run(["generate", "--hazards-per-year", "80", "--first-year", "2024", "--last-year", "2024"])
        let lines = Array(generated.stdout.split(separator: "\n").prefix(count).map(String.init))
        #expect(lines.count == count, "generate gave \(lines.count) events")
        return lines.count == count ? lines : []
    }

    @Test func aLogThatReceivesNothingIsNotCreated() throws {
        let scratch = Scratch()
        let log = scratch.child("new")
        let bad = scratch.child("bad.jsonl")
        try "{\"type\":\"HazardReported\"}\n".write(toFile: bad, atomically: false, encoding: .utf8)
        let refused = try Qingling.run(["append", "--log", log, bad])
        #expect(refused.status == 2 && refused.stderr.contains("nothing was written"))
        #expect(!FileManager.default.fileExists(atPath: log))
        let good = scratch.child("good.jsonl")
        try (try Self.events(3).joined(separator: "\n") + "\n").write(toFile: good, atomically: false, encoding: .utf8)
        let dry = try Qingling.run(["append", "--log", log, "--dry-run", good])
        #expect(dry.status == 0 && !FileManager.default.fileExists(atPath: log))
        #expect(try Qingling.run(["append", "--log", log, good]).status == 0)
    }

    @Test func aControlCharacterInAnyStringIsRefusedWithoutBeingEchoed() throws {
        let scratch = Scratch()
        let log = scratch.child("log")
        let report = try #require(try Self.events(40).first { $0.contains("\"HazardReported\"") })
        let bad = report.replacingOccurrences(of: "\"description\":\"", with: "\"description\":\"ok\\u001b[2K\\r")
        let path = scratch.child("bad.jsonl")
        try (bad + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        let refused = try Qingling.run(["append", "--log", log, path])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("data.description: holds the control character U+001B at character 3"), "\(refused.stderr)")
        #expect(!refused.stderr.unicodeScalars.contains("\u{1B}") && !refused.stderr.unicodeScalars.contains("\r"))
        #expect(!FileManager.default.fileExists(atPath: log))
    }

    @Test func refusalsOfTheWorkflowWriteNothingAndSayWhy() throws {
        let scratch = Scratch()
        let log = scratch.child("log")
        let lines = try Self.events(40)
        guard !lines.isEmpty else { return }
        let first = scratch.child("first.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(toFile: first, atomically: false, encoding: .utf8)
        #expect(try Qingling.run(["append", "--log", log, first]).status == 0)
        let before = Self.snapshot(log)

        // The same hazard reported again under a new event id.
        let report = try #require(lines.first { $0.contains("\"HazardReported\"") })
        let duplicate = report.replacingOccurrences(of: "\"eventId\":\"", with: "\"eventId\":\"again-")
        // A stale expected version on a later step of a hazard.
        let step = try #require(lines.first { $0.contains("\"HazardRectified\"") || $0.contains("\"DeadlineExtended\"") })
        let stale = step.replacingOccurrences(of: "\"eventId\":\"", with: "\"eventId\":\"stale-")
            .replacingOccurrences(of: "\"actor\":", with: "\"expectedVersion\":9,\"actor\":")
        // A reused event id with other content.
        let reused = report.replacingOccurrences(of: "\"description\":\"", with: "\"description\":\"改：")
        for (label, line, status, words) in [("duplicate hazard", duplicate, Int32(2), "already"), ("reused event id", reused, Int32(3), "already used"),
                                             ("stale expected version", stale, Int32(3), "expected version")] {
            let path = scratch.child("\(label).jsonl")
            try (line + "\n").write(toFile: path, atomically: false, encoding: .utf8)
            let result = try Qingling.run(["append", "--log", log, path])
            #expect(result.status == status, "\(label): \(result.stderr)")
            #expect(result.stderr.contains(words) && result.stderr.contains("nothing was written"), "\(label): \(result.stderr)")
            #expect(Self.snapshot(log) == before, "\(label) wrote something")
        }
        // Too many hazards in one escalation (the limit is 200).
        let all = try Qingling.run(["generate", "--hazards-per-year", "80", "--first-year", "2024", "--last-year", "2024"]).stdout.split(separator: "\n").map(String.init)
        if let escalation = all.first(where: { $0.contains("\"EscalationIssued\"") }),
           let idsRange = escalation.range(of: #""hazardIds":\[[^\]]*\]"#, options: .regularExpression) {
            let ids = (0..<201).map { "\"LX-2024-\(String(format: "%04d", $0 + 1))\"" }.joined(separator: ",")
            let oversized = escalation.replacingCharacters(in: idsRange, with: "\"hazardIds\":[\(ids)]")
                .replacingOccurrences(of: "\"eventId\":\"", with: "\"eventId\":\"big-")
            let path = scratch.child("oversized.jsonl")
            try (oversized + "\n").write(toFile: path, atomically: false, encoding: .utf8)
            let result = try Qingling.run(["append", "--log", log, path])
            #expect(result.status == 2 && result.stderr.contains("hazardIds"), "\(result.stderr)")
            #expect(Self.snapshot(log) == before)
        } else {
            Issue.record("no escalation among the generated events")
        }
        // A credit code with a wrong check character, in a whole document.
        let withCode = try #require(lines.first { $0.contains("\"creditCode\":\"") })
        let codeRange = try #require(withCode.range(of: "\"creditCode\":\""))
        var badCode = withCode
        let checkIndex = badCode.index(codeRange.upperBound, offsetBy: 17)
        badCode.replaceSubrange(checkIndex...checkIndex, with: badCode[checkIndex] == "0" ? "1" : "0")
        let path = scratch.child("code.jsonl")
        try (badCode.replacingOccurrences(of: "\"eventId\":\"", with: "\"eventId\":\"code-") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        let codeResult = try Qingling.run(["append", "--log", log, path])
        #expect(codeResult.status == 2 && codeResult.stderr.contains("creditCode"), "\(codeResult.stderr)")
        #expect(Self.snapshot(log) == before)
    }

    /// A last segment cut short after a clean close lost synced events: every command says so
    /// (exit 5) and nothing is cut, renumbered or appended.
    @Test func aTruncatedLastSegmentIsCorruptionForEveryCommand() throws {
        let scratch = Scratch()
        let log = scratch.child("log")
        let lines = try Self.events(60)
        guard lines.count == 60 else { return }
        for part in 0..<3 {
            let path = scratch.child("part-\(part).jsonl")
            try (lines[(part * 20)..<(part * 20 + 20)].joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
            #expect(try Qingling.run(["append", "--log", log, path]).status == 0)
        }
        let segment = try #require(try FileManager.default.contentsOfDirectory(atPath: log + "/segments").first)
        let path = log + "/segments/" + segment
        let bytes = try #require(FileManager.default.contents(atPath: path))
        try bytes.prefix(bytes.count - 100).write(to: URL(fileURLWithPath: path))
        let before = Self.snapshot(log)
        let more = scratch.child("more.jsonl")
        try (lines[40...].joined(separator: "\n") + "\n").write(toFile: more, atomically: false, encoding: .utf8)
        for command in [["export"], ["status"], ["verify"], ["stats", "2024"], ["append", more]] {
            let result = try Qingling.run(command + ["--log", log])
            #expect(result.status == 5, "\(command): \(result.status) \(result.stderr)")
            #expect((result.stderr + result.stdout).contains(segment), "\(command)")
        }
        #expect(Self.snapshot(log).filter { !$0.key.hasPrefix("projections") } == before.filter { !$0.key.hasPrefix("projections") })
    }

    /// A segment removed (with its index), or all of `segments/`: every reader exits 5 naming
    /// what is missing, also the analysts' commands, whose checkpoint (saved before) matches the
    /// log's end; nothing is written.
    @Test(arguments: ["first", "middle", "last", "segments/"])
    func aRemovedSegmentIsCorruptionForEveryReader(_ removed: String) throws {
        let scratch = Scratch()
        let log = scratch.child("log")
        #expect(try Qingling.run(["generate", "--hazards-per-year", "10", "--into", log]).status == 0)
        #expect(try Qingling.run(["targets", "--log", log]).status == 0)
        let stems = try FileManager.default.contentsOfDirectory(atPath: log + "/segments").map { String($0.dropLast(".qlseg".count)) }.sorted()
        #expect(stems.count == 4)
        if removed == "segments/" {
            try FileManager.default.removeItem(atPath: log + "/segments")
        } else {
            let stem = stems[["first": 0, "middle": 1, "last": stems.count - 1][removed] ?? 0]
            try FileManager.default.removeItem(atPath: log + "/segments/" + stem + ".qlseg")
            try FileManager.default.removeItem(atPath: log + "/index/" + stem + ".qlidx")
        }
        let before = Self.snapshot(log)
        let more = scratch.child("more.jsonl")
        try (try Self.events(1).joined(separator: "\n") + "\n").write(toFile: more, atomically: false, encoding: .utf8)
        for command in [["export"], ["status"], ["verify"], ["stats", "2025"], ["overdue"], ["targets"], ["append", more]] {
            let result = try Qingling.run(command + ["--log", log])
            #expect(result.status == 5, "\(removed) removed, \(command): \(result.status) \(result.stderr)")
            #expect((result.stderr + result.stdout).contains("missing"), "\(removed) removed, \(command): \(result.stderr)")
        }
        #expect(Self.snapshot(log) == before)
    }

    @Test func signingKeysAreCheckedBeforeAnythingElse() throws {
        let scratch = Scratch()
        let log = scratch.child("demo")
        _ = try Qingling.run(["demo", "--directory", log, "--hazards-per-year", "5"])
        let before = Self.snapshot(log)
        let again = try Qingling.run(["keygen", "--log", log, "--private-key", scratch.child("other.key")])
        #expect(again.status == 2 && again.stderr.contains("already has a public key"))
        #expect(Self.snapshot(log) == before)
        #expect(!FileManager.default.fileExists(atPath: scratch.child("other.key")))

        // Another key, even with nothing left to seal.
        let otherLog = scratch.child("other")
        _ = try Qingling.run(["demo", "--directory", otherLog, "--hazards-per-year", "5"])
        let wrong = try Qingling.run(["seal", "--finished", "--log", log, "--private-key", otherLog + ".signing-key"])
        #expect(wrong.status == 2 && wrong.stderr.contains("not the log's"), "\(wrong.stderr)")
        let missing = try Qingling.run(["seal", "--finished", "--log", log, "--private-key", scratch.child("nope.key")])
        #expect(missing.status == 2 && missing.stderr.contains("cannot be read"))
        try FileManager.default.copyItem(atPath: log + ".signing-key", toPath: log + "/inside.key")
        let inside = try Qingling.run(["seal", "--finished", "--log", log, "--private-key", log + "/inside.key"])
        #expect(inside.status == 2 && inside.stderr.contains("inside the log directory"))

        let usage = try Qingling.run(["stats"])
        #expect(usage.status == 64)
    }
}

/// `generate --into`: the generated events streamed into a new log through the rules.
@Suite struct GenerateIntoTests {
    @Test func theStreamedLogHoldsExactlyTheGeneratedEvents() throws {
        let scratch = Scratch()
        let generated = try Qingling.run(["generate", "--hazards-per-year", "30"])
        let count = generated.stdout.split(separator: "\n").count
        let log = scratch.child("log")
        let into = try Qingling.run(["generate", "--hazards-per-year", "30", "--into", log])
        #expect(into.status == 0 && into.stderr.contains("appended \(count) events"), "\(into.stderr)")
        let export = try Qingling.run(["export", "--log", log])
        func eventIds(_ text: String) -> [String] {
            text.split(separator: "\n").compactMap { line in
                guard let range = line.range(of: #""eventId":"[^"]*""#, options: .regularExpression) else { return nil }
                return String(line[range])
            }
        }
        #expect(eventIds(export.stdout) == eventIds(generated.stdout))
        #expect(eventIds(export.stdout).count == count)
        let again = try Qingling.run(["generate", "--into", log])
        #expect(again.status != 0 && again.stderr.contains("already exists"))
    }
}
