import Foundation
import Testing
import QinglingEvents
import QinglingLog
import QinglingSampleData
@testable import QinglingWorkflow

/// `EventStore.replay` decodes on a second thread ahead of the caller: it must hand over every
/// event once, in order, and stop with the sequence of a record that is not an event.
@Suite struct ReplayTests {
    private func writeLog(_ log: TemporaryLog) throws -> [Event] {
        let events = LinxiangGenerator(seed: 3, hazardsPerYear: 250, until: CalendarDate(year: 2026, month: 11, day: 20)).events()
        let store = try log.store()
        try store.add(events)
        try store.close()
        return events
    }

    @Test func everyEventComesOnceInOrderWithoutFreeText() throws {
        let log = TemporaryLog()
        let events = try writeLog(log)
        #expect(events.count > 5_000, "more than two chunks of 2,048")
        let store = try EventStore(readingFrom: log.path)
        var seen: [StoredEvent] = []
        let last = try store.replay(from: 7) { seen.append($0) }
        #expect(seen.map(\.sequence) == Array(7..<UInt64(events.count)))
        #expect(seen.map(\.event.eventId) == events.dropFirst(7).map(\.eventId))
        #expect(seen.map(\.event.body.hazardIds) == events.dropFirst(7).map(\.body.hazardIds))
        #expect(last == (try store.reader.record(at: UInt64(events.count - 1)).payload))
    }

    @Test func aRecordThatIsNotAnEventStopsTheReplayNamingItsSequence() throws {
        let log = TemporaryLog()
        let events = try writeLog(log)
        let writer = try LogWriter(directory: log.path, options: LogOptions(clock: SimulatedClock(microseconds: ShanghaiTime.startOfYear(2027))))
        try writer.append([Record(keys: ["H:LX-2026-9999"], payload: [EventBinaryCodec.version, 0xEE, 1, 2, 3])])
        try writer.append([Record(payload: EventBinaryCodec.encode(events[0]))])
        try writer.close()
        var seen: [UInt64] = []
        #expect {
            try EventStore(readingFrom: log.path).replay { seen.append($0.sequence) }
        } throws: { error in
            guard case StoreError.undecodable(let sequence, _) = error else { return false }
            return sequence == UInt64(events.count)
        }
        // What was handed over before the failure is a prefix of the log, in order.
        #expect(seen == Array(0..<UInt64(seen.count)) && seen.count <= events.count)
    }
}
