import Foundation
import QinglingTestSupport
import Testing

/// The admin tool's manners, tried as a new clerk and a new analyst would: the examples of the
/// documentation work as printed, the valid codes can be listed, a wrong id is named, CSV is one
/// table that tools read, and the small things (version, key directories, the proof checker).
@Suite(.serialized) struct MannersCLITests {
    static let repository = ArchiveCLITests.repository
    static let scratch = Scratch()
    static let log: String = {
        let directory = scratch.child("demo")
        _ = try? Qingling.run(["demo", "--directory", directory, "--hazards-per-year", "25", "--seed", "5"])
        return directory
    }()

    /// The ```json blocks of docs/events.md, in order, as printed (pretty, several lines each).
    static func eventExamples() throws -> [String] {
        let page = try String(contentsOfFile: repository + "/docs/events.md", encoding: .utf8)
        return page.components(separatedBy: "```json\n").dropFirst().compactMap { $0.components(separatedBy: "\n```").first }
    }

    /// Runs a program of the machine (python3, sqlite3) and returns its status and output.
    static func tool(_ arguments: [String], input: String? = nil) throws -> (status: Int32, output: String) {
        let finished = try ChildProcess.run("/usr/bin/env", arguments, input: input)
        return (finished.status, finished.stdout + finished.stderr)
    }

    // MARK: - 9. append takes one pretty-printed document

    @Test func appendTakesThePrettyPrintedExamplesOfTheEventsPage() throws {
        let examples = try Self.eventExamples()
        #expect(examples.count == 13, "one example per event type")
        #expect(examples.allSatisfy { $0.split(separator: "\n").count > 10 }, "the examples are pretty-printed")
        let scratch = Scratch()
        let log = scratch.child("log")
        func example(_ type: String) throws -> String {
            try #require(examples.first { $0.contains("\"type\": \"\(type)\"") })
        }
        // A history the examples make together: the tip-off, the report naming it, supervision,
        // the penalty and the reward, the rectification and the failed verification.
        for type in ["TipOffReceived", "HazardReported", "HazardSupervised", "PenaltyImposed", "RewardPaid", "HazardRectified", "HazardVerified"] {
            let path = scratch.child(type + ".json")
            try example(type).write(toFile: path, atomically: false, encoding: .utf8)
            let result = try Qingling.run(["append", "--log", log, path, "--lang", "en"])
            #expect(result.status == 0, "\(type): \(result.stderr)")
            #expect(result.stdout.contains("appended 1 event: sequence "), "\(type): \(result.stdout)")
        }
        // The others are refused by the workflow (another hazard, a closure after a failed
        // verification), never as text that is not JSON; and from standard input too.
        for example in examples {
            let result = try Qingling.run(["append", "--log", log, "--dry-run", "-", "--lang", "en"], input: example)
            #expect(!result.stderr.contains("not valid JSON"), "\(result.stderr)")
            #expect(!result.stderr.contains("line 2"), "one document, one place: \(result.stderr)")
        }
        let closed = try Qingling.run(["append", "--log", log, "-", "--lang", "en"], input: try example("HazardClosed"))
        #expect(closed.status == 2 && closed.stderr.contains("HazardClosed") && closed.stderr.contains("nothing was written"), "\(closed.stderr)")
    }

    @Test func aBrokenPrettyDocumentIsNamedByItsLineAndJSONLinesStillListEveryLine() throws {
        let scratch = Scratch()
        let log = scratch.child("log")
        var lines = try #require(try Self.eventExamples().first { $0.contains("TipOffReceived") }).components(separatedBy: "\n")
        let broken = try #require(lines.firstIndex { $0.contains("\"channel\"") })
        lines[broken] = lines[broken].replacingOccurrences(of: "\"channel\":", with: "\"channel\" ")
        let result = try Qingling.run(["append", "--log", log, "-", "--lang", "en"], input: lines.joined(separator: "\n"))
        #expect(result.status == 2)
        #expect(result.stderr.contains("line \(broken + 1)"), "\(result.stderr)")
        #expect(result.stderr.contains("1 problem;"), "one document, one problem: \(result.stderr)")
        // Two pretty documents one after the other are neither form: say what to do.
        let example = lines.joined(separator: "\n").replacingOccurrences(of: "\"channel\" ", with: "\"channel\":")
        let two = try Qingling.run(["append", "--log", log, "-", "--lang", "en"], input: example + "\n" + example)
        #expect(two.status == 2 && two.stderr.contains("JSON array"), "\(two.stderr)")
        // JSON Lines whose first line is broken still list every line's problem.
        let generated = try Qingling.run(["generate", "--hazards-per-year", "5", "--first-year", "2024", "--last-year", "2024"])
        var jsonLines = generated.stdout.split(separator: "\n").prefix(4).map(String.init)
        jsonLines[0] = "{\"eventId\": \"cut-short\","
        jsonLines[2] = "{not json"
        let bad = try Qingling.run(["append", "--log", log, "-", "--lang", "en"], input: jsonLines.joined(separator: "\n"))
        #expect(bad.status == 2 && bad.stderr.contains("line 1: not valid JSON") && bad.stderr.contains("line 3: not valid JSON"), "\(bad.stderr)")
    }

