import Foundation

/// The tables of docs/performance.md, from the results files `results-<size>.txt` the driver
/// wrote (one `name value` per line), with the ratios and the targets of the performance issue.
struct Report {
    /// Results by log size label (`1M`, `4M`, `16M`), smallest first.
    let sizes: [(label: String, values: [String: Double])]

    init(directory: String) throws {
        var sizes: [(String, [String: Double])] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name.hasPrefix("results-") && name.hasSuffix(".txt") {
            let label = String(name.dropFirst("results-".count).dropLast(".txt".count))
            var values: [String: Double] = [:]
            for line in try String(contentsOfFile: directory + "/" + name, encoding: .utf8).split(separator: "\n") {
                let parts = line.split(separator: " ")
                if parts.count == 2, let value = Double(parts[1]) { values[String(parts[0])] = value }
            }
            sizes.append((label, values))
        }
        guard !sizes.isEmpty else { throw BenchError("no results-*.txt in \(directory)") }
        self.sizes = sizes.sorted { ($0.1["events"] ?? 0) < ($1.1["events"] ?? 0) }
    }

    /// SQLite's statistics query ÷ (rebuild + statistics): the median of the ratios of the
    /// rounds `run.sh` measured back to back (`sqlite_ratio_1` …).
    static func sqliteRatio(_ v: [String: Double]) -> Double {
        median(rounds(v, "sqlite_ratio")) ?? .nan
    }

    /// The rebuild's speed ÷ `lz4 -d`'s on the same bytes: the median of the rounds' ratios
    /// (`lz4_ratio_1` …).
    static func lz4Ratio(_ v: [String: Double]) -> Double {
        median(rounds(v, "lz4_ratio")) ?? .nan
    }

    /// `lz4 -d`'s speed in events per second (its median round).
    static func lz4EventsPerSecond(_ v: [String: Double]) -> Double {
        (v["events"] ?? .nan) / (v["lz4_seconds"] ?? .nan)
    }

    /// The rebuild's µs per event in the growth rounds (every size rebuilt in turn), or, for
    /// sizes measured by separate runs of `run.sh`, in the reported rebuild.
    static func microsecondsPerEvent(_ v: [String: Double]) -> Double {
        (median(rounds(v, "growth_rebuild_seconds")) ?? v["rebuild_seconds"] ?? .nan) / (v["events"] ?? .nan) * 1e6
    }

    /// The values of `key_1`, `key_2`… in the order the rounds ran.
    static func rounds(_ v: [String: Double], _ key: String) -> [Double] {
        var values: [Double] = []
        while let value = v["\(key)_\(values.count + 1)"] { values.append(value) }
        return values
    }

    static func median(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.sorted()[(values.count - 1) / 2]
    }

    /// The rounds' SQLite ratios as "a, b, c…", or a dash.
    private func sqliteRounds(_ v: [String: Double]) -> String {
        let ratios = Report.rounds(v, "sqlite_ratio")
        return ratios.isEmpty ? "—" : ratios.map { String(format: "%.1f", $0) }.joined(separator: ", ")
    }

