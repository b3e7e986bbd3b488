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
        #expect(try store.refusals([s.event(Scenario.company, s.rectify())]) == [.wrongStatus(hazardId: "LX-2024-0001", .reported, .hazardRectified)])
        #expect(try store.refusals([s.event(Scenario.department, s.verify())]) == [.wrongStatus(hazardId: "LX-2024-0001", .reported, .hazardVerified)])
        let closing = s.event(Scenario.committee, s.close())
        let violation = try store.violations([closing]).first
        #expect(violation?.rule == .wrongStatus(hazardId: "LX-2024-0001", .reported, .hazardClosed))
        #expect(violation?.description == "line 1 (event \(closing.eventId)): HazardClosed refused: hazard LX-2024-0001 is reported; closing needs a passed verification")
        #expect(violation?.text(.zh) == "第 1 行（事件 \(closing.eventId)）：销号（HazardClosed）被拒绝：隐患 LX-2024-0001 当前为已上报；销号须先通过验收")
        try store.add([s.event(Scenario.department, s.supervise())])
        #expect(try store.refusals([s.event(Scenario.department, s.supervise())]) == [.wrongStatus(hazardId: "LX-2024-0001", .rectifying, .hazardSupervised)])
        try store.add([s.event(Scenario.company, s.rectify())])
        #expect(try store.refusals([s.event(Scenario.department, s.close())]) == [.wrongStatus(hazardId: "LX-2024-0001", .awaitingVerification, .hazardClosed)])
        #expect(try store.refusals([s.event(Scenario.department, .hazardReopened(HazardReopened(hazardId: "LX-2024-0001", reason: "复发", newDeadline: s.day.adding(days: 30))))])
                == [.wrongStatus(hazardId: "LX-2024-0001", .awaitingVerification, .hazardReopened)])
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
        #expect(try store.refusals([s.event(Scenario.company, s.supervise())]) == [.notPermitted(.enterprise, .hazardSupervised)])
        try store.add([s.event(Scenario.department, s.supervise())])
        // Only the hazard's own enterprise or its town rectifies.
        var stranger = Scenario.company
        stranger.organization.id = CreditCode.withCheckCharacter("91430682MA4L0C7B0") ?? ""
        #expect(try store.refusals([s.event(stranger, s.rectify())]) == [.notOwnEnterprise(hazardEnterprise: Scenario.enterprise.creditCode)])
        var otherTown = Scenario.town
        otherTown.organization = OrganizationRef(kind: .town, id: "430682101", name: "忠防镇人民政府")
        #expect(try store.refusals([s.event(otherTown, s.rectify())])
                == [.notTheTown(townId: "430682101", townRegion: "忠防镇", hazardId: "LX-2024-0001", hazardRegion: "桃林镇")])
        #expect(try store.refusals([s.event(Scenario.town, s.rectify())]).isEmpty, "its town may record rectification")
        #expect(try store.refusals([s.event(Scenario.company, s.verify())]) == [.notPermitted(.enterprise, .hazardVerified)])
        // The verifier is never the person who recorded the rectification.
        var sameClerk = Scenario.department
        sameClerk.person = Scenario.town.person
        #expect(try store.refusals([s.event(sameClerk, s.verify())]) == [.verifierRecordedRectification(Scenario.town.person)])
        try store.add([s.event(Scenario.department, s.verify())])
        // Only the lead department or the committee closes.
        #expect(try store.refusals([s.event(Scenario.otherDepartment, s.close())]) == [.notLead(lead: "lx-yjj", actorId: "lx-zjj", .hazardClosed)])
        #expect(try store.refusals([s.event(Scenario.committee, s.close())]).isEmpty)
    }

    @Test func anEnterpriseReportsOnlyItsOwnHazards() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        #expect(try store.refusals([s.event(Scenario.company, s.report())]).isEmpty)
        var other = Scenario.company
        other.organization.id = CreditCode.withCheckCharacter("91430682MA4L0C7B0") ?? ""
        #expect(try store.refusals([s.event(other, s.report("LX-2024-0002"))]) == [.notOwnHazard(actorId: other.organization.id)])
    }

    @Test func aTownReportsOnlyHazardsOfItsOwnRegion() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        var otherTown = Scenario.town
        otherTown.organization = OrganizationRef(kind: .town, id: "430682101", name: "忠防镇人民政府")
        let refused = try store.violations([s.event(otherTown, s.report())])
        #expect(refused.map(\.rule) == [.notTheTown(townId: "430682101", townRegion: "忠防镇", hazardId: "LX-2024-0001", hazardRegion: "桃林镇")])
        #expect(refused.first?.text(.en).hasSuffix("town 430682101 is 忠防镇, not the town of hazard LX-2024-0001 (桃林镇)") == true)
        #expect(try store.refusals([s.event(Scenario.town, s.report())]).isEmpty, "its own town reports it")
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
        #expect(try store.refusals([future]) == [.discoveredAfterReport(discoveredOn: s.day.adding(days: 2), reportedAt: future.occurredAt)])
        let discovered = s.day
        try store.add([s.event(Scenario.department, s.report())])
        let early = s.supervise("LX-2024-0001", deadlineInDays: -5)
        guard case .hazardSupervised(let supervision) = early else { return }
        #expect(try store.refusals([s.event(Scenario.department, early)])
                == [.deadlineNotAfterDiscovery(deadline: supervision.deadline, discoveredOn: discovered)])
        try store.add([s.event(Scenario.department, s.supervise())])
        let current = store.ledger.hazards["LX-2024-0001"]?.deadline ?? s.day
        let extend: (CalendarDate) -> EventBody = { .deadlineExtended(DeadlineExtended(hazardId: "LX-2024-0001", newDeadline: $0, reason: "设备到货延迟")) }
        #expect(try store.refusals([s.event(Scenario.department, extend(current))]) == [.deadlineNotLater(current, current: current)])
        #expect(try store.refusals([s.event(Scenario.otherDepartment, extend(current.adding(days: 10)))]) == [.notLead(lead: "lx-yjj", actorId: "lx-zjj", .deadlineExtended)])
        #expect(try store.refusals([s.event(Scenario.department, extend(current.adding(days: 10)))]).isEmpty)
        // Events from the future (after the log's clock) are refused.
        var late = s.event(Scenario.company, s.rectify())
        late.occurredAt = ShanghaiDateTime(microseconds: ShanghaiTime.startOfYear(2028))
        let inTheFuture = try store.refusals([late]).map { rule in if case .inTheFuture(late.occurredAt, _) = rule { true } else { false } }
        #expect(inTheFuture == [true])
    }

    @Test func theFutureRefusalShowsTheRealNowAndTheSlack() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        let now = ShanghaiDateTime(microseconds: ShanghaiTime.startOfYear(2027))
        let minute: Int64 = 60_000_000
        var late = s.event(Scenario.department, s.report())
        late.occurredAt = ShanghaiDateTime(microseconds: now.microseconds + 6 * minute)
        let refused = try store.violations([late])
        #expect(refused.map(\.rule) == [.inTheFuture(late.occurredAt, now: now)])
        #expect(refused.first?.text(.en).hasSuffix("it happened at 2027-01-01T00:06:00+08:00, which is in the future (now 2027-01-01T00:00:00+08:00; up to 5 minutes ahead is allowed for clocks that differ)") == true)
        #expect(refused.first?.text(.zh).hasSuffix("发生时间 2027-01-01T00:06:00+08:00 在未来（现在为 2027-01-01T00:00:00+08:00；允许时钟误差 5 分钟）") == true)
        // Within the slack it is accepted.
        late.occurredAt = ShanghaiDateTime(microseconds: now.microseconds + 5 * minute)
        #expect(try store.refusals([late]).isEmpty)
    }

    @Test func escalationsAndPenaltiesAndRewardsFollowTheirRules() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        try store.add([s.event(Scenario.department, s.report())])
        let escalation: (String) -> EventBody = {
            .escalationIssued(EscalationIssued(level: .letter, target: Scenario.company.organization, hazardIds: [$0]))
        }
        #expect(try store.refusals([s.event(Scenario.department, escalation("LX-2024-0001"))]) == [.notPermitted(.department, .escalationIssued)])
        #expect(try store.refusals([s.event(Scenario.committee, escalation("LX-2024-0999"))]) == [.unknownHazard("LX-2024-0999")])
        #expect(try store.refusals([s.event(Scenario.committee, escalation("LX-2024-0001"))]).isEmpty)
        // An escalation to an enterprise or a town names only its own hazards; to a department, any.
        let otherEnterprise = OrganizationRef(kind: .enterprise, id: CreditCode.withCheckCharacter("91430682MA4PBX3D2") ?? "", name: "临湘市某化工有限公司")
        let otherTown = OrganizationRef(kind: .town, id: "430682101", name: "忠防镇")
        for target in [otherEnterprise, otherTown] {
            let elsewhere = EventBody.escalationIssued(EscalationIssued(level: .letter, target: target, hazardIds: ["LX-2024-0001"]))
            #expect(try store.refusals([s.event(Scenario.committee, elsewhere)]) == [.escalationNamesHazardOutsideTarget(hazardId: "LX-2024-0001", target: target)])
        }
        for target in [Scenario.town.organization, OrganizationRef(kind: .department, id: "lx-zjj", name: "临湘市住房和城乡建设局")] {
            let own = EventBody.escalationIssued(EscalationIssued(level: .letter, target: target, hazardIds: ["LX-2024-0001"]))
            #expect(try store.refusals([s.event(Scenario.committee, own)]).isEmpty, "\(target)")
        }

        let penalty = PenaltyImposed(enterprise: Scenario.enterprise, kind: .fine, amountFen: 5_000_000, legalBasis: "《安全生产法》第一百零二条",
                                     caseNumber: "临应急罚〔2024〕1号", hazardIds: ["LX-2024-0001"])
        #expect(try store.refusals([s.event(Scenario.committee, .penaltyImposed(penalty))]) == [.notPermitted(.committee, .penaltyImposed)])
        var zeroFine = penalty
        zeroFine.amountFen = 0
        #expect(try store.refusals([s.event(Scenario.department, .penaltyImposed(zeroFine))]) == [.fineWithoutAmount])
        // A penalty names only the penalised enterprise's own hazards.
        var another = penalty
        let otherCode = CreditCode.withCheckCharacter("91430682MA4PBX3D2") ?? ""
        another.enterprise = EnterpriseRef(creditCode: otherCode, name: "临湘市某化工有限公司")
        #expect(try store.refusals([s.event(Scenario.department, .penaltyImposed(another))])
                == [.penaltyNamesAnotherEnterprisesHazard(hazardId: "LX-2024-0001", penalised: otherCode, owner: Scenario.enterprise.creditCode)])
        #expect(try store.refusals([s.event(Scenario.department, .penaltyImposed(penalty))]).isEmpty)

        // Rewards only for confirmed tip-offs.
        let tip = TipOffReceived(tipOffId: "JB-2024-0007", channel: .hotline, summary: "仓库超量储存", reporterPseudonym: "热心群众甲")
        try store.add([s.event(Scenario.department, .tipOffReceived(tip))])
        #expect(try store.refusals([s.event(Scenario.department, .tipOffReceived(tip))]) == [.tipOffExists("JB-2024-0007")])
        let reward = EventBody.rewardPaid(RewardPaid(tipOffId: "JB-2024-0007", amountFen: 200_000))
        #expect(try store.refusals([s.event(Scenario.department, reward)]) == [.tipOffNotConfirmed("JB-2024-0007")])
        try store.add([s.event(Scenario.department, s.report("LX-2024-0002", tipOff: "JB-2024-0007", source: .tipOff))])
        #expect(try store.refusals([s.event(Scenario.department, reward)]).isEmpty)
        // A withdrawn hazard no longer confirms it.
        let log2 = TemporaryLog()
        let store2 = try log2.store()
        var t = Scenario()
        try store2.add([t.event(Scenario.department, .tipOffReceived(tip)), t.event(Scenario.department, t.report("LX-2024-0002", tipOff: "JB-2024-0007", source: .tipOff)),
                        t.event(Scenario.department, .hazardWithdrawn(HazardWithdrawn(hazardId: "LX-2024-0002", reason: "经复核不属于重大事故隐患")))])
        #expect(try store2.refusals([t.event(Scenario.department, reward)]) == [.tipOffNotConfirmed("JB-2024-0007")])
        // A penalty naming it confirms it.
        var namingPenalty = penalty
        namingPenalty.hazardIds = []
        namingPenalty.tipOffId = "JB-2024-0007"
        try store2.add([t.event(Scenario.department, .penaltyImposed(namingPenalty))])
        #expect(try store2.refusals([t.event(Scenario.department, reward)]).isEmpty)
    }

    @Test func withdrawalIsRefusedOnceClosed() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        try store.add([s.event(Scenario.department, s.report()), s.event(Scenario.department, s.supervise()),
                       s.event(Scenario.company, s.rectify()), s.event(Scenario.department, s.verify()), s.event(Scenario.department, s.close())])
        let withdraw = EventBody.hazardWithdrawn(HazardWithdrawn(hazardId: "LX-2024-0001", reason: "误报"))
        #expect(try store.refusals([s.event(Scenario.department, withdraw)]) == [.wrongStatus(hazardId: "LX-2024-0001", .closed, .hazardWithdrawn)])
        try store.add([s.event(Scenario.department, s.report("LX-2024-0002"))])
        #expect(try store.refusals([s.event(Scenario.company, .hazardWithdrawn(HazardWithdrawn(hazardId: "LX-2024-0002", reason: "误报")))]) == [.notPermitted(.enterprise, .hazardWithdrawn)])
        #expect(try store.refusals([s.event(Scenario.department, .hazardWithdrawn(HazardWithdrawn(hazardId: "LX-2024-0002", reason: "误报")))]).isEmpty)
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
        #expect(try store.refusals([reused]) == [.eventIdReused(report.eventId, sequence: 0)])
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
        #expect(try store.refusals([s.event(Scenario.department, s.supervise(), expectedVersion: 2)]) == [.versionMismatch(hazardId: "LX-2024-0001", expected: 2, found: 1)])
        #expect(try store.refusals([s.event(Scenario.department, s.supervise(), expectedVersion: 1)]).isEmpty)
    }

    @Test func valuesTheStoredFormDoesNotHoldAreRefusedNotWritten() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        try store.add([s.event(Scenario.department, s.report())])
        let farDeadline = CalendarDate(daysSinceEpoch: CalendarDate.storableDays.upperBound + 1)
        let tooEarly = Event(eventId: "t-early", occurredAt: ShanghaiDateTime(microseconds: ShanghaiDateTime.storableMicroseconds.lowerBound - 1),
                             actor: Scenario.department, body: .hazardClosed(HazardClosed(hazardId: "LX-2024-0001", note: "")))
        let refusals = try store.violations([
            s.event(Scenario.department, s.report("LX-2024-0002"), expectedVersion: -1),
            s.event(Scenario.department, s.supervise(deadlineInDays: 0), expectedVersion: Int(Int32.max) + 1),
            s.event(Scenario.department, .deadlineExtended(DeadlineExtended(hazardId: "LX-2024-0001", newDeadline: farDeadline, reason: "延期"))),
            tooEarly,
        ])
        #expect(refusals.count == 4)
        #expect(refusals.first?.rule == .expectedVersionOutsideStorable(-1, storable: 0...2_147_483_647))
        #expect(refusals.dropFirst().first?.rule == .expectedVersionOutsideStorable(2_147_483_648, storable: 0...2_147_483_647))
        func unstorable(_ rule: WorkflowViolation.Rule?) -> EventDecodingError.StoredValue? {
            guard case .unstorable(.outOfRange(let value, _)) = rule else { return nil }
            return value
        }
        #expect(unstorable(refusals.dropFirst(2).first?.rule) == .date(days: Int64(CalendarDate.storableDays.upperBound) + 1))
        #expect(unstorable(refusals.last?.rule) == .occurredAt(microseconds: ShanghaiDateTime.storableMicroseconds.lowerBound - 1))
        #expect(refusals.map(\.description).dropFirst(2).first.map { $0.contains("it cannot be stored: date at byte") && $0.hasSuffix("outside the years 1 to 9999") } == true)
        #expect(try store.history(ofHazard: "LX-2024-0001").count == 1, "nothing was written")
    }

    @Test func oneBadEventInABatchWritesNothingAndEveryProblemIsListed() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        let events = [s.event(Scenario.department, s.report()), s.event(Scenario.company, s.supervise()),
                      s.event(Scenario.department, s.close()), s.event(Scenario.department, s.report("LX-2024-0002"))]
        let refusals = try store.violations(events)
        #expect(refusals.map(\.line) == [2, 3])
        #expect(refusals.map(\.rule) == [.notPermitted(.enterprise, .hazardSupervised), .noLeadYet(hazardId: "LX-2024-0001", .reported, .hazardClosed)])
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
