import Foundation
import QinglingEvents
import QinglingLog
import QinglingWorkflow

/// The dates a query is measured at when none is given, and `--known-at` / `knownAt` read: one
/// place for the command line and the service.
public enum QueryDates {
    /// The business date queries default to: today (Asia/Shanghai) for a log on the real clock;
    /// for a log on the simulated clock (demo and test logs), `latest`, the latest business date
    /// of the events counted.
    public static func defaultDate(_ store: EventStore, latest: CalendarDate?) -> CalendarDate {
        if store.reader.metadata.clock == .simulated, let latest { return latest }
        return ShanghaiDateTime(microseconds: Int64(Date().timeIntervalSince1970 * 1_000_000)).date
    }

    /// The latest business date as known at `knownAt`: the business date of the last event
    /// recorded by then, so that the ledger as it stood then is measured at its own last day;
    /// `latest` (the whole log's) without `knownAt`, or when every event, or none, was recorded
    /// by then.
    public static func latestKnown(_ store: EventStore, knownAt: Int64?, latest: CalendarDate?) throws(StoreError) -> CalendarDate? {
        guard let knownAt else { return latest }
        return try businessDateOfLastEvent(store, recordedBy: knownAt) ?? latest
    }

    /// A recording time given as `YYYY-MM-DD` (the end of that day) or RFC 3339 with +08:00, in
    /// µs since the Unix epoch; `nil` when it is neither.
    public static func knownAt(_ text: String) -> Int64? {
        if let time = ShanghaiDateTime(text) { return time.microseconds }
        if let date = CalendarDate(text), let end = ShanghaiDateTime(date: date, hour: 23, minute: 59, second: 59, microsecond: 999_999) {
            return end.microseconds
        }
        return nil
    }

    /// The business date of the last event recorded by `knownAt`, found by bisecting the
    /// recorded times (which increase with the sequence); `nil` when every event or none was
    /// recorded by then.
    static func businessDateOfLastEvent(_ store: EventStore, recordedBy knownAt: Int64) throws(StoreError) -> CalendarDate? {
        var known: UInt64 = 0  // recorded by knownAt
        let record: LogRecord
        do throws(LogError) {
            let next = try store.reader.nextSequence()
            guard next > 0, try store.reader.record(at: 0).recordedAt <= knownAt,
                  try store.reader.record(at: next - 1).recordedAt > knownAt else { return nil }
            var unknown = next - 1  // recorded after knownAt
            while unknown - known > 1 {
                let middle = known + (unknown - known) / 2
                if try store.reader.record(at: middle).recordedAt <= knownAt { known = middle } else { unknown = middle }
            }
            record = try store.reader.record(at: known)
        } catch {
            throw .log(error)
        }
        do throws(EventDecodingError) {
            return try EventBinaryCodec.decode(record.payload).occurredAt.date
        } catch {
            throw .undecodable(sequence: known, error)
        }
    }
}