    func markdown() -> String {
        var out: [String] = []
        out.append("### Reading: full rebuild of the projections against the alternatives and the limit\n")
        out.append("| log | events | hazards | rebuild (s) | events/s | peak memory (MiB) | KiB per hazard | scan only (events/s) | `lz4 -d` (events/s) | rebuild ÷ `lz4 -d` | SQLite statistics query (s) | SQLite ÷ (rebuild + statistics) | each round | JSON Lines + JSONDecoder (s) | JSON Lines ÷ rebuild |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for (label, v) in sizes {
            out.append("| \(label) | \(int(v["events"])) | \(int(v["hazards"])) | \(fixed(v["rebuild_seconds"])) | \(int(v["rebuild_events_per_second"])) | \(int(v["rebuild_peak_mib"])) | \(fixed((v["rebuild_peak_mib"] ?? .nan) * 1024 / (v["hazards"] ?? .nan))) | \(int(v["scan_events_per_second"])) | \(int(Report.lz4EventsPerSecond(v))) | \(percent(Report.lz4Ratio(v))) | \(fixed(v["sqlite_statistics_seconds"])) | \(times(Report.sqliteRatio(v))) | \(sqliteRounds(v)) | \(fixed(v["jsonl_seconds"])) | \(times((v["jsonl_seconds"] ?? .nan) / (v["rebuild_seconds"] ?? .nan))) |")
        }
        out.append("\n### Writing: durable appends through the library API (one `fdatasync` per batch) against SQLite\n")
        out.append("| log | bare `fdatasync` (ms) | 1-event batch (ms) | ÷ bare `fdatasync` | 100-event batches (events/s) | 1,000-event batches (events/s) | SQLite, 1,000 rows per transaction (events/s) | 1,000-event ÷ SQLite | bulk import (events/s) |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for (label, v) in sizes {
            out.append("| \(label) | \(fixed((v["fdatasync_seconds"] ?? .nan) * 1e3)) | \(fixed((v["append_1_batch_seconds"] ?? .nan) * 1e3)) | \(times((v["append_1_batch_seconds"] ?? .nan) / (v["fdatasync_seconds"] ?? .nan))) | \(int(v["append_100_events_per_second"])) | \(int(v["append_1000_events_per_second"])) | \(int(v["sqlite_insert_events_per_second"])) | \(times((v["append_1000_events_per_second"] ?? .nan) / (v["sqlite_insert_events_per_second"] ?? .nan))) | \(int(v["bulk_import_events_per_second"])) |")
        }
        out.append("\n### On disk\n")
        out.append("| log | Qingling segments (bytes/event) | Qingling indexes (bytes/event) | Qingling total | SQLite | JSON Lines | SQLite ÷ Qingling |")
        out.append("|---|---:|---:|---:|---:|---:|---:|")
        for (label, v) in sizes {
            let events = v["events"] ?? .nan
            let segments = (v["log_segment_bytes"] ?? .nan) / events, indexes = (v["log_index_bytes"] ?? .nan) / events
            out.append("| \(label) | \(fixed(segments)) | \(fixed(indexes)) | \(fixed(segments + indexes)) | \(fixed((v["sqlite_bytes"] ?? .nan) / events)) | \(fixed((v["jsonl_bytes"] ?? .nan) / events)) | \(times((v["sqlite_bytes"] ?? .nan) / events / (segments + indexes))) |")
        }
        out.append("\n### Latency\n")
        out.append("| log | trace, first (ms) | trace, median (ms) | open to first append, event store (ms) | open to first append, log writer (ms) |")
        out.append("|---|---:|---:|---:|---:|")
        for (label, v) in sizes {
            out.append("| \(label) | \(fixed((v["trace_first_seconds"] ?? .nan) * 1e3)) | \(fixed((v["trace_median_seconds"] ?? .nan) * 1e3)) | \(fixed((v["open_append_store_seconds"] ?? .nan) * 1e3)) | \(fixed((v["open_append_writer_seconds"] ?? .nan) * 1e3)) |")
        }
        out.append("\n### Same answers\n")
        for (label, v) in sizes {
            out.append("- \(label): clearance statistics of \(statisticsPeriodText) by region and industry, compared with Qingling's: SQL \(same(v["statistics_equal_sqlite"])); JSON Lines replay \(same(v["statistics_equal_jsonl"])).")
        }
        out.append("\n### Targets (largest log, \(sizes[sizes.count - 1].label))\n")
        out.append(contentsOf: targets())
        return out.joined(separator: "\n")
    }

    private func targets() -> [String] {
        let (_, v) = sizes[sizes.count - 1]
        let n = { (key: String) in v[key] ?? .nan }
        var lines: [String] = []
        func check(_ name: String, _ value: Double, _ goal: String, _ met: Bool) {
            lines.append("- \(met ? "met" : "**missed**"): \(name): \(String(format: "%.2f", value)) (target \(goal))")
        }
        check("SQLite statistics query ÷ (rebuild + statistics), median of the rounds", Report.sqliteRatio(v), "≥ 10", Report.sqliteRatio(v) >= 10)
        check("rebuild ÷ `lz4 -d` speed, median of the rounds", Report.lz4Ratio(v), "≥ 0.30", Report.lz4Ratio(v) >= 0.30)
        check("1,000-event durable appends ÷ SQLite batched inserts", n("append_1000_events_per_second") / n("sqlite_insert_events_per_second"), "≥ 5",
              n("append_1000_events_per_second") / n("sqlite_insert_events_per_second") >= 5)
        check("single-event durable append ÷ bare fdatasync", n("append_1_batch_seconds") / n("fdatasync_seconds"), "≤ 2",
              n("append_1_batch_seconds") / n("fdatasync_seconds") <= 2)
        let qinglingBytes = n("log_segment_bytes") + n("log_index_bytes")
        check("SQLite size ÷ Qingling size", n("sqlite_bytes") / qinglingBytes, "≥ 5", n("sqlite_bytes") / qinglingBytes >= 5)
        check("trace (median, ms)", n("trace_median_seconds") * 1e3, "< 50", n("trace_median_seconds") * 1e3 < 50)
        check("open to first append through the event store (ms)", n("open_append_store_seconds") * 1e3, "< 200", n("open_append_store_seconds") * 1e3 < 200)
        if sizes.count > 1 {
            let (_, small) = sizes[0]
            let growth = Report.microsecondsPerEvent(v) / Report.microsecondsPerEvent(small)
            check("rebuild µs per event, largest ÷ smallest log, median of the growth rounds (linear = 1)", growth, "≤ 1.25", growth <= 1.25)
            let perHazard = { (values: [String: Double]) in (values["rebuild_peak_mib"] ?? .nan) / (values["hazards"] ?? .nan) }
            let memory = perHazard(v) / perHazard(small)
            check("peak memory per hazard, largest ÷ smallest log (flat in events = at most 1)", memory, "≤ 1.25", memory <= 1.25)
        }
        return lines
    }

    private func int(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "—" }
        return String(Int(value.rounded()))
    }
    private func fixed(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "—" }
        return String(format: value >= 100 ? "%.0f" : "%.2f", value)
    }
    private func times(_ value: Double) -> String { value.isFinite ? String(format: "%.1f×", value) : "—" }
    private func percent(_ value: Double) -> String { value.isFinite ? String(format: "%.0f%%", value * 100) : "—" }
    private func same(_ value: Double?) -> String {
        switch value {
        case 1?: "identical"
        case 0?: "**different**"
        default: "not run"
        }
    }
}
