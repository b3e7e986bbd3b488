import Foundation
import Testing

/// The analysts' commands on a demo log, run as a user would.
@Suite(.serialized) struct AnalystCLITests {
    static let scratch = Scratch()
    static let log: String = {
        let directory = scratch.child("demo")
        _ = try? Qingling.run(["demo", "--directory", directory, "--hazards-per-year", "25", "--seed", "5"])
        return directory
    }()

    static func json(_ arguments: [String]) throws -> [String: Any] {
        let result = try Qingling.run(arguments + ["--log", log, "--format", "json"])
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
    }

    /// Columns on a terminal, East Asian wide characters counted as two.
    static func width(_ line: Substring) -> Int {
        line.unicodeScalars.reduce(0) { $0 + ((0x2E80...0xFFEF).contains($1.value) ? 2 : 1) }
    }

    @Test func statsAsJSONHaveStableKeysAndTotalsThatAddUp() throws {
        let byRegion = try Self.json(["stats", "2024"])
        let regions = byRegion["rows"] as? [[String: Any]] ?? []
        let total = byRegion["total"] as? [String: Any] ?? [:]
        #expect(regions.count >= 2)
        #expect(regions.allSatisfy { $0["region"] is String && $0["stock"] is Int && $0.keys.contains("onTimeRate") })
        for key in ["stock", "new", "closed", "closedOnTime", "openAtEnd", "overdueAtEnd", "extensions", "failedVerifications"] {
            #expect(regions.reduce(0) { $0 + ($1[key] as? Int ?? 0) } == total[key] as? Int, "\(key)")
        }
        let onlyTotal = try Self.json(["stats", "2024", "--by", "total"])
        let totalRow = onlyTotal["total"] as? [String: Any] ?? [:]
        #expect((onlyTotal["rows"] as? [[String: Any]])?.isEmpty == true)
        #expect(totalRow["new"] as? Int == total["new"] as? Int)
        #expect(byRegion["period"] as? String == "2024" && byRegion["start"] as? String == "2024-01-01")
    }

    @Test func tablesAlignChineseTextAndCSVCarriesABOM() throws {
        let table = try Qingling.run(["stats", "2025Q1", "--log", Self.log, "--lang", "zh"])
        #expect(table.status == 0)
        let lines = table.stdout.split(separator: "\n")
        guard let separator = lines.firstIndex(where: { $0.hasPrefix("----") }) else { Issue.record("no table in \(table.stdout)"); return }
        let widths = Set(lines[(separator - 1)...].map(Self.width))
        #expect(widths.count == 1, "rows of different widths: \(widths)")
        #expect(lines[separator - 1].contains("地区") && lines[separator - 1].contains("清零率"))

        let csv = try Qingling.run(["stats", "2025Q1", "--log", Self.log, "--format", "csv", "--by", "industry", "--lang", "en"])
        #expect(csv.stdout.hasPrefix("\u{FEFF}"))
        #expect(csv.stdout.contains("Industry,Stock,New,Closed"))
        #expect(csv.stdout.contains("\r\n"))
    }

    @Test func traceLinksCarryTheSequencesTheExportShows() throws {
        let export = try Qingling.run(["export", "--log", Self.log, "--type", "HazardClosed"])
        let firstClosed = export.stdout.split(separator: "\n").first.map(String.init) ?? ""
        let object = try JSONSerialization.jsonObject(with: Data(firstClosed.utf8)) as? [String: Any] ?? [:]
        let hazard = (object["data"] as? [String: Any])?["hazardId"] as? String ?? ""
        let history = try Qingling.run(["export", "--log", Self.log, "--hazard", hazard])
        let sequences = history.stdout.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["sequence"] as? Int
        }
        let trace = try Self.json(["trace", "--hazard", hazard])
        let links = trace["links"] as? [[String: Any]] ?? []
        #expect(!sequences.isEmpty)
        #expect(links.compactMap { $0["sequence"] as? Int } == sequences)
        #expect(links.contains { $0["role"] as? String == "closer" })
        #expect(trace["hazardId"] as? String == hazard)

        let missing = try Qingling.run(["trace", "--log", Self.log, "--hazard", "LX-1999-0001"])
        #expect(missing.status == 2 && missing.stderr.contains("LX-1999-0001"))
    }

    @Test func everyAnalystCommandAnswersAndRebuildMatchesTheCheckpoint() throws {
        for command in [["overdue"], ["ranking", "2025Q3"], ["targets"], ["penalties"], ["rewards"], ["trace", "--reopened"], ["trace", "--person", "yjj-004"]] {
            let result = try Qingling.run(command + ["--log", Self.log])
            #expect(result.status == 0, "\(command): \(result.stderr)")
            #expect(!result.stdout.isEmpty)
        }
        let before = try Qingling.run(["stats", "2025", "--log", Self.log, "--by", "both", "--format", "csv"]).stdout
        let rebuild = try Self.json(["rebuild"])
        #expect((rebuild["events"] as? Int ?? 0) > 300)
        #expect(FileManager.default.fileExists(atPath: Self.log + "/projections/state.qlproj"))
        let after = try Qingling.run(["stats", "2025", "--log", Self.log, "--by", "both", "--format", "csv"]).stdout
        #expect(before == after)
    }

    @Test func badQueriesSayWhatIsWrong() throws {
        let quarter = try Qingling.run(["stats", "2024Q9", "--log", Self.log])
        #expect(quarter.status != 0 && quarter.stderr.contains("2024Q9"))
        let ladder = try Qingling.run(["overdue", "--log", Self.log, "--thresholds", "1,30,15,60"])
        #expect(ladder.status != 0 && ladder.stderr.contains("--thresholds"))
        let modes = try Qingling.run(["trace", "--log", Self.log, "--hazard", "A", "--person", "B"])
        #expect(modes.status != 0 && modes.stderr.contains("exactly one"))
        let knownAt = try Qingling.run(["stats", "2024", "--log", Self.log, "--known-at", "yesterday"])
        #expect(knownAt.status != 0 && knownAt.stderr.contains("--known-at"))
    }
}
