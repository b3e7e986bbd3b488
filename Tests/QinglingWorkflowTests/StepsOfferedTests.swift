import QinglingEvents
import Testing
@testable import QinglingWorkflow

/// The steps the rules offer an actor on a hazard (`WorkflowRules.steps(by:on:)`, what the web
/// forms show) are exactly the steps a store accepts from that actor, with values the other
/// rules accept, from every status.
@Suite struct StepsOfferedTests {
    static let otherCompany = Actor(organization: OrganizationRef(kind: .enterprise, id: CreditCode.withCheckCharacter("91430682MA4PBX3D2") ?? "",
                                                                  name: "临湘市某化工有限公司"),
                                    person: PersonRef(id: "ent-009", name: "某人"))
    static let otherTown = Actor(organization: OrganizationRef(kind: .town, id: "430682101", name: "忠防镇"), person: PersonRef(id: "zf-002", name: "赵刚"))
    static let actors = [Scenario.company, otherCompany, Scenario.town, otherTown, Scenario.department, Scenario.otherDepartment, Scenario.committee]

    @Test(arguments: HazardStatus.allCases)
    func theStepsOfferedAreTheStepsAccepted(from status: HazardStatus) throws {
        let id = "LX-2024-0001"
        for actor in Self.actors {
            var offered: [EventType] = []
            var accepted: [EventType] = []
            for type in WorkflowRules.hazardStepTypes {
                let log = TemporaryLog()
                let store = try log.store()
                var s = Scenario()
                try store.add(LifecycleTableTests.path(to: status, &s))
                let hazard = try #require(try store.hazard(id))
                offered = store.rules.steps(by: actor, on: hazard)
                let event = s.event(actor, Self.body(of: type, &s))
                do {
                    _ = try store.append([EventStore.Input(line: 1, event: event)], dryRun: true)
                    accepted.append(type)
                } catch StoreError.refused {}
            }
            #expect(offered == accepted, "\(actor.organization.id) on a hazard \(status)")
        }
    }

    @Test func aVerifierWhoRecordedTheRectificationIsNotOffered() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        try store.add([s.event(Scenario.department, s.report()), s.event(Scenario.committee, s.supervise())])
        let rectifier = Actor(organization: Scenario.town.organization, person: PersonRef(id: "lx-person", name: "某员"))
        try store.add([s.event(rectifier, s.rectify())])
        let hazard = try #require(try store.hazard("LX-2024-0001"))
        #expect(store.rules.steps(by: Scenario.committee, on: hazard).contains(.hazardVerified))
        // The same person moved to the committee office: may not verify what they rectified.
        let moved = Actor(organization: Scenario.committee.organization, person: rectifier.person)
        #expect(!store.rules.steps(by: moved, on: hazard).contains(.hazardVerified))
    }

    /// An event of `type` about hazard `LX-2024-0001` with values the other rules accept.
    private static func body(of type: EventType, _ s: inout Scenario) -> EventBody {
        let id = "LX-2024-0001"
        switch type {
        case .hazardSupervised: return s.supervise()
        case .deadlineExtended: return .deadlineExtended(DeadlineExtended(hazardId: id, newDeadline: s.day.adding(days: 400), reason: "设备到货延迟"))
        case .hazardRectified: return s.rectify()
        case .hazardVerified: return s.verify()
        case .hazardClosed: return s.close()
        case .hazardReopened: return .hazardReopened(HazardReopened(hazardId: id, reason: "回头看发现复发", newDeadline: s.day.adding(days: 60)))
        case .hazardWithdrawn: return .hazardWithdrawn(HazardWithdrawn(hazardId: id, reason: "经复核不属于重大事故隐患"))
        case .escalationIssued: return .escalationIssued(EscalationIssued(level: .letter, target: Scenario.company.organization, hazardIds: [id]))
        case .penaltyImposed:
            return .penaltyImposed(PenaltyImposed(enterprise: Scenario.enterprise, kind: .fine, amountFen: 5_000_000, legalBasis: "安全生产法第一百零二条",
                                                  caseNumber: "临应急罚〔2024〕12号", hazardIds: [id]))
        case .hazardReported, .tipOffReceived, .rewardPaid, .reporterKeyDestroyed:
            Issue.record("\(type) is not a step of an existing hazard")
            return s.report()
        }
    }
}
