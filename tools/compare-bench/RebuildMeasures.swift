import Foundation
import QinglingEvents
import QinglingProjections
import QinglingWorkflow

/// The period of the clearance statistics the fold computes (run.sh's `stats` and the peers'
/// queries use the same: `period` there).
let statisticsPeriodText = "2025"

/// A full rebuild of every projection from the log (no checkpoint), then the clearance
/// statistics by region and industry; run in a process of its own so that its peak memory is
/// its own.
enum RebuildMeasures {
    static func run(log: String, statisticsOutput: String) throws {
        let store = try EventStore(readingFrom: log)
        var state = ProjectionState()
        let rebuild = try seconds {
            (state, _) = try ProjectionStore.load(store, rebuild: true, save: false)
        }
        guard let period = Period(statisticsPeriodText) else { throw BenchError("bad period \(statisticsPeriodText)") }
        var statistics: ClearanceStatistics?
        let query = seconds {
            statistics = ClearanceStatistics(state, period: period, grouping: .regionAndIndustry, reference: .linxiang)
        }
        result("rebuild_seconds", rebuild)
        result("rebuild_events_per_second", Double(state.nextSequence) / rebuild)
        result("rebuild_peak_mib", peakMemoryMiB())
        result("hazards", Double(state.hazards.count))
        result("events", Double(state.nextSequence))
        result("statistics_seconds", query)
        if let statistics { try write(statistics, to: statisticsOutput) }
        note("rebuild of \(state.nextSequence) events in \(String(format: "%.2f", rebuild)) s, \(String(format: "%.0f", peakMemoryMiB())) MiB peak")
    }

    /// One line per region and industry: region, industry, stock, new, closed, open, overdue,
    /// tab-separated and sorted, the form the SQL query and the JSON Lines replay also write.
    static func write(_ statistics: ClearanceStatistics, to path: String) throws {
        let lines = statistics.rows.map { row in
            let f = row.figures
            return [row.region ?? "", row.industry ?? "", "\(f.stock)", "\(f.new)", "\(f.closed)", "\(f.openAtEnd)", "\(f.overdueAtEnd)"]
                .joined(separator: "\t")
        }
        try (lines.sorted().joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }
}
