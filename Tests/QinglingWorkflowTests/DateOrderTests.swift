import Foundation
import Testing
import QinglingEvents
import QinglingLog
@testable import QinglingWorkflow

/// A hazard's lifecycle events keep the order of their business dates; no event is dated before
/// the report of a hazard or the receipt of a tip-off it names.
@Suite struct DateOrderTests {
    static func day(_ text: String) -> CalendarDate { CalendarDate(text) ?? CalendarDate(daysSinceEpoch: 0) }

    static func on(_ event: Event, _ text: String) -> Event {
        var event = event
        event.occurredAt = ShanghaiDateTime(text) ?? event.occurredAt
        return event
    }

    static let tip = TipOffReceived(tipOffId: "JB-2024-0007", channel: .hotline, summary: "仓库超量储存", reporterPseudonym: "热心群众甲")

    static func penalty(hazardIds: [String] = [], tipOffId: String? = nil) -> EventBody {
        .penaltyImposed(PenaltyImposed(enterprise: Scenario.enterprise, kind: .warning, amountFen: 0, legalBasis: "《中华人民共和国安全生产法》第一百零二条",
                                       caseNumber: "临应急罚〔2024〕12号", hazardIds: hazardIds, tipOffId: tipOffId))
    }

    static func escalation(_ hazardIds: [String]) -> EventBody {
        .escalationIssued(EscalationIssued(level: .letter, target: Scenario.company.organization, hazardIds: hazardIds))
    }

    /// Expects `refusals` to be `rule` alone, said with both dates in either language.
    static func expectRefused(_ refusals: [WorkflowViolation], _ rule: WorkflowViolation.Rule, dates: [String]) {
        #expect(refusals.map(\.rule) == [rule])
        for language in Language.allCases {
            #expect(refusals.first.map { text in dates.allSatisfy { text.text(language).contains($0) } } == true, "\(refusals)")
        }
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

extension DateOrderTests {
    @Test func aPenaltyOrEscalationDatedBeforeTheReportOfAHazardItNamesIsRefused() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        try store.add([Self.on(s.event(Scenario.department, s.report("LX-2024-0002")), "2024-04-05T10:00:00+08:00"),
                       Self.on(s.event(Scenario.department, s.report("LX-2024-0001")), "2024-04-10T10:00:00+08:00")])
        let rule = WorkflowViolation.Rule.beforeReport(hazardId: "LX-2024-0001", on: Self.day("2024-04-08"), reportedOn: Self.day("2024-04-10"))
        let early = "2024-04-08T16:00:00+08:00"
        Self.expectRefused(try store.violations([Self.on(s.event(Scenario.department, Self.penalty(hazardIds: ["LX-2024-0002", "LX-2024-0001"])), early)]),
                           rule, dates: ["2024-04-08", "2024-04-10"])
        Self.expectRefused(try store.violations([Self.on(s.event(Scenario.committee, Self.escalation(["LX-2024-0002", "LX-2024-0001"])), early)]),
                           rule, dates: ["2024-04-08", "2024-04-10"])
        // The same day is allowed.
        let sameDay = "2024-04-10T09:00:00+08:00"
        #expect(try store.refusals([Self.on(s.event(Scenario.department, Self.penalty(hazardIds: ["LX-2024-0001"])), sameDay),
                                    Self.on(s.event(Scenario.committee, Self.escalation(["LX-2024-0001"])), sameDay)]).isEmpty)
    }

    @Test func aReportPenaltyOrRewardDatedBeforeItsTipOffIsRefused() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        try store.add([Self.on(s.event(Scenario.department, .tipOffReceived(Self.tip)), "2024-04-10T10:00:00+08:00")])
        let early = "2024-04-09T16:00:00+08:00"
        let rule = WorkflowViolation.Rule.beforeTipOff(tipOffId: "JB-2024-0007", on: Self.day("2024-04-09"), receivedOn: Self.day("2024-04-10"))
        Self.expectRefused(try store.violations([Self.on(s.event(Scenario.department, s.report(tipOff: "JB-2024-0007", source: .tipOff)), early)]),
                           rule, dates: ["2024-04-09", "2024-04-10"])
        Self.expectRefused(try store.violations([Self.on(s.event(Scenario.department, Self.penalty(tipOffId: "JB-2024-0007")), early)]),
                           rule, dates: ["2024-04-09", "2024-04-10"])
        // A penalty on the day of the tip-off confirms it; a reward dated before the tip-off is still refused.
        try store.add([Self.on(s.event(Scenario.department, Self.penalty(tipOffId: "JB-2024-0007")), "2024-04-10T15:00:00+08:00")])
        let reward = EventBody.rewardPaid(RewardPaid(tipOffId: "JB-2024-0007", amountFen: 200_000))
        Self.expectRefused(try store.violations([Self.on(s.event(Scenario.department, reward), early)]), rule, dates: ["2024-04-09", "2024-04-10"])
        #expect(try store.refusals([Self.on(s.event(Scenario.department, reward), "2024-04-10T16:00:00+08:00")]).isEmpty)
    }
}

extension DateOrderTests {
    @Test func aRectificationCompletedBeforeTheReopeningItAnswersIsRefused() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        try store.add([s.event(Scenario.department, s.report()), s.event(Scenario.department, s.supervise()),
                       s.event(Scenario.company, s.rectify()), s.event(Scenario.department, s.verify()),
                       s.event(Scenario.department, s.close())])
        let reopen = EventBody.hazardReopened(HazardReopened(hazardId: "LX-2024-0001", reason: "回头看发现复发", newDeadline: Self.day("2024-04-30")))
        try store.add([Self.on(s.event(Scenario.department, reopen), "2024-03-22T10:00:00+08:00")])
        let rectified: (String) -> Event = { completed in
            Self.on(s.event(Scenario.company, .hazardRectified(HazardRectified(hazardId: "LX-2024-0001", completedOn: Self.day(completed),
                                                                                measures: "清理超量产品", fundsFen: 10_000))),
                    "2024-03-25T10:00:00+08:00")
        }
        Self.expectRefused(try store.violations([rectified("2024-03-21")]),
                           .completedBeforeTheStepItAnswers(hazardId: "LX-2024-0001", completedOn: Self.day("2024-03-21"),
                                                             step: .hazardReopened, stepOn: Self.day("2024-03-22")),
                           dates: ["2024-03-21", "2024-03-22"])
        // Completed on the day of the reopening is allowed.
        #expect(try store.refusals([rectified("2024-03-22")]).isEmpty)
    }

    @Test func anExtensionDoesNotMoveTheStartOfTheWorkARectificationAnswers() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        try store.add([s.event(Scenario.department, s.report()), s.event(Scenario.department, s.supervise())])
        let supervisedOn = try #require(try store.hazard("LX-2024-0001")?.lastStepOn)
        let extensionOn = supervisedOn.adding(days: 5)
        let extend = EventBody.deadlineExtended(DeadlineExtended(hazardId: "LX-2024-0001", newDeadline: extensionOn.adding(days: 60), reason: "设备到货延迟"))
        try store.add([Self.on(s.event(Scenario.department, extend), "\(extensionOn)T10:00:00+08:00")])
        // The work was finished before the department (not knowing) extended the deadline.
        let finished = supervisedOn.adding(days: 2)
        let rectified = Self.on(s.event(Scenario.company, .hazardRectified(HazardRectified(hazardId: "LX-2024-0001", completedOn: finished,
                                                                                             measures: "清理超量产品", fundsFen: 10_000))),
                                "\(extensionOn.adding(days: 1))T10:00:00+08:00")
        #expect(try store.refusals([rectified]).isEmpty)
    }
}
