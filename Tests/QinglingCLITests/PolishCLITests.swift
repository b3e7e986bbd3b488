import Foundation
import QinglingEvents
import QinglingLog
import QinglingWorkflow
import Testing

/// What an acceptance test found on the analysts' and archive commands: free text that reached
/// the terminal raw, two proof checkers that disagreed, a wrong "no event names" message, money
/// in fen, periods after the as-of date, and cosmetics.
@Suite(.serialized) struct PolishCLITests {
    static let scratch = Scratch()
    static let log: String = {
        let directory = scratch.child("demo")
        _ = try? Qingling.run(["demo", "--directory", directory, "--hazards-per-year", "25", "--seed", "5"])
        return directory
    }()

    /// Every exported event of `type`, as objects.
    static func exported(_ type: String) throws -> [[String: Any]] {
        let export = try Qingling.run(["export", "--log", log, "--type", type])
        return export.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// `event` as a line to append: a new event id, without what the log adds on export.
    static func line(_ event: [String: Any], id: String) throws -> String {
        var event = event
        for key in ["sequence", "recordedAt", "hash"] { event.removeValue(forKey: key) }
        event["eventId"] = id
        return String(decoding: try JSONSerialization.data(withJSONObject: event), as: UTF8.self) + "\n"
    }

    static func json(_ arguments: [String]) throws -> [String: Any] {
        let result = try Qingling.run(arguments + ["--log", log, "--format", "json"])
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
    }

    /// Columns on a terminal, East Asian wide characters counted as two.
    static func width(_ text: Substring) -> Int {
        text.unicodeScalars.reduce(0) { $0 + ((0x2E80...0xFFEF).contains($1.value) ? 2 : 1) }
    }

    // MARK: - 1. Control characters

    static let hostile = "ok\u{1B}[2K\rlevel issued: NONE \u{1B}[31mred\nsecond line\u{7F}\u{9B}2J"

    @Test func controlCharactersInFreeTextAreShownHarmlesslyAndKeptInJSONAndCSV() throws {
        let escalation = try #require(try Self.exported("EscalationIssued").last)
        let data = escalation["data"] as? [String: Any] ?? [:]
        let hazard = try #require((data["hazardIds"] as? [String])?.first)
        // Input refuses control characters now; a log written before that rule may hold them,
        // so the event goes in through the library, past the JSON decoder.
        guard case .success(var event) = EventJSONDecoder.decode(try JSONParser.parse(try Self.line(escalation, id: "polish-hostile-1"))),
              case .escalationIssued(var issued) = event.body else {
            Issue.record("the exported escalation does not decode")
            return
        }
        issued.reason = Self.hostile
        event.body = .escalationIssued(issued)
        let everything = try Qingling.run(["export", "--log", Self.log]).stdout.split(separator: "\n")
        let recorded = everything.compactMap { line in
            ((try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any])?["recordedAt"] as? String
        }.compactMap(ShanghaiDateTime.init)
        let lastRecorded = try #require(recorded.max())
        let store = try EventStore(appendingTo: Self.log, reference: .linxiang,
                                   options: LogOptions(clock: SimulatedClock(microseconds: lastRecorded.microseconds + 86_400_000_000)))
        _ = try store.append([EventStore.Input(event: event)])
        try store.close()

        for lang in ["en", "zh"] {
            let table = try Qingling.run(["trace", "--hazard", hazard, "--log", Self.log, "--lang", lang])
            #expect(table.status == 0, "\(table.stderr)")
            #expect(!table.stdout.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || (0x7F...0x9F).contains($0.value) }, "\(lang): raw control characters")
            #expect(table.stdout.contains("ok␛[2K level issued: NONE ␛[31mred second line␡\\u{9B}2J"), "\(table.stdout)")
            #expect(!table.stdout.split(separator: "\n").contains { $0.hasPrefix("second line") }, "a row was broken")
            // The findings table is still aligned: its rows are no wider than its separator line.
            let lines = table.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            let separator = try #require(lines.lastIndex { $0.hasPrefix("----") })
            let rows = lines[(separator + 1)...].filter { !$0.isEmpty }
            #expect(rows.allSatisfy { Self.width($0) <= Self.width(lines[separator]) }, "\(rows)")
        }
        let json = try Self.json(["trace", "--hazard", hazard])
        let findings = json["findings"] as? [[String: Any]] ?? []
        #expect(findings.contains { ($0["detail"] as? String)?.hasSuffix(Self.hostile) == true }, "JSON keeps the exact text")
        let csv = try Qingling.run(["trace", "--hazard", hazard, "--log", Self.log, "--format", "csv"])
        #expect(csv.stdout.contains(Self.hostile + "\""), "CSV keeps the exact text, quoted")
    }

    // MARK: - 2. One rule for both proof checkers

    @Test func bothProofCheckersCompareTheEventAsTypedJSONValuesInAnyKeyOrder() throws {
        let rectified = try #require(try Self.exported("HazardRectified").first)
        let sequence = try #require(rectified["sequence"] as? Int)
        let proofPath = Self.scratch.child("proof-\(sequence).json")
        let prove = try Qingling.run(["prove", String(sequence), "--log", Self.log, "--output", proofPath])
        #expect(prove.status == 0, "\(prove.stderr)")
        let publicKey = Self.log + "/signing.pub"
        let original = try String(contentsOfFile: proofPath, encoding: .utf8)
        let funds = try #require(original.range(of: #""fundsFen":[0-9]+"#, options: .regularExpression))
        let fundsText = String(original[funds])

        func verdicts(_ text: String, _ name: String) throws -> (swift: Int32, python: Int32) {
            let path = Self.scratch.child(name)
            try text.write(toFile: path, atomically: false, encoding: .utf8)
            let swift = try Qingling.run(["verify-proof", path, "--public-key", publicKey]).status
            let python = try MannersCLITests.tool(["python3", ArchiveCLITests.repository + "/tools/archive/verify_proof.py", path, publicKey]).status
            return (swift, python)
        }
        let held = try verdicts(original, "original.json")
        #expect(held.swift == 0 && held.python == 0)

        // Every key of the proof (the event's too) sorted: the same values, another order.
        let object = try JSONSerialization.jsonObject(with: Data(original.utf8))
        let sorted = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        #expect(sorted.range(of: #""event":{"actor""#) != nil, "the event's keys were reordered")
        let reordered = try verdicts(sorted, "reordered.json")
        #expect(reordered.swift == 0 && reordered.python == 0, "\(reordered)")

        // An integer written as a float is another value: both refuse it.
        let amount = fundsText.dropFirst("\"fundsFen\":".count)
        let exponent = "\(amount.dropLast(3)).\(amount.suffix(3))e3"
        for (label, replacement) in [("float", fundsText + ".0"), ("exponent", "\"fundsFen\":" + exponent)] {
            let changed = try verdicts(original.replacingOccurrences(of: fundsText, with: replacement), "\(label).json")
            #expect(changed.swift == 5 && changed.python == 1, "\(label): \(changed)")
        }
        // The Python checker's comparison keeps types: a boolean is not a number.
        let typed = try MannersCLITests.tool(["python3", "-c", """
            import sys; sys.path.insert(0, "\(ArchiveCLITests.repository)/tools/archive"); import verify_proof as v
            assert v.same_json({"a": 1, "b": [1]}, {"b": [1], "a": 1})
            assert not v.same_json(True, 1) and not v.same_json(1.0, 1) and not v.same_json({"a": 1}, {"a": 1, "b": None})
            """])
        #expect(typed.status == 0, "\(typed.output)")
    }

    // MARK: - 3. Not in view is not "no event names"

    @Test func anIdOutsideTheViewIsSaidToBeOutOfViewNotAbsent() throws {
        let report = try #require(try Self.exported("HazardReported").first)
        let hazard = try #require((report["data"] as? [String: Any])?["hazardId"] as? String)
        let person = try #require(((report["actor"] as? [String: Any])?["person"] as? [String: Any])?["id"] as? String)
        let reportedOn = String((report["occurredAt"] as? String ?? "").prefix(10))
        let before = try Qingling.run(["trace", "--hazard", hazard, "--log", Self.log, "--as-of", "2000-01-01"])
        #expect(before.status == 2)
        #expect(before.stderr.contains("no event in view (as of 2000-01-01) names hazard \(hazard)"), "\(before.stderr)")
        #expect(!before.stderr.contains("no event in \(Self.log)"))
        let known = try Qingling.run(["trace", "--person", person, "--log", Self.log, "--known-at", "2000-01-01"])
        #expect(known.status == 2)
        #expect(known.stderr.contains("no event in view") && known.stderr.contains("known at 2000-01-01") && known.stderr.contains(person),
                "\(known.stderr)")
        let zh = try Qingling.run(["trace", "--hazard", hazard, "--log", Self.log, "--as-of", "2000-01-01", "--lang", "zh"])
        #expect(zh.status == 2 && zh.stderr.contains("截至 2000-01-01") && zh.stderr.contains(hazard), "\(zh.stderr)")
        #expect(try Qingling.run(["trace", "--hazard", hazard, "--log", Self.log, "--as-of", reportedOn]).status == 0)
    }