    // MARK: - 10. reference

    @Test func referenceListsTheValidCodesIdsAndNames() throws {
        let regions = try Qingling.run(["reference", "regions", "--format", "csv"])
        #expect(regions.status == 0, "\(regions.stderr)")
        #expect(regions.stdout.contains("430682107") && regions.stdout.contains("桃林镇") && regions.stdout.contains("LXGXQ"))
        let departments = try Qingling.run(["reference", "departments", "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(departments.stdout.utf8)) as? [String: Any] ?? [:]
        let rows = object["rows"] as? [[String: Any]] ?? []
        #expect(rows.contains { $0["id"] as? String == "lx-yjj" && $0["name"] as? String == "临湘市应急管理局" }, "\(departments.stdout)")
        let industries = try Qingling.run(["reference", "industries"])
        #expect(industries.status == 0 && industries.stdout.contains("烟花爆竹"))
        let sources = try Qingling.run(["reference", "sources", "--lang", "en"])
        #expect(sources.status == 0 && sources.stdout.contains("tipOff") && sources.stdout.contains("举报"), "\(sources.stdout)")
        // Another county's file is honoured, as by the other commands.
        let scratch = Scratch()
        var county = try String(contentsOfFile: Self.repository + "/tools/reference/linxiang.json", encoding: .utf8)
        county = county.replacingOccurrences(of: "\"桃林镇\"", with: "\"桃花镇\"")
        try county.write(toFile: scratch.child("county.json"), atomically: false, encoding: .utf8)
        let other = try Qingling.run(["reference", "regions", "--reference", scratch.child("county.json")])
        let town = other.stdout.split(separator: "\n").first { $0.contains("430682107") } ?? ""
        #expect(other.status == 0 && town.contains("桃花镇") && !town.contains("桃林镇 "), "\(other.stdout)\(other.stderr)")
        let everything = try Qingling.run(["reference"])
        #expect(everything.status == 0 && everything.stdout.contains("桃林镇") && everything.stdout.contains("lx-yjj"))
    }

    // MARK: - 12. trace of an id that appears nowhere

    @Test func aTraceOfAnIdThatAppearsNowhereSaysSo() throws {
        for (option, id, hint) in [("--person", "nobody-017", "qingling export"), ("--organization", "lx-nowhere", "qingling reference departments"),
                                   ("--enterprise", "91430682MA4NOWHERE", "qingling export --type HazardReported")] {
            let result = try Qingling.run(["trace", option, id, "--log", Self.log, "--lang", "en"])
            #expect(result.status == 2, "\(option): \(result.stdout)")
            #expect(result.stderr.contains(id) && result.stderr.contains(hint), "\(option): \(result.stderr)")
            #expect(!result.stdout.contains("Hazards: 0"))
        }
    }

    // MARK: - 13. CSV for tools

    /// The CSV of `arguments` read by Python's csv module: every row as long as the header.
    static func readCSV(_ arguments: [String]) throws -> [[String]] {
        let result = try Qingling.run(arguments + (arguments.first == "reference" ? [] : ["--log", log]) + ["--format", "csv"])
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        let path = scratch.child("read-\(UUID().uuidString).csv")
        try result.stdout.write(toFile: path, atomically: false, encoding: .utf8)
        let script = """
        import csv, json, sys
        rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
        print(json.dumps(rows, ensure_ascii=False))
        """
        let read = try tool(["python3", "-c", script, path])
        #expect(read.status == 0, "\(read.output)")
        return try JSONSerialization.jsonObject(with: Data(read.output.utf8)) as? [[String]] ?? []
    }

    @Test func csvIsOneTableWithOneHeaderRowThatToolsRead() throws {
        let export = try Qingling.run(["export", "--log", Self.log, "--type", "HazardClosed"])
        let first = try JSONSerialization.jsonObject(with: Data((export.stdout.split(separator: "\n").first ?? "").utf8)) as? [String: Any] ?? [:]
        let hazard = (first["data"] as? [String: Any])?["hazardId"] as? String ?? ""
        let person = ((first["actor"] as? [String: Any])?["person"] as? [String: Any])?["id"] as? String ?? ""
        for command in [["stats", "2025"], ["stats", "2025", "--by", "both"], ["overdue"], ["ranking", "2025Q3"], ["targets", "--as-of", "2024-03-31"],
                        ["trace", "--hazard", hazard], ["trace", "--person", person], ["trace", "--reopened"], ["penalties"], ["rewards"], ["rebuild"],
                        ["reference", "regions"]] {
            let rows = try Self.readCSV(command)
            let header = try #require(rows.first, "\(command)")
            #expect(header.count >= 2 && header.allSatisfy { !$0.isEmpty }, "\(command): \(header)")
            #expect(rows.allSatisfy { $0.count == header.count }, "\(command): rows of other widths than the header \(header)")
            #expect(Set(header).count == header.count, "\(command): repeated column names \(header)")
            #expect(rows.count > 1 || command == ["overdue"], "\(command): no rows")
        }
        // The facts come back with --with-facts (before the table), or in the table form.
        let withFacts = try Qingling.run(["stats", "2025", "--log", Self.log, "--format", "csv", "--with-facts", "--lang", "zh"])
        #expect(withFacts.stdout.contains("统计期,2025"))
        let plain = try Qingling.run(["stats", "2025", "--log", Self.log, "--format", "csv", "--lang", "zh"])
        #expect(!plain.stdout.contains("统计期"))

        // sqlite3 imports it as one table: the header names the columns, every other line is a row.
        let rows = try Self.readCSV(["stats", "2025"]).count - 1
        #expect(!plain.stdout.contains("—"), "no value is an empty cell, not a dash")
        let path = Self.scratch.child("stats.csv")
        try plain.stdout.write(toFile: path, atomically: false, encoding: .utf8)
        let database = Self.scratch.child("stats.db")
        let imported = try Self.tool(["sqlite3", database, ".import --csv \(path) stats", "SELECT count(*) FROM stats;"])
        #expect(imported.status == 0 && imported.output.trimmingCharacters(in: .whitespacesAndNewlines) == "\(rows)", "\(imported.output)")
        if try Self.tool(["python3", "-c", "import duckdb"]).status == 0 {
            let duck = try Self.tool(["python3", "-c", "import duckdb, sys; print(duckdb.read_csv(sys.argv[1]).shape[0])", path])
            #expect(duck.output.trimmingCharacters(in: .whitespacesAndNewlines) == "\(rows)", "\(duck.output)")
        }
    }

    // MARK: - 14. version, keygen, the proof checker

    @Test func versionComesFromOnePlace() throws {
        let version = try Qingling.run(["--version"])
        #expect(version.status == 0)
        let text = version.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(text.range(of: #"^\d+\.\d+\.\d+$"#, options: .regularExpression) != nil, "\(text)")
        let source = try String(contentsOfFile: Self.repository + "/Sources/qingling/Version.swift", encoding: .utf8)
        #expect(source.contains("\"\(text)\""))
    }

    @Test func keygenCreatesMissingDirectoriesAndSaysWhyAWriteFailed() throws {
        let scratch = Scratch()
        let log = scratch.child("log")
        let tipOff = try JSONSerialization.jsonObject(with: Data(try Self.eventExamples()[10].utf8))
        let line = String(decoding: try JSONSerialization.data(withJSONObject: tipOff), as: UTF8.self)
        #expect(try Qingling.run(["append", "--log", log, "-"], input: line).status == 0)
        let keyPath = scratch.child("keys/county/signing.key")
        let created = try Qingling.run(["keygen", "--log", log, "--private-key", keyPath])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(FileManager.default.fileExists(atPath: keyPath))
        let mode = try FileManager.default.attributesOfItem(atPath: scratch.child("keys/county"))[.posixPermissions] as? Int
        #expect(mode == 0o700)
        // A parent that is a file: the path and the system's reason, exit 4.
        try "x".write(toFile: scratch.child("plain"), atomically: false, encoding: .utf8)
        try FileManager.default.removeItem(atPath: log + "/signing.pub")
        let refused = try Qingling.run(["keygen", "--log", log, "--private-key", scratch.child("plain/signing.key"), "--lang", "en"])
        #expect(refused.status == 4, "\(refused.stderr)")
        #expect(refused.stderr.contains(scratch.child("plain")) && refused.stderr.contains("not a directory"), "\(refused.stderr)")
    }

    @Test func theProofCheckerRefusesAnEventTextThatIsNotTheLeaf() throws {
        let proofPath = Self.scratch.child("proof-7.json")
        let prove = try Qingling.run(["prove", "7", "--log", Self.log, "--output", proofPath])
        #expect(prove.status == 0, "\(prove.stderr)")
        let publicKey = Self.log + "/signing.pub"
        let checker = Self.repository + "/tools/archive/verify_proof.py"
        let holds = try Self.tool(["python3", checker, proofPath, publicKey])
        #expect(holds.status == 0, "\(holds.output)")
        #expect(holds.output.contains("\"eventId\""), "the checked event is printed: \(holds.output)")

        // The readable event altered, every hash left as it was.
        var proof = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: proofPath))) as? [String: Any] ?? [:]
        var event = proof["event"] as? [String: Any] ?? [:]
        event["occurredAt"] = "2023-01-01T00:00:00+08:00"
        proof["event"] = event
        let altered = Self.scratch.child("proof-7-altered.json")
        try JSONSerialization.data(withJSONObject: proof).write(to: URL(fileURLWithPath: altered))
        let refused = try Self.tool(["python3", checker, altered, publicKey])
        #expect(refused.status == 1, "\(refused.output)")
        #expect(refused.output.contains("event") && !refused.output.contains("proof holds"), "\(refused.output)")
        let swift = try Qingling.run(["verify-proof", altered, "--public-key", publicKey])
        #expect(swift.status == 5)
    }
}
