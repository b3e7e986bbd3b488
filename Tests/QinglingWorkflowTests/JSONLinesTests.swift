import QinglingEvents
import QinglingLog
import QinglingSampleData
import QinglingWorkflow
import Testing

/// `EventStore.writeJSONLines` (what `qingling export` writes) encodes its chunks on worker
/// threads: held here to the one-event-at-a-time encoding of every event read in order.
@Suite struct JSONLinesTests {
    /// A log of generated events over more chunks than are ever in flight.
    private func writeLog(_ log: TemporaryLog) throws -> [Event] {
        let events = LinxiangGenerator(seed: 11, hazardsPerYear: 600, until: CalendarDate(year: 2026, month: 11, day: 20)!).events()
        let store = try log.store()
        _ = try store.append(events.map { EventStore.Input(event: $0) })
        try store.close()
        return events
    }

    /// The JSON Lines of the events in `range` of `types`, one event at a time.
    private func oneByOne(_ store: EventStore, _ range: ClosedRange<UInt64>, types: Set<EventType> = []) throws -> (bytes: [UInt8], count: Int) {
        var bytes: [UInt8] = [], count = 0
        try store.forEachEvent(from: range.lowerBound, through: range.upperBound) { stored, _ in
            guard types.isEmpty || types.contains(stored.event.type) else { return }
            EventJSONEncoder.write(stored, to: &bytes)
            bytes.append(UInt8(ascii: "\n"))
            count += 1
        }
        return (bytes, count)
    }

    private func inChunks(_ store: EventStore, _ range: ClosedRange<UInt64>, types: Set<EventType> = []) throws(StoreError) -> (bytes: [UInt8], count: Int) {
        var bytes: [UInt8] = []
        let count = try store.writeJSONLines(in: range, types: types) { bytes += $0 }
        return (bytes, count)
    }

    @Test func theWholeLogIsWrittenAsOneEventAtATime() throws {
        let log = TemporaryLog()
        let events = try writeLog(log)
        #expect(events.count > 12 * 1_024)
        let store = try EventStore(readingFrom: log.path)
        let expected = try oneByOne(store, 0...UInt64.max)
        let written = try inChunks(store, 0...UInt64.max)
        #expect(written.count == events.count)
        #expect(expected.count == events.count)
        #expect(written.bytes == expected.bytes)
    }

    @Test func aRangeAndTypesAcrossChunksAreWrittenAsOneEventAtATime() throws {
        let log = TemporaryLog()
        _ = try writeLog(log)
        let store = try EventStore(readingFrom: log.path)
        for (range, types) in [(1_000...5_000, [EventType.hazardClosed, .penaltyImposed]), (1_023...1_024, []), (7...7, []),
                               (9_000...UInt64.max, [.hazardReported])] as [(ClosedRange<UInt64>, Set<EventType>)] {
            let expected = try oneByOne(store, range, types: types)
            let written = try inChunks(store, range, types: types)
            #expect(written.count == expected.count && expected.count > 0, "\(range) \(types)")
            #expect(written.bytes == expected.bytes, "\(range) \(types)")
        }
    }

    @Test func aRecordThatIsNotAnEventIsReportedAfterEveryEventBeforeIt() throws {
        let log = TemporaryLog()
        let events = try writeLog(log)
        let writer = try LogWriter(directory: log.path, options: LogOptions(clock: SimulatedClock(microseconds: ShanghaiTime.startOfYear(2027))))
        try writer.append([Record(payload: [EventBinaryCodec.version, 0xEE, 1, 2, 3])])
        // Then more chunks of events than are ever in flight: none of them is written.
        for start in stride(from: 0, to: 12_000, by: 1_000) {
            try writer.append(events[start..<start + 1_000].map { Record(payload: EventBinaryCodec.encode($0)) })
        }
        try writer.close()
        let store = try EventStore(readingFrom: log.path)
        let before = try oneByOne(store, 0...UInt64(events.count - 1))
        var bytes: [UInt8] = []
        #expect {
            _ = try store.writeJSONLines(in: 0...UInt64.max) { bytes += $0 }
        } throws: { error in
            guard case StoreError.undecodable(let sequence, _) = error else { return false }
            return sequence == UInt64(events.count)
        }
        #expect(bytes == before.bytes)
    }
}