    // MARK: - 5. A period after the as-of date

    @Test func aPeriodThatStartsAfterTheAsOfDateIsRefused() throws {
        let early = try Qingling.run(["stats", "2024Q2", "--log", Self.log, "--as-of", "2024-03-15"])
        #expect(early.status == 64, "\(early.stdout)")
        #expect(early.stderr.contains("2024-04-01") && early.stderr.contains("2024-03-15"), "\(early.stderr)")
        #expect(early.stdout.isEmpty)
        let last = try #require(try Self.json(["overdue", "--only", "overdue"])["asOf"] as? String)
        let future = try Qingling.run(["stats", "2027", "--log", Self.log])
        #expect(future.status == 64 && future.stderr.contains("2027-01-01") && future.stderr.contains(last), "\(future.stderr)")
        let ranking = try Qingling.run(["ranking", "2027Q1", "--log", Self.log])
        #expect(ranking.status == 64 && ranking.stderr.contains("2027-01-01"), "\(ranking.stderr)")
        #expect(try Qingling.run(["stats", "2024Q2", "--log", Self.log, "--as-of", "2024-04-01"]).status == 0)
    }

    // MARK: - 6. Cosmetics

    @Test func theStatusYearTableIsAlignedInChinese() throws {
        let status = try Qingling.run(["status", "--log", Self.log, "--lang", "zh"])
        let lines = status.stdout.split(separator: "\n")
        let header = try #require(lines.firstIndex { $0.hasPrefix("年份") })
        /// The terminal column where each word of `line` ends.
        func ends(_ line: Substring) -> [Int] {
            var ends: [Int] = [], column = 0, inWord = false
            for character in line {
                if character == " " { if inWord { ends.append(column) }; inWord = false } else { inWord = true }
                column += Self.width(Substring(String(character)))
            }
            if inWord { ends.append(column) }
            return ends
        }
        #expect(ends(lines[header]) == ends(lines[header + 1]), "\(lines[header])\n\(lines[header + 1])")
    }

