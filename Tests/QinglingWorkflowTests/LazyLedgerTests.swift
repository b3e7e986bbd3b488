import Foundation
import Testing
import QinglingEvents
import QinglingLog
import QinglingSampleData
import QinglingTestSupport
@testable import QinglingWorkflow

/// A store opened on an existing log reads nothing up front and looks up what each append
/// names through the log's index: what it finds must be exactly what a store that saw every
/// event knows.
@Suite struct LazyLedgerTests {
    @Test func lookupsThroughTheIndexEqualTheLedgerOfEveryEvent() throws {
        let log = TemporaryLog()
        let events = LinxiangGenerator(seed: 11, hazardsPerYear: 60, until: CalendarDate(year: 2026, month: 11, day: 20)).events()
        let writer = try log.store()
        #expect(writer.ledger.isComplete)
        // Daily batches, as the admin tool and the generator write them.
        var start = 0
        while start < events.count {
            var end = start + 1
            while end < events.count, events[end].occurredAt.date == events[start].occurredAt.date { end += 1 }
            try writer.add(Array(events[start..<end]))
            start = end
        }
        let complete = writer.ledger
        try writer.close()
        #expect(complete.hazards.count > 200 && complete.tipOffs.count > 5)

        let reopened = try log.store()
        #expect(!reopened.ledger.isComplete && reopened.ledger.eventIds.isEmpty)
        for event in events { try reopened.lookUp(event) }
        #expect(reopened.ledger.hazards == complete.hazards)
        #expect(reopened.ledger.tipOffs == complete.tipOffs)
        #expect(reopened.ledger.eventIds == complete.eventIds)
    }

    @Test func lookingUpManyEventsAtOnceEqualsTheLedgerOfEveryEvent() throws {
        let log = TemporaryLog()
        let events = LinxiangGenerator(seed: 12, hazardsPerYear: 40, until: CalendarDate(year: 2026, month: 11, day: 20)).events()
        let writer = try log.store()
        try writer.add(Array(events.prefix(events.count / 2)))
        try writer.add(Array(events.suffix(from: events.count / 2)))
        let complete = writer.ledger
        try writer.close()

        // One look-up for every event: what the log holds of them, found with each batch read
        // once, is what a store that saw every event knows.
        let reopened = try log.store()
        try reopened.lookUp(events)
        #expect(reopened.ledger.hazards == complete.hazards)
        #expect(reopened.ledger.tipOffs == complete.tipOffs)
        #expect(reopened.ledger.eventIds == complete.eventIds)
        // Appended again, every event is a retry, answered with its sequence.
        let retry = try reopened.add(events)
        #expect(retry.outcomes == (0..<UInt64(events.count)).map { .duplicate($0) } && retry.written.isEmpty)
    }

