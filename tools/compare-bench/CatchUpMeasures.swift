import Foundation
import QinglingEvents
import QinglingLog
import QinglingProjections
import QinglingWorkflow

/// The analysts' everyday path: a checkpoint covering all but the last 1,000 events, loaded,
/// checked against the log and caught up; the result must equal a full rebuild. Replaces the
/// log's checkpoint.
enum CatchUpMeasures {
    static func run(log: String) throws {
        let store = try EventStore(readingFrom: log)
        let (full, _) = try ProjectionStore.load(store, rebuild: true, save: false)
        let (checkpoint, behind) = try writeCheckpoint(log: log, behind: 1_000)
        var caughtUp = ProjectionState()
        let elapsed = try seconds {
            (caughtUp, _) = try ProjectionStore.load(try EventStore(readingFrom: log), save: false)
        }
        try FileManager.default.removeItem(atPath: ProjectionStore.checkpointPath(forLog: log))
        guard caughtUp == full else { throw BenchError("the caught-up state differs from the full rebuild") }
        result("catch_up_seconds", elapsed)
        result("checkpoint_bytes", Double(checkpoint))
        note("catch-up of the last \(behind) events from a \(checkpoint >> 20) MiB checkpoint: \(String(format: "%.2f", elapsed)) s, equal to the full rebuild")
    }

    /// Writes the log's checkpoint as the analysts' commands would have saved it `behind` events
    /// ago (covering all but the log's last `behind` events), so that the next command catches
    /// up those events as it would after they were appended. Returns the checkpoint's size and
    /// the number of events it leaves out.
    @discardableResult
    static func writeCheckpoint(log: String, behind: UInt64) throws -> (bytes: Int, behind: UInt64) {
        let store = try EventStore(readingFrom: log)
        let count = try store.reader.nextSequence()
        let cut = count > behind ? count - behind : 0
        var partial = ProjectionState()
        var failure: EventDecodingError?
        try store.reader.forEachPayload { sequence, recordedAt, payload in
            guard sequence < cut, failure == nil else { return }
            do throws(EventDecodingError) {
                try partial.fold(payload, sequence: sequence, recordedAt: recordedAt)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        if cut > 0 { partial.coverLastEvent(hash: Ledger.digest(ofStoredBytes: try store.reader.record(at: cut - 1).payload)) }
        let path = ProjectionStore.checkpointPath(forLog: log)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let checkpoint = ProjectionCheckpoint.encode(partial)
        try Data(checkpoint).write(to: URL(fileURLWithPath: path))
        return (checkpoint.count, count - cut)
    }
}
