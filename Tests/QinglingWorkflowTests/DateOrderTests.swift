import Foundation
import Testing
import QinglingEvents
import QinglingLog
@testable import QinglingWorkflow

/// A hazard's lifecycle events keep the order of their business dates.
@Suite struct DateOrderTests {
    static func day(_ text: String) -> CalendarDate { CalendarDate(text) ?? CalendarDate(daysSinceEpoch: 0) }

    static func on(_ event: Event, _ text: String) -> Event {
        var event = event
        event.occurredAt = ShanghaiDateTime(text) ?? event.occurredAt
        return event
    }

    @Test func aClosureDatedBeforeThePassedVerificationIsRefused() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        try store.add([s.event(Scenario.department, s.report()), s.event(Scenario.department, s.supervise()),
                       s.event(Scenario.company, s.rectify())])
        try store.add([Self.on(s.event(Scenario.department, s.verify()), "2026-12-05T10:00:00+08:00")])
        let early = Self.on(s.event(Scenario.department, s.close()), "2026-12-01T10:00:00+08:00")
        let refusals = try store.violations([early])
        #expect(refusals.map(\.rule) == [.beforePreviousStep(hazardId: "LX-2024-0001", on: Self.day("2026-12-01"),
                                                              previous: .hazardVerified, previousOn: Self.day("2026-12-05"))])
        for language in Language.allCases {
            #expect(refusals.first.map { $0.text(language).contains("2026-12-01") && $0.text(language).contains("2026-12-05") } == true)
        }
        // The same day is allowed.
        #expect(try store.refusals([Self.on(s.event(Scenario.department, s.close()), "2026-12-05T09:00:00+08:00")]).isEmpty)
    }

    @Test func aVerificationDatedBeforeTheRectificationItChecksIsRefused() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        try store.add([s.event(Scenario.department, s.report()), s.event(Scenario.department, s.supervise())])
        let rectified = s.event(Scenario.company, s.rectify())
        try store.add([rectified])
        let dayBefore = rectified.occurredAt.date.adding(days: -1)
        let early = Self.on(s.event(Scenario.department, s.verify()), dayBefore.description + "T16:00:00+08:00")
        #expect(try store.refusals([early]) == [.beforePreviousStep(hazardId: "LX-2024-0001", on: dayBefore,
                                                                    previous: .hazardRectified, previousOn: rectified.occurredAt.date)])
    }

    @Test func everyLifecycleEventFollowsThePreviousOne() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        let report = s.event(Scenario.department, s.report())
        try store.add([report])
        let dayBefore = report.occurredAt.date.adding(days: -1)
        let before = dayBefore.description + "T10:00:00+08:00"
        let afterReport = WorkflowViolation.Rule.beforePreviousStep(hazardId: "LX-2024-0001", on: dayBefore, previous: .hazardReported,
                                                                     previousOn: report.occurredAt.date)
        // A supervision (the first step after the report) dated the day before the report.
        #expect(try store.refusals([Self.on(s.event(Scenario.department, s.supervise()), before)]) == [afterReport])
        let withdraw = EventBody.hazardWithdrawn(HazardWithdrawn(hazardId: "LX-2024-0001", reason: "误报"))
        #expect(try store.refusals([Self.on(s.event(Scenario.department, withdraw), before)]) == [afterReport])
        let supervised = s.event(Scenario.department, s.supervise())
        try store.add([supervised])
        let extend = EventBody.deadlineExtended(DeadlineExtended(hazardId: "LX-2024-0001", newDeadline: s.day.adding(days: 90), reason: "设备到货延迟"))
        #expect(try store.refusals([Self.on(s.event(Scenario.department, extend), before)])
                == [.beforePreviousStep(hazardId: "LX-2024-0001", on: dayBefore, previous: .hazardSupervised, previousOn: supervised.occurredAt.date)])
        // In one append, each event is checked against the one before it.
        #expect(try store.refusals([s.event(Scenario.company, s.rectify()), Self.on(s.event(Scenario.department, s.verify()), before)])
                == [.beforePreviousStep(hazardId: "LX-2024-0001", on: dayBefore, previous: .hazardRectified, previousOn: s.day.adding(days: -1))])
    }
}