    @Test func theHazardsOfATipOffNamedAreLookedUpWithIt() throws {
        let log = TemporaryLog()
        let events = LinxiangGenerator(seed: 12, hazardsPerYear: 40, until: CalendarDate(year: 2026, month: 11, day: 20)).events()
        let writer = try log.store()
        try writer.add(events)
        let complete = writer.ledger
        try writer.close()
        // An event naming a tip-off with hazards reported from it, looked up alone: its
        // tip-off and those hazards come in, in the second pass.
        let named = try #require(events.last { event in
            guard case .rewardPaid = event.body, let tip = event.body.tipOffId else { return false }
            return !(complete.tipOffs[tip]?.hazardIds.isEmpty ?? true)
        })
        let tip = try #require(named.body.tipOffId)
        let reopened = try log.store()
        try reopened.lookUp([named])
        #expect(reopened.ledger.tipOffs[tip] == complete.tipOffs[tip])
        for id in complete.tipOffs[tip]?.hazardIds ?? [] { #expect(reopened.ledger.hazards[id] == complete.hazards[id]) }
    }

    @Test func anIdFoundMissingIsFoundOnceAppended() throws {
        let log = TemporaryLog()
        var s = Scenario()
        try log.store().add([s.event(Scenario.department, s.report())])

        let reopened = try log.store()
        let report = s.event(Scenario.department, s.report("LX-2024-0002"))
        try reopened.lookUp([report])
        #expect(reopened.ledger.absentHazards == ["LX-2024-0002"] && reopened.ledger.absentEventIds == [report.eventId])
        // A refused append leaves the log, and what is known missing from it, as they were.
        let early = s.event(Scenario.department, s.supervise("LX-2024-0002"))
        #expect(try reopened.refusals([early]) == [.unknownHazard("LX-2024-0002")])
        #expect(reopened.ledger.absentHazards == ["LX-2024-0002"])
        // Once appended, it is no longer missing: its next step is checked against it, and a
        // retry of its report is answered with its sequence.
        #expect(try reopened.add([report]).written == 1..<2)
        #expect(reopened.ledger.absentHazards.isEmpty && reopened.ledger.absentEventIds.isEmpty)
        #expect(try reopened.add([s.event(Scenario.department, s.supervise("LX-2024-0002"))]).written == 2..<3)
        #expect(try reopened.add([report]).outcomes == [.duplicate(1)])
    }

    @Test func idsFoundMissingAreThoseOfTheEventsBeingChecked() throws {
        let log = TemporaryLog()
        var s = Scenario()
        try log.store().add([s.event(Scenario.department, s.report())])
        let reopened = try log.store()
        // A read notes nothing missing, however many ids that never existed it is asked for.
        #expect(try reopened.hazard("LX-2024-0009") == nil && reopened.ledger.absentHazards.isEmpty)
        // Each look-up of a window of events starts afresh.
        try reopened.lookUp([s.event(Scenario.department, s.supervise("LX-2024-0002"))])
        #expect(reopened.ledger.absentHazards == ["LX-2024-0002"])
        try reopened.lookUp([s.event(Scenario.department, s.supervise("LX-2024-0003"))])
        #expect(reopened.ledger.absentHazards == ["LX-2024-0003"] && reopened.ledger.absentEventIds.count == 1)
    }

    @Test func aReaderNotesNothingMissing() throws {
        let log = TemporaryLog()
        var s = Scenario()
        try log.store().add([s.event(Scenario.department, s.report())])
        // A store that only reads may see another process append what it did not find.
        let reader = try EventStore(readingFrom: log.path)
        #expect(try reader.hazard("LX-2024-0002") == nil)
        #expect(reader.ledger.absentHazards.isEmpty)
        try log.store().add([s.event(Scenario.department, s.report("LX-2024-0002"))])
        #expect(try reader.hazard("LX-2024-0002")?.status == .reported)
    }

    /// A reopened store's look-ups read the log only up to where it stood when the store
    /// opened: what the store appended since is in its ledger. Appending the second half of a
    /// county's events day by day after reopening gives what one store appending them all gave,
    /// and each again is a retry answered with its sequence.
    @Test func appendsAfterReopeningAreCheckedAgainstWhatTheStoreAppendedItself() throws {
        let events = LinxiangGenerator(seed: 13, hazardsPerYear: 40, until: CalendarDate(year: 2026, month: 11, day: 20)).events()
        func days(_ events: ArraySlice<Event>) -> [[Event]] {
            var days: [[Event]] = []
            for event in events {
                if let last = days.last?.last, last.occurredAt.date == event.occurredAt.date { days[days.count - 1].append(event) } else { days.append([event]) }
            }
            return days
        }
        let half = events.count / 2
        let whole = TemporaryLog()
        let complete = try whole.store()
        let expected = try days(events[...]).flatMap { try complete.add($0).outcomes }
        try complete.close()

        let log = TemporaryLog()
        try log.store().add(Array(events.prefix(half)))
        let reopened = try log.store()
        #expect(reopened.lookUpsEndAt == UInt64(half))
        let outcomes = try days(events[half...]).flatMap { try reopened.add($0).outcomes }
        #expect(outcomes == Array(expected[half...]))
        #expect(reopened.ledger.hazards.count > 10)
        let retry = try reopened.add(events)
        #expect(retry.outcomes == (0..<UInt64(events.count)).map { .duplicate($0) } && retry.written.isEmpty)
        // An id the store appended itself, reused with other content: refused with its sequence.
        var reused = events[events.count - 1]
        reused.eventId = events[half + 1].eventId
        #expect(try reopened.refusals([reused]).contains(.eventIdReused(events[half + 1].eventId, sequence: UInt64(half + 1))))
    }

    /// After a write fails, what reached the log is unknown: the ledger is forgotten and
    /// look-ups read the whole log again, so an id the store appended itself before the
    /// failure is still found (a reuse refused with its sequence, not taken for a new id).
    @Test func afterAFailedWriteLookUpsReadTheWholeLogAgain() throws {
        var s = Scenario()
        let report = s.event(Scenario.department, s.report())
        let supervise = s.event(Scenario.department, s.supervise())
        let rectify = s.event(Scenario.company, s.rectify())
        func store(on log: TemporaryLog, crashAt: Int) throws -> (EventStore, CrashingFileSystem) {
            let files = CrashingFileSystem(crashAt: crashAt)
            let options = LogOptions(fileSystem: files, clock: SimulatedClock(microseconds: ShanghaiTime.startOfYear(2027)))
            return (try EventStore(appendingTo: log.path, reference: .linxiang, options: options), files)
        }
        // How many changes appending the supervision takes, on a log holding the report.
        let counted = TemporaryLog()
        try counted.store().add([report])
        let (counting, files) = try store(on: counted, crashAt: .max)
        try counting.add([supervise])
        let changes = files.changesMade

        let log = TemporaryLog()
        try log.store().add([report])
        let (reopened, _) = try store(on: log, crashAt: changes + 1)
        #expect(reopened.lookUpsEndAt == 1)
        #expect(try reopened.add([supervise]).written == 1..<2)
        #expect(throws: StoreError.self) { try reopened.add([rectify]) }
        #expect(reopened.lookUpsEndAt == .max && reopened.ledger.eventIds.isEmpty)
        var reused = rectify
        reused.eventId = supervise.eventId
        #expect(try reopened.refusals([reused]) == [.eventIdReused(supervise.eventId, sequence: 1)])
    }

    @Test func aReopenedStoreChecksAppendsAgainstTheLog() throws {
        let log = TemporaryLog()
        var s = Scenario()
        let report = s.event(Scenario.department, s.report())
        try log.store().add([report, s.event(Scenario.department, s.supervise())])

        let reopened = try log.store()
        // The hazard exists, at version 2; its id cannot be reported again.
        #expect(try reopened.refusals([s.event(Scenario.department, s.report())]) == [.hazardExists("LX-2024-0001")])
        var stale = s.event(Scenario.company, s.rectify())
        stale.expectedVersion = 1
        #expect(try reopened.refusals([stale]) == [.versionMismatch(hazardId: "LX-2024-0001", expected: 1, found: 2)])
        // A retry is answered with the original sequence; a reused id with other content is refused.
        #expect(try reopened.add([report]).outcomes == [.duplicate(0)])
        var reused = s.event(Scenario.company, s.rectify())
        reused.eventId = report.eventId
        #expect(try reopened.refusals([reused]) == [.eventIdReused(report.eventId, sequence: 0)])
        var current = s.event(Scenario.company, s.rectify())
        current.expectedVersion = 2
        #expect(try reopened.add([current]).written == 2..<3)
        #expect(try reopened.hazard("LX-2024-0001")?.status == .awaitingVerification)
    }
}
