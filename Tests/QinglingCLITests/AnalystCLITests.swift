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

    /// The demo log's events of `type`, as exported (JSON objects, with sequence and recorded time).
    static func exported(_ type: String) throws -> [[String: Any]] {
        let export = try Qingling.run(["export", "--log", log, "--type", type])
        return export.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// The business date of an exported event or a trace link (`occurredAt`), or its recorded date.
    static func date(_ object: [String: Any], _ key: String = "occurredAt") -> String { String((object[key] as? String ?? "").prefix(10)) }

    static func quarter(of date: String) -> String {
        let month = Int(date.dropFirst(5).prefix(2)) ?? 1
        return "\(date.prefix(4))Q\((month - 1) / 3 + 1)"
    }

    @Test func penaltiesRewardsAndRankingCountOnlyWhatWasRecordedByKnownAt() throws {
        let penalties = try Self.exported("PenaltyImposed"), rewards = try Self.exported("RewardPaid")
        let knownAt = "2025-06-30"
        let known = penalties.filter { Self.date($0, "recordedAt") <= knownAt }
        #expect(!known.isEmpty && known.count < penalties.count, "the demo log has penalties recorded on both sides of \(knownAt)")
        #expect(try Self.json(["penalties", "--known-at", knownAt])["penalties"] as? Int == known.count)
        #expect(try Self.json(["rewards", "--known-at", knownAt])["payments"] as? Int == rewards.filter { Self.date($0, "recordedAt") <= knownAt }.count)

        // Known at the day before a penalty was recorded, its quarter's ranking does not count it.
        let penalty = try #require(penalties.dropFirst(penalties.count / 2).first)
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        let recorded = try #require(formatter.date(from: Self.date(penalty, "recordedAt")))
        let dayBefore = formatter.string(from: recorded.addingTimeInterval(-86_400))
        let quarter = Self.quarter(of: Self.date(penalty))
        var expected: [String: Int] = [:]
        for other in penalties where Self.quarter(of: Self.date(other)) == quarter && Self.date(other, "recordedAt") <= dayBefore {
            let department = ((other["actor"] as? [String: Any])?["organization"] as? [String: Any])?["id"] as? String ?? ""
            expected[department, default: 0] += 1
        }
        let ranking = try Self.json(["ranking", quarter, "--known-at", dayBefore])
        let departments = ranking["departments"] as? [[String: Any]] ?? []
        #expect(!departments.isEmpty)
        for row in departments {
            let id = row["department"] as? String ?? ""
            #expect(row["penalties"] as? Int == expected[id] ?? 0, "\(id) in \(quarter) known at \(dayBefore)")
            #expect(row["zeroPenalty"] as? Bool == (expected[id] == nil), "\(id)")
        }
    }

    @Test func aPeriodStillRunningIsMeasuredAtTheLogsLastBusinessDate() throws {
        let overdue = try Self.json(["overdue", "--only", "overdue"])
        let asOf = try #require(overdue["asOf"] as? String)
        let quarter = Self.quarter(of: asOf)
        let statistics = try Self.json(["stats", quarter, "--by", "total"])
        #expect(statistics["endMeasuredOn"] as? String == asOf)
        let total = statistics["total"] as? [String: Any] ?? [:]
        #expect(total["overdueAtEnd"] as? Int == (overdue["overdue"] as? [Any])?.count)
        let table = try Qingling.run(["stats", quarter, "--log", Self.log, "--by", "total", "--lang", "zh"])
        #expect(table.stdout.contains("期末: \(asOf)"), "\(table.stdout)")
        let ranking = try Self.json(["ranking", quarter])
        #expect(ranking["endMeasuredOn"] as? String == asOf)
        // With nothing in view, every region is still listed, with zeros.
        let nothing = try Self.json(["stats", "2024", "--known-at", "2000-01-01"])
        #expect((nothing["rows"] as? [[String: Any]])?.count == 15)
    }

    @Test func traceAsOfAndKnownAtLeaveOutLaterEvents() throws {
        let closed = try Self.exported("HazardClosed")
        let hazard = try #require((closed.first?["data"] as? [String: Any])?["hazardId"] as? String)
        let full = try Self.json(["trace", "--hazard", hazard])["links"] as? [[String: Any]] ?? []
        try #require(full.count >= 3)
        let asOf = Self.date(full[1])
        #expect(full.contains { Self.date($0) > asOf })
        let cut = try Self.json(["trace", "--hazard", hazard, "--as-of", asOf])["links"] as? [[String: Any]] ?? []
        #expect(!cut.isEmpty && cut.allSatisfy { Self.date($0) <= asOf }, "\(cut)")
        let knownAt = Self.date(full[1], "recordedAt")
        #expect(full.contains { Self.date($0, "recordedAt") > knownAt })
        let known = try Self.json(["trace", "--hazard", hazard, "--known-at", knownAt])["links"] as? [[String: Any]] ?? []
        #expect(!known.isEmpty && known.allSatisfy { Self.date($0, "recordedAt") <= knownAt }, "\(known)")
    }

    @Test func theStockTargetSaysWhichHazardsItChecks() throws {
        let targets = try Qingling.run(["targets", "--log", Self.log, "--lang", "zh"])
        #expect(targets.stdout.contains("存量清零（2023-12-31"), "\(targets.stdout)")
    }

    /// The figures each target's verdict rests on are numbers in JSON, equal to what the
    /// exported events and the breaches listed give.
    @Test func theTargetsFiguresAreNumbersInJSON() throws {
        let targets = try Self.json(["targets"])
        let withdrawn = Set(try Self.exported("HazardWithdrawn").compactMap { ($0["data"] as? [String: Any])?["hazardId"] as? String })
        let reported = try Self.exported("HazardReported").compactMap { $0["data"] as? [String: Any] }
            .filter { !withdrawn.contains($0["hazardId"] as? String ?? "") }
        func discovered(in year: String) -> Int { reported.filter { ($0["discoveredOn"] as? String)?.hasPrefix(year + "-") == true }.count }
        #expect(discovered(in: "2024") > 0)
        #expect(targets["newIn2024"] as? Int == discovered(in: "2024"), "\(targets)")
        #expect(targets["newIn2025"] as? Int == discovered(in: "2025"), "\(targets)")
        let breaches = targets["breaches"] as? [[String: Any]] ?? []
        func breachCount(_ target: String) -> Int { breaches.filter { $0["target"] as? String == target }.count }
        #expect(targets["stockCheckedOn"] as? String == "2024-12-31")
        #expect(targets["stockStillOpen"] as? Int == breachCount("stockCleared"))
        #expect(targets["overdueHazardMonthEnds"] as? Int == breachCount("dynamicZero"))
        let asOf = try #require(targets["asOf"] as? String)
        let monthEnds = asOf.hasPrefix("2026-") ? (Int(asOf.dropFirst(5).prefix(2)) ?? 0) - 1 : (asOf < "2026" ? 0 : 12)
        #expect((targets["monthEndsChecked"] as? Int).map { $0 == monthEnds || $0 == monthEnds + 1 } == true, "\(targets["monthEndsChecked"] ?? "") as of \(asOf)")
        let rows = targets["targets"] as? [[String: Any]] ?? []
        let newContained = try #require(rows.first { $0["target"] as? String == "newContained" })
        #expect((newContained["measure"] as? String)?.contains("\(discovered(in: "2025"))") == true)
    }

    @Test func rebuildRefusesKnownAtRatherThanIgnoreIt() throws {
        let refused = try Qingling.run(["rebuild", "--log", Self.log, "--known-at", "2025-01-01"])
        #expect(refused.status != 0 && refused.stderr.contains("--known-at"), "\(refused.status) \(refused.stderr)")
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
