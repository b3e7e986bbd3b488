// Figures of the analysts' projections on an existing log, from a release build:
//
//     swift run -c release projection-bench LOG-DIRECTORY [HAZARD-ID]
//
// Measures a full rebuild (events/s, peak memory), the incremental catch-up of the last 1,000
// events from a checkpoint (load and check the checkpoint, fold the new events), and the
// trace of one hazard through the log's index. The log is only read; the checkpoint beside it
// is replaced. Prints a table; asserts nothing.
import Foundation
import QinglingEvents
import QinglingLog
import QinglingProjections
import QinglingWorkflow

let arguments = Array(CommandLine.arguments.dropFirst())
guard let directory = arguments.first else {
    print("usage: projection-bench LOG-DIRECTORY [HAZARD-ID]")
    exit(1)
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Peak resident memory of this process so far, in MiB.
func peakMemoryMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

let store = try EventStore(readingFrom: directory)
let events = try store.reader.nextSequence()
print("Qingling projections benchmark on \(directory): \(events) events")
print("")
print("| measurement | events | seconds | events/s | peak memory (MiB) |")
print("|---|---:|---:|---:|---:|")

var state = ProjectionState()
let full = try seconds {
    (state, _) = try ProjectionStore.load(store, rebuild: true, save: false)
}
print("| full rebuild (read, checksums, decompress, decode, fold) | \(events) | \(String(format: "%.2f", full)) | \(Int(Double(events) / full)) | \(String(format: "%.0f", peakMemoryMiB())) |")
print("| hazards \(state.hazards.count), tip-offs \(state.tipOffs.count), parties \(state.hazardsByParty.count) | | | | |")

// A checkpoint covering all but the last 1,000 events, then a catch-up from it.
let cut = events > 1_000 ? events - 1_000 : 0
var partial = ProjectionState()
try store.forEachEvent { stored, _ in if stored.sequence < cut { partial.apply(stored) } }
let path = ProjectionStore.checkpointPath(forLog: directory)
try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
let checkpoint = ProjectionCheckpoint.encode(partial)
try Data(checkpoint).write(to: URL(fileURLWithPath: path))
var caughtUp = ProjectionState()
var applied = 0
let catchUp = try seconds {
    let (loaded, report) = try ProjectionStore.load(try EventStore(readingFrom: directory), save: false)
    caughtUp = loaded
    applied = report.applied
}
print("| catch-up from a checkpoint (\(checkpoint.count / 1_048_576) MiB) covering \(cut) | \(applied) | \(String(format: "%.3f", catchUp)) | | |")
print("| catch-up result equals the full rebuild | \(caughtUp == state ? "yes" : "NO") | | | |")

let hazard = arguments.dropFirst().first ?? state.hazards[state.hazards.count / 2].id
let date = state.latestBusinessDate ?? CalendarDate(daysSinceEpoch: 0)
var links = 0
let trace = try seconds {
    let lookup = TraceLookup(store: try EventStore(readingFrom: directory), asOf: date)
    links = try lookup.hazard(hazard)?.links.count ?? 0
}
print("| trace of \(hazard) through the index (\(links) links) | | \(String(format: "%.4f", trace)) | | |")
