import Foundation
import Testing
import QinglingEvents
import QinglingLog
import QinglingSampleData
@testable import QinglingWorkflow

/// `EventStore.replay` reads on a second thread ahead of the caller: it must hand over every
/// event's stored bytes once, in order, and stop with the sequence of the event the caller
/// could not fold.
@Suite struct ReplayTests {
    private func writeLog(_ log: TemporaryLog) throws -> [Event] {
        let events = LinxiangGenerator(seed: 3, hazardsPerYear: 450, until: CalendarDate(year: 2026, month: 11, day: 20)).events()
        let store = try log.store()
        try store.add(events)
        try store.close()
        return events
    }

    @Test func everyEventComesOnceInOrderWithItsStoredBytes() throws {
        let log = TemporaryLog()
        let events = try writeLog(log)
        #expect(events.count > 2 * 4_096, "more than two chunks of 4,096")
        let store = try EventStore(readingFrom: log.path)
        var seen: [(sequence: UInt64, recordedAt: Int64, payload: [UInt8])] = []
        let last = try store.replay(from: 7) { sequence, recordedAt, payload in seen.append((sequence, recordedAt, Array(payload))) }
        let records = try store.reader.readAll(from: 7)
        #expect(seen.map(\.sequence) == Array(7..<UInt64(events.count)))
        #expect(seen.map(\.recordedAt) == records.map(\.recordedAt))
        #expect(seen.map(\.payload) == records.map(\.payload))
        #expect(last == records.last?.payload)
    }

    @Test func aFailingBodyStopsTheReplayNamingTheEvent() throws {
        let log = TemporaryLog()
        _ = try writeLog(log)
        let store = try EventStore(readingFrom: log.path)
        var seen: [UInt64] = []
        #expect {
            try store.replay { sequence, _, _ throws(EventDecodingError) in
                guard sequence < 5_000 else { throw EventDecodingError(reason: "stop here") }
                seen.append(sequence)
            }
        } throws: { error in
            guard case StoreError.undecodable(5_000, let cause) = error else { return false }
            return cause.reason == "stop here"
        }
        #expect(seen == Array(0..<5_000))
        // The reading thread has stopped: the store can be used again.
        #expect(try store.reader.record(at: 5).sequence == 5)
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
            try EventStore(readingFrom: log.path).replay { sequence, _, payload throws(EventDecodingError) in
                _ = try EventView(payload)
                seen.append(sequence)
            }
        } throws: { error in
            guard case StoreError.undecodable(let sequence, _) = error else { return false }
            return sequence == UInt64(events.count)
        }
        // What was handed over before the failure is a prefix of the log, in order.
        #expect(seen == Array(0..<UInt64(seen.count)) && seen.count <= events.count)
    }
}