    @Test func penaltiesNameTheDepartmentAsTheReferenceDataDoes() throws {
        var penalty = try #require(try Self.exported("PenaltyImposed").first)
        var actor = penalty["actor"] as? [String: Any] ?? [:]
        var organization = actor["organization"] as? [String: Any] ?? [:]
        let id = try #require(organization["id"] as? String)
        let name = try #require(organization["name"] as? String)
        organization["name"] = "应急局（旧称）"
        actor["organization"] = organization
        penalty["actor"] = actor
        penalty["occurredAt"] = "2022-12-30T10:00:00+08:00"
        var data = penalty["data"] as? [String: Any] ?? [:]
        data.removeValue(forKey: "hazardIds")
        data.removeValue(forKey: "tipOffId")
        data["caseNumber"] = "polish-1"
        penalty["data"] = data
        let appended = try Qingling.run(["append", "--log", Self.log, "-"], input: try Self.line(penalty, id: "polish-penalty-1"))
        #expect(appended.status == 0, "\(appended.stderr)")
        let rows = try Self.json(["penalties", "--from", "2022Q4", "--to", "2022Q4"])["rows"] as? [[String: Any]] ?? []
        #expect(rows.count == 1 && rows.first?["department"] as? String == id)
        #expect(rows.first?["departmentName"] as? String == name, "\(rows)")
        let ranking = try Self.json(["ranking", "2024Q1"])["departments"] as? [[String: Any]] ?? []
        #expect(ranking.first { $0["department"] as? String == id }?["name"] as? String == name)
    }

    @Test func knownAtAloneMeasuresAsOfTheLastBusinessDateKnownThen() throws {
        let stats = try Self.json(["stats", "2024", "--known-at", "2024-06-30"])
        let asOf = try #require(stats["asOf"] as? String)
        #expect(asOf <= "2024-06-30" && asOf >= "2024-06-01", "\(asOf)")
        #expect(stats["endMeasuredOn"] as? String == asOf)
        #expect(try Self.json(["overdue", "--known-at", "2024-06-30"])["asOf"] as? String == asOf)
        let hazard = try #require((try Self.exported("HazardReported").first?["data"] as? [String: Any])?["hazardId"] as? String)
        #expect(try Self.json(["trace", "--hazard", hazard, "--known-at", "2024-06-30"])["asOf"] as? String == asOf)
        #expect(try Self.json(["ranking", "2024Q2", "--known-at", "2024-06-30"])["endMeasuredOn"] as? String == asOf)
    }
}
