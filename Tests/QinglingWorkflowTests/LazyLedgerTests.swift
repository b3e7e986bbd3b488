import Foundation
import Testing
import QinglingEvents
import QinglingLog
import QinglingSampleData
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
