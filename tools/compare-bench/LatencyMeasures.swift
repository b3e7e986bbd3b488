import Foundation
import QinglingEvents
import QinglingLog
import QinglingProjections
import QinglingWorkflow

/// What an analyst and the admin tool wait for on a large log: the trace of one hazard through
/// the log's index, and the time from opening the log to the first durable append.
enum LatencyMeasures {
    /// Traces 21 hazards spread over the log; reports the first (cold caches) and the median.
    static func trace(log: String) throws {
        let store = try EventStore(readingFrom: log)
        let end = try store.reader.nextSequence()
        var hazards: [String] = []
        for step in 0...20 {
            let record = try store.reader.record(at: end / 21 * UInt64(step))
            if let key = record.keys.first(where: { $0.hasPrefix("H:") }) { hazards.append(String(key.dropFirst(2))) }
        }
        let asOf = ShanghaiDateTime(microseconds: try store.reader.lastRecordedAt() ?? 0).date
        var times: [Double] = []
        var links = 0
        for hazard in hazards {
            times.append(try seconds {
                let lookup = TraceLookup(store: try EventStore(readingFrom: log), asOf: asOf)
                links += try lookup.hazard(hazard)?.links.count ?? 0
            })
        }
        guard !times.isEmpty, links > 0 else { throw BenchError("no hazard to trace in \(log)") }
        result("trace_first_seconds", times[0])
        result("trace_median_seconds", times.sorted()[times.count / 2])
        note("trace of \(hazards.count) hazards (\(links) links): first \(String(format: "%.1f", times[0] * 1e3)) ms, median \(String(format: "%.1f", times.sorted()[times.count / 2] * 1e3)) ms")
    }

    /// Opens the log for appending (through the workflow rules, as `qingling append` does) and
    /// appends one new tip-off, synced; then the same through the bare log writer.
    static func openToFirstAppend(log: String) throws {
        let reader = try LogReader(directory: log)
        let first = try EventBinaryCodec.decode(try reader.record(at: 0).payload)
        let last = try reader.lastRecordedAt() ?? 0
        let clock = SimulatedClock(microseconds: last + 60_000_000)
        let event = Event(eventId: "bench-open-append-\(getpid())", occurredAt: ShanghaiDateTime(microseconds: last), actor: first.actor,
                          body: .tipOffReceived(TipOffReceived(tipOffId: "JB-2100-\(getpid() % 1_000_000)", channel: .hotline,
                                                               summary: "benchmark", reporterPseudonym: "bench")))
        // Timed: from opening to the append's return (the event is durable then); not the close.
        var opened: EventStore?
        var written: Range<UInt64> = 0..<0
        let store = try seconds {
            let store = try EventStore(appendingTo: log, reference: .linxiang, options: LogOptions(clock: clock, createIfMissing: false))
            written = try store.append([EventStore.Input(event: event)]).written
            opened = store
        }
        try opened?.close()
        guard written.count == 1 else { throw BenchError("the benchmark event was not written") }
        result("open_append_store_seconds", store)

        var writer: LogWriter?
        let bare = try seconds {
            writer = try LogWriter(directory: log, options: LogOptions(clock: clock, createIfMissing: false))
            _ = try writer?.append([Record(keys: ["bench"], payload: Array("benchmark".utf8))])
        }
        try writer?.close()
        result("open_append_writer_seconds", bare)
        note("open to first append: \(String(format: "%.1f", store * 1e3)) ms through the event store, \(String(format: "%.1f", bare * 1e3)) ms through the log writer")
    }
}
