// The in-process measurements of `tools/compare-bench/run.sh` (the fold, the scan, `lz4 -d`,
// the log library's appends and latencies, SQLite's load) and the checkpoint it catches up
// from; run.sh times the `qingling` commands and the peers (peers/) itself, and peers/report.py
// makes the tables of docs/performance.md. Each measurement runs in a process of its own.
//
//     compare-bench append LOG SCRATCH-DIR          durable appends, bulk import, bare fdatasync
//     compare-bench scan LOG                        scan only
//     compare-bench frames LOG FRAMES-FILE          the log's LZ4 frames written out, for lz4
//     compare-bench lz4 FRAMES-FILE                 lz4 -d on those frames
//     compare-bench rebuild LOG STATS-FILE          full rebuild, peak memory, clearance statistics
//     compare-bench sqlite-load JSONL DATABASE      SQLite batched inserts, database size
//     compare-bench jsonl JSONL STATS-FILE          JSONDecoder replay of the projections
//     compare-bench trace LOG                       trace latency
//     compare-bench open-append LOG                 open to first append (appends to LOG)
//     compare-bench catch-up LOG                    checkpoint of all but the last 1,000 events, caught up
//     compare-bench checkpoint-behind LOG N         write the checkpoint of all but the last N events
//
// Measurements print `name value` lines; progress goes to standard error.
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    switch (arguments.first, arguments.count) {
    case ("append", 3): try AppendMeasures.run(log: arguments[1], scratch: arguments[2])
    case ("scan", 2): try ScanMeasures.run(log: arguments[1])
    case ("frames", 3): try ScanMeasures.writeFrames(log: arguments[1], frames: arguments[2])
    case ("lz4", 2): try ScanMeasures.timeLZ4(frames: arguments[1])
    case ("rebuild", 3): try RebuildMeasures.run(log: arguments[1], statisticsOutput: arguments[2])
    case ("sqlite-load", 3): try SQLiteMeasures.load(jsonLines: arguments[1], database: arguments[2])
    case ("jsonl", 3): try JSONLinesReplay.run(jsonLines: arguments[1], statisticsOutput: arguments[2])
    case ("trace", 2): try LatencyMeasures.trace(log: arguments[1])
    case ("open-append", 2): try LatencyMeasures.openToFirstAppend(log: arguments[1])
    case ("catch-up", 2): try CatchUpMeasures.run(log: arguments[1])
    case ("checkpoint-behind", 3):
        guard let behind = UInt64(arguments[2]) else { throw BenchError("checkpoint-behind: \(arguments[2]) is not a count of events") }
        try CatchUpMeasures.writeCheckpoint(log: arguments[1], behind: behind)
    default:
        note("usage: compare-bench append|scan|frames|lz4|rebuild|sqlite-load|jsonl|trace|open-append|catch-up|checkpoint-behind ARGUMENTS (see tools/compare-bench/main.swift)")
        exit(64)
    }
} catch {
    note("compare-bench: \(error)")
    exit(1)
}
