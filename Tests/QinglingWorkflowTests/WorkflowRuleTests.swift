import Foundation
import Testing
import QinglingEvents
import QinglingLog
@testable import QinglingWorkflow

@Suite struct WorkflowRuleTests {
    @Test func aHazardGoesFromReportToClosureInOneBatchOrMany() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        let events = [
            s.event(Scenario.department, s.report()), s.event(Scenario.department, s.supervise()),
            s.event(Scenario.company, s.rectify()), s.event(Scenario.department, s.verify()),
            s.event(Scenario.department, s.close()),
        ]
        let report = try store.add(events)
        #expect(report.written == 0..<5)
        #expect(store.ledger.hazards["LX-2024-0001"]?.status == .closed)
        #expect(try store.history(ofHazard: "LX-2024-0001").map(\.event) == events)
    }

    @Test func illegalTransitionsAreRefusedNamingTheState() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        try store.add([s.event(Scenario.department, s.report())])
        // Not yet supervised: no rectification, verification or closure.
        #expect(store.refusals([s.event(Scenario.company, s.rectify())]).first?.contains("is reported; rectification is recorded only while rectifying") == true)
        #expect(store.refusals([s.event(Scenario.department, s.verify())]).first?.contains("is reported; verification is only while awaiting verification") == true)
        let closing = s.event(Scenario.committee, s.close())
        let refusal = store.refusals([closing]).first ?? ""
        #expect(refusal == "line 1 (event \(closing.eventId)): HazardClosed refused: hazard LX-2024-0001 is reported; closing needs a passed verification")
        try store.add([s.event(Scenario.department, s.supervise())])
        #expect(store.refusals([s.event(Scenario.department, s.supervise())]).first?.contains("supervision is only from reported") == true)
        try store.add([s.event(Scenario.company, s.rectify())])
        #expect(store.refusals([s.event(Scenario.department, s.close())]).first?.contains("is awaiting-verification; closing needs a passed verification") == true)
        #expect(store.refusals([s.event(Scenario.department, .hazardReopened(HazardReopened(hazardId: "LX-2024-0001", reason: "复发", newDeadline: s.day.adding(days: 30))))]).first?.contains("only a closed hazard is reopened") == true)
    }

    @Test func aFailedVerificationReturnsTheHazardToRectifyingWithItsDeadline() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        try store.add([s.event(Scenario.department, s.report()), s.event(Scenario.department, s.supervise()),
                       s.event(Scenario.company, s.rectify())])
        let deadline = store.ledger.hazards["LX-2024-0001"]?.deadline
        try store.add([s.event(Scenario.department, s.verify("LX-2024-0001", .failed))])
        #expect(store.ledger.hazards["LX-2024-0001"]?.status == .rectifying)
        #expect(store.ledger.hazards["LX-2024-0001"]?.deadline == deadline)
        try store.add([s.event(Scenario.company, s.rectify()), s.event(Scenario.department, s.verify()), s.event(Scenario.department, s.close())])
        try store.add([s.event(Scenario.department, .hazardReopened(HazardReopened(hazardId: "LX-2024-0001", reason: "回头看发现复发", newDeadline: s.day.adding(days: 20))))])
        #expect(store.ledger.hazards["LX-2024-0001"]?.status == .rectifying)
    }

    @Test func rolesAreEnforced() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        try store.add([s.event(Scenario.department, s.report())])
        // An enterprise never supervises, verifies or closes; a town never verifies.
        #expect(store.refusals([s.event(Scenario.company, s.supervise())]).first?.contains("only a department or the committee may supervise, not an enterprise") == true)
        try store.add([s.event(Scenario.department, s.supervise())])
        // Only the hazard's own enterprise or its town rectifies.
        var stranger = Scenario.company
        stranger.organization.id = CreditCode.withCheckCharacter("91430682MA4L0C7B0") ?? ""
        #expect(store.refusals([s.event(stranger, s.rectify())]).first?.contains("only the hazard's own enterprise") == true)
        var otherTown = Scenario.town
        otherTown.organization = OrganizationRef(kind: .town, id: "430682101", name: "忠防镇")
        #expect(store.refusals([s.event(otherTown, s.rectify())]).first?.contains("is not the town of hazard") == true)
        #expect(store.refusals([s.event(Scenario.town, s.rectify())]).isEmpty, "its town may record rectification")
        #expect(store.refusals([s.event(Scenario.company, s.verify())]).first?.contains("only a department or the committee may verify") == true)
        // The verifier is never the person who recorded the rectification.
        var sameClerk = Scenario.department
        sameClerk.person = Scenario.town.person
        #expect(store.refusals([s.event(sameClerk, s.verify())]).first?.contains("recorded the rectification and may not verify it") == true)
        try store.add([s.event(Scenario.department, s.verify())])
        // Only the lead department or the committee closes.
        #expect(store.refusals([s.event(Scenario.otherDepartment, s.close())]).first?.contains("only the lead department (lx-yjj) or the committee") == true)
        #expect(store.refusals([s.event(Scenario.committee, s.close())]).isEmpty)
    }

    @Test func anEnterpriseReportsOnlyItsOwnHazards() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        #expect(store.refusals([s.event(Scenario.company, s.report())]).isEmpty)
        var other = Scenario.company
        other.organization.id = CreditCode.withCheckCharacter("91430682MA4L0C7B0") ?? ""
        #expect(store.refusals([s.event(other, s.report("LX-2024-0002"))]).first?.contains("reports only its own hazards") == true)
    }

    @Test func datesAndDeadlinesAreChecked() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        var future = s.event(Scenario.department, s.report())
        if case .hazardReported(var report) = future.body {
            report.discoveredOn = s.day.adding(days: 2)
            future.body = .hazardReported(report)
        }
        #expect(store.refusals([future]).first?.contains("the discovered date cannot be in the future") == true)
        try store.add([s.event(Scenario.department, s.report())])
        #expect(store.refusals([s.event(Scenario.department, s.supervise("LX-2024-0001", deadlineInDays: -5))]).first?.contains("is not after the discovered date") == true)
        try store.add([s.event(Scenario.department, s.supervise())])
        let current = store.ledger.hazards["LX-2024-0001"]?.deadline ?? s.day
        let extend: (CalendarDate) -> EventBody = { .deadlineExtended(DeadlineExtended(hazardId: "LX-2024-0001", newDeadline: $0, reason: "设备到货延迟")) }
        #expect(store.refusals([s.event(Scenario.department, extend(current))]).first?.contains("is not later than the current deadline") == true)
        #expect(store.refusals([s.event(Scenario.otherDepartment, extend(current.adding(days: 10)))]).first?.contains("only the lead department") == true)
        #expect(store.refusals([s.event(Scenario.department, extend(current.adding(days: 10)))]).isEmpty)
        // Events from the future (after the log's clock) are refused.
        var late = s.event(Scenario.company, s.rectify())
        late.occurredAt = ShanghaiDateTime(microseconds: ShanghaiTime.startOfYear(2028))
        #expect(store.refusals([late]).first?.contains("in the future") == true)
    }

    @Test func escalationsAndPenaltiesAndRewardsFollowTheirRules() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        try store.add([s.event(Scenario.department, s.report())])
        let escalation: (String) -> EventBody = {
            .escalationIssued(EscalationIssued(level: .letter, target: Scenario.company.organization, hazardIds: [$0]))
        }
        #expect(store.refusals([s.event(Scenario.department, escalation("LX-2024-0001"))]).first?.contains("only the committee") == true)
        #expect(store.refusals([s.event(Scenario.committee, escalation("LX-2024-0999"))]).first?.contains("hazard LX-2024-0999 does not exist") == true)
        #expect(store.refusals([s.event(Scenario.committee, escalation("LX-2024-0001"))]).isEmpty)

        let penalty = PenaltyImposed(enterprise: Scenario.enterprise, kind: .fine, amountFen: 5_000_000, legalBasis: "《安全生产法》第一百零二条",
                                     caseNumber: "临应急罚〔2024〕1号", hazardIds: ["LX-2024-0001"])
        #expect(store.refusals([s.event(Scenario.committee, .penaltyImposed(penalty))]).first?.contains("only a department imposes penalties") == true)
        var zeroFine = penalty
        zeroFine.amountFen = 0
        #expect(store.refusals([s.event(Scenario.department, .penaltyImposed(zeroFine))]).first?.contains("a fine needs an amount above 0") == true)
        #expect(store.refusals([s.event(Scenario.department, .penaltyImposed(penalty))]).isEmpty)

        // Rewards only for confirmed tip-offs.
        let tip = TipOffReceived(tipOffId: "JB-2024-0007", channel: .hotline, summary: "仓库超量储存", reporterPseudonym: "热心群众甲")
        try store.add([s.event(Scenario.department, .tipOffReceived(tip))])
        #expect(store.refusals([s.event(Scenario.department, .tipOffReceived(tip))]).first?.contains("already exists") == true)
        let reward = EventBody.rewardPaid(RewardPaid(tipOffId: "JB-2024-0007", amountFen: 200_000))
        #expect(store.refusals([s.event(Scenario.department, reward)]).first?.contains("is not confirmed") == true)
        try store.add([s.event(Scenario.department, s.report("LX-2024-0002", tipOff: "JB-2024-0007", source: .tipOff))])
        #expect(store.refusals([s.event(Scenario.department, reward)]).isEmpty)
        // A withdrawn hazard no longer confirms it.
        let log2 = TemporaryLog()
        let store2 = try log2.store()
        var t = Scenario()
        try store2.add([t.event(Scenario.department, .tipOffReceived(tip)), t.event(Scenario.department, t.report("LX-2024-0002", tipOff: "JB-2024-0007", source: .tipOff)),
                        t.event(Scenario.department, .hazardWithdrawn(HazardWithdrawn(hazardId: "LX-2024-0002", reason: "经复核不属于重大事故隐患")))])
        #expect(store2.refusals([t.event(Scenario.department, reward)]).first?.contains("is not confirmed") == true)
        // A penalty naming it confirms it.
        var namingPenalty = penalty
        namingPenalty.hazardIds = []
        namingPenalty.tipOffId = "JB-2024-0007"
        try store2.add([t.event(Scenario.department, .penaltyImposed(namingPenalty))])
        #expect(store2.refusals([t.event(Scenario.department, reward)]).isEmpty)
    }

    @Test func withdrawalIsRefusedOnceClosed() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        try store.add([s.event(Scenario.department, s.report()), s.event(Scenario.department, s.supervise()),
                       s.event(Scenario.company, s.rectify()), s.event(Scenario.department, s.verify()), s.event(Scenario.department, s.close())])
        let withdraw = EventBody.hazardWithdrawn(HazardWithdrawn(hazardId: "LX-2024-0001", reason: "误报"))
        #expect(store.refusals([s.event(Scenario.department, withdraw)]).first?.contains("a closed or withdrawn hazard cannot be withdrawn") == true)
        try store.add([s.event(Scenario.department, s.report("LX-2024-0002"))])
        #expect(store.refusals([s.event(Scenario.company, .hazardWithdrawn(HazardWithdrawn(hazardId: "LX-2024-0002", reason: "误报")))]).first != nil)
        #expect(store.refusals([s.event(Scenario.department, .hazardWithdrawn(HazardWithdrawn(hazardId: "LX-2024-0002", reason: "误报")))]).isEmpty)
    }

    @Test func retriesAreIdempotentAndReusedIdsAreRefused() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        let report = s.event(Scenario.department, s.report())
        #expect(try store.add([report]).outcomes == [.written(0)])
        let retry = try store.add([report])
        #expect(retry.outcomes == [.duplicate(0)])
        #expect(retry.written.isEmpty)
        #expect(try LogReader(directory: log.path).nextSequence() == 1)
        var reused = s.event(Scenario.department, s.report("LX-2024-0002"))
        reused.eventId = report.eventId
        #expect(store.refusals([reused]).first?.contains("was already used (sequence 0) for different content") == true)
        // Within one input, a repeated event is written once.
        let supervise = s.event(Scenario.department, s.supervise())
        #expect(try store.add([supervise, supervise]).outcomes == [.written(1), .duplicate(1)])
        // The ledger is rebuilt from the log on reopen: the retry is still recognised.
        try store.close()
        let reopened = try log.store()
        #expect(try reopened.add([report]).outcomes == [.duplicate(0)])
    }

    @Test func expectedVersionsGuardConcurrentEdits() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        try store.add([s.event(Scenario.department, s.report())])
        #expect(store.refusals([s.event(Scenario.department, s.supervise(), expectedVersion: 2)]).first?.contains("expected version 2 of hazard LX-2024-0001, found version 1") == true)
        #expect(store.refusals([s.event(Scenario.department, s.supervise(), expectedVersion: 1)]).isEmpty)
    }

    @Test func valuesTheStoredFormDoesNotHoldAreRefusedNotWritten() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        try store.add([s.event(Scenario.department, s.report())])
        let farDeadline = CalendarDate(daysSinceEpoch: CalendarDate.storableDays.upperBound + 1)
        let tooEarly = Event(eventId: "t-early", occurredAt: ShanghaiDateTime(microseconds: ShanghaiDateTime.storableMicroseconds.lowerBound - 1),
                             actor: Scenario.department, body: .hazardClosed(HazardClosed(hazardId: "LX-2024-0001", note: "")))
        let refusals = store.refusals([
            s.event(Scenario.department, s.report("LX-2024-0002"), expectedVersion: -1),
            s.event(Scenario.department, s.supervise(deadlineInDays: 0), expectedVersion: Int(Int32.max) + 1),
            s.event(Scenario.department, .deadlineExtended(DeadlineExtended(hazardId: "LX-2024-0001", newDeadline: farDeadline, reason: "延期"))),
            tooEarly,
        ])
        #expect(refusals.count == 4)
        #expect(refusals[0].hasSuffix("expected version -1 is outside 0...2147483647"))
        #expect(refusals[1].hasSuffix("expected version 2147483648 is outside 0...2147483647"))
        #expect(refusals[2].contains("it cannot be stored: date at byte") && refusals[2].hasSuffix("outside the years 1 to 9999"))
        #expect(refusals[3].contains("it cannot be stored: occurredAt at byte"))
        #expect(try store.history(ofHazard: "LX-2024-0001").count == 1, "nothing was written")
    }

    @Test func oneBadEventInABatchWritesNothingAndEveryProblemIsListed() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        let events = [s.event(Scenario.department, s.report()), s.event(Scenario.company, s.supervise()),
                      s.event(Scenario.department, s.close()), s.event(Scenario.department, s.report("LX-2024-0002"))]
        let refusals = store.refusals(events)
        #expect(refusals.count == 2)
        #expect(refusals[0].hasPrefix("line 2 "))
        #expect(refusals[1].hasPrefix("line 3 "))
        #expect(try LogReader(directory: log.path).nextSequence() == 0)
        #expect(store.ledger.hazards.isEmpty)
    }
}

@Suite struct LargeAppendTests {
    @Test func anInputLargerThanOneBatchIsWrittenInSeveralAndReadsBackWhole() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        var events: [Event] = []
        for number in 1...12_500 {
            var event = s.event(Scenario.department, s.report(String(format: "LX-2024-%05d", number)))
            s.day = CalendarDate(year: 2024, month: 3, day: 5) ?? s.day
            event.occurredAt = ShanghaiDateTime(date: s.day.adding(days: 1), hour: 10, minute: 0, second: 0) ?? event.occurredAt
            events.append(event)
        }
        let report = try store.add(events)
        #expect(report.written == 0..<12_500)
        #expect(EventStore.batches([Record](repeating: Record(payload: [0]), count: 25_000)).map(\.count) == [10_000, 10_000, 5_000])
        try store.close()
        let reopened = try log.store()
        #expect(!reopened.ledger.isComplete && reopened.ledger.hazards.isEmpty)
        #expect(try reopened.hazard("LX-2024-12500")?.status == .reported)
        #expect(try reopened.hazard("LX-2024-99999") == nil)
        #expect(try reopened.add([events[0]]).outcomes == [.duplicate(0)])
    }
}
