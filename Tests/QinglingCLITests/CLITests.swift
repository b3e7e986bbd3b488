import Foundation
import QinglingTestSupport
import Testing

/// Runs the built `qingling` binary, as a user would.
struct Qingling {
    static let binary: String = {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [directory, directory.deletingLastPathComponent()].map { $0.appendingPathComponent("qingling").path }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }()

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `qingling` with `arguments`. The tests written against its English messages run
    /// with `QINGLING_LANG=en`; an empty value in `environment` removes a variable.
    static func run(_ arguments: [String], input: String? = nil, environment: [String: String] = [:]) throws -> Output {
        let variables = ProcessInfo.processInfo.environment.merging(["QINGLING_LANG": "en"]) { $1 }.merging(environment) { $1 }
            .filter { !$0.value.isEmpty }
        let finished = try ChildProcess.run(binary, arguments, environment: variables, input: input)
        return Output(status: finished.status, stdout: finished.stdout, stderr: finished.stderr)
    }
}

final class Scratch: Sendable {
    let path = NSTemporaryDirectory() + "qingling-cli-\(UUID().uuidString)"
    init() { try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
    func child(_ name: String) -> String { path + "/" + name }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

@Suite struct CLITests {
    @Test func theDemoRunsToCompletionAndVerifies() throws {
        let scratch = Scratch()
        let result = try Qingling.run(["demo", "--directory", scratch.child("demo"), "--hazards-per-year", "20"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("verify: passed"))
        #expect(result.stdout.contains("(simulated clock)"))
        let status = try Qingling.run(["status", "--log", scratch.child("demo")])
        #expect(status.status == 0)
        #expect(status.stdout.contains("clock: simulated"))
        #expect(status.stdout.contains("HazardReported"))
    }

    @Test func aBadBatchWritesNothingAndListsEveryProblem() throws {
        let scratch = Scratch()
        let generated = try Qingling.run(["generate", "--hazards-per-year", "20", "--first-year", "2024", "--last-year", "2024"])
        #expect(generated.status == 0)
        var lines = generated.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count > 10)
        let good = try Qingling.run(["append", "--log", scratch.child("log"), "-"], input: lines.prefix(5).joined(separator: "\n"))
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout.contains("appended 5 events: sequences 0–4"))
        // Break two later lines: a malformed document and an unknown field.
        lines[6] = "{not json"
        lines[8] = lines[8].replacingOccurrences(of: "\"data\":{", with: "\"data\":{\"colour\":\"red\",")
        let bad = try Qingling.run(["append", "--log", scratch.child("log"), "-"], input: lines.joined(separator: "\n"))
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("line 7: not valid JSON"))
        #expect(bad.stderr.contains("line 9"))
        #expect(bad.stderr.contains("data.colour: unknown field"))
        #expect(bad.stderr.contains("nothing was written"))
        let export = try Qingling.run(["export", "--log", scratch.child("log")])
        #expect(export.stdout.split(separator: "\n").count == 5, "the failed append wrote nothing")
        // The same first five again are retries: nothing new.
        let retry = try Qingling.run(["append", "--log", scratch.child("log"), "-"], input: lines.prefix(5).joined(separator: "\n"))
        #expect(retry.status == 0)
        #expect(retry.stdout.contains("nothing new"))
    }

    @Test func exportThenAppendIntoAnEmptyLogReproducesTheEvents() throws {
        let scratch = Scratch()
        let generated = try Qingling.run(["generate", "--hazards-per-year", "8", "--first-year", "2024", "--last-year", "2025",
                                          "--output", scratch.child("events.jsonl")])
        #expect(generated.status == 0)
        #expect(try Qingling.run(["append", "--log", scratch.child("a"), scratch.child("events.jsonl")]).status == 0)
        let first = try Qingling.run(["export", "--log", scratch.child("a"), "--output", scratch.child("a.jsonl")])
        #expect(first.status == 0)
        #expect(try Qingling.run(["append", "--log", scratch.child("b"), scratch.child("a.jsonl")]).status == 0)
        let second = try Qingling.run(["export", "--log", scratch.child("b")])
        func withoutRecordedTime(_ text: String) -> [String] {
            text.split(separator: "\n").map { line in
                line.replacingOccurrences(of: #""recordedAt":"[^"]*","#, with: "", options: .regularExpression)
            }
        }
        let original = try String(contentsOfFile: scratch.child("a.jsonl"), encoding: .utf8)
        #expect(withoutRecordedTime(second.stdout) == withoutRecordedTime(original))
        #expect(!original.isEmpty)
        // Filters: one hazard's life, through the index.
        let hazard = try Qingling.run(["export", "--log", scratch.child("b"), "--hazard", "LX-2024-0001"])
        #expect(hazard.status == 0)
        #expect(hazard.stdout.split(separator: "\n").allSatisfy { $0.contains("LX-2024-0001") })
    }

    @Test func everyEventTypeTheProjectProducesValidatesAgainstTheSchemas() throws {
        let scratch = Scratch()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let generated = try Qingling.run(["generate", "--output", scratch.child("all.jsonl")])
        #expect(generated.status == 0)
        #expect(try Qingling.run(["append", "--log", scratch.child("log"), scratch.child("all.jsonl")]).status == 0)
        #expect(try Qingling.run(["export", "--log", scratch.child("log"), "--output", scratch.child("export.jsonl")]).status == 0)
        let types = try String(contentsOfFile: scratch.child("export.jsonl"), encoding: .utf8)
        for type in ["HazardReported", "HazardSupervised", "DeadlineExtended", "HazardRectified", "HazardVerified", "HazardClosed",
                     "HazardReopened", "HazardWithdrawn", "EscalationIssued", "PenaltyImposed", "TipOffReceived", "RewardPaid"] {
            #expect(types.contains("\"type\":\"\(type)\""), "\(type) is produced")
        }
        func validate(_ arguments: [String]) throws -> Int32 {
            try ChildProcess.run("/usr/bin/env", ["python3", root.appendingPathComponent("tools/schemas/validate.py").path,
                                                  "--schemas", root.appendingPathComponent("schemas").path] + arguments).status
        }
        #expect(try validate([scratch.child("all.jsonl")]) == 0, "generated input validates")
        #expect(try validate([scratch.child("export.jsonl")]) == 0, "exported output validates")
        #expect(try validate(["--expect-invalid", root.appendingPathComponent("tools/schemas/examples/invalid.jsonl").path]) == 0,
                "the schemas refuse every invalid example")
    }

    @Test func helpAndUsageErrorsAreClear() throws {
        let help = try Qingling.run(["append", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("Examples:"))
        let missing = try Qingling.run(["export", "--log", "/nonexistent/qingling-log"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("/nonexistent/qingling-log"))
    }
}
