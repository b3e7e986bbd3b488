import Foundation
import Testing
import QinglingEvents
import QinglingLog
@testable import QinglingWorkflow

/// Actors of kind department, committee and town are the reference data's; ids and dates have
/// the shapes the county uses; refusals name the nearest valid values.
@Suite struct ReferenceActorTests {
    static let committee = "lx-aqw 临湘市安全生产委员会办公室"

    static func actor(_ kind: OrganizationKind, _ id: String, _ name: String = "某单位") -> Actor {
        Actor(organization: OrganizationRef(kind: kind, id: id, name: name), person: PersonRef(id: "p-001", name: "张三"))
    }

    static func escalation(target: OrganizationRef = Scenario.company.organization) -> EventBody {
        .escalationIssued(EscalationIssued(level: .letter, target: target, hazardIds: ["LX-2024-0001"]))
    }

    @Test func anEscalationFromAnUnknownCommitteeIsRefused() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        try store.add([s.event(Scenario.department, s.report())])
        #expect(try store.refusals([s.event(Self.actor(.committee, "anyone"), Self.escalation())])
                == [.unknownOrganization(.committee, id: "anyone", role: .actor, nearest: [Self.committee])])
        let violations = try store.violations([s.event(Self.actor(.committee, "lx-awb"), Self.escalation())])
        #expect(violations.map(\.rule) == [.unknownOrganization(.committee, id: "lx-awb", role: .actor, nearest: [Self.committee])])
        #expect(violations.first?.description.hasSuffix("committee lx-awb (the actor) is not in the reference data; did you mean lx-aqw 临湘市安全生产委员会办公室?") == true)
        #expect(violations.first?.text(.zh).hasSuffix("市安委办 lx-awb（行为主体）不在基础数据中；是否应为 lx-aqw 临湘市安全生产委员会办公室？") == true)
        #expect(try store.refusals([s.event(Self.actor(.committee, "lx-aqw"), Self.escalation())]).isEmpty)
    }

    @Test func anEscalationsTargetIsTheReferenceDatas() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        try store.add([s.event(Scenario.department, s.report())])
        let target = OrganizationRef(kind: .department, id: "lx-zjjj", name: "临湘市住房和城乡建设局")
        #expect(try store.refusals([s.event(Scenario.committee, Self.escalation(target: target))])
                == [.unknownOrganization(.department, id: "lx-zjjj", role: .escalationTarget, nearest: ["lx-zjj 临湘市住房和城乡建设局"])])
    }

    @Test func aVerificationByAnUnknownDepartmentIsRefused() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        try store.add([s.event(Scenario.department, s.report()), s.event(Scenario.department, s.supervise()),
                       s.event(Scenario.company, s.rectify())])
        #expect(try store.refusals([s.event(Self.actor(.department, "lx-yjjj"), s.verify())])
                == [.unknownOrganization(.department, id: "lx-yjjj", role: .actor, nearest: ["lx-yjj 临湘市应急管理局"])])
        let rules = try store.refusals([s.event(Self.actor(.department, "lx-nope"), s.verify())])
        #expect(rules.count == 1)
        if case let .unknownOrganization(kind, id, role, nearest) = rules.first {
            #expect(kind == .department && id == "lx-nope" && role == .actor && !nearest.isEmpty && nearest.count <= 3)
        } else {
            Issue.record("expected an unknown department, found \(rules)")
        }
    }

    @Test func aTownActsUnderItsRegionsCode() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        try store.add([s.event(Scenario.department, s.report()), s.event(Scenario.department, s.supervise())])
        // The right name but an id that is no region's code; a code with two digits swapped.
        #expect(try store.refusals([s.event(Self.actor(.town, "taolin", "桃林镇"), s.rectify())]).count == 1)
        let swapped = try store.violations([s.event(Self.actor(.town, "430682170", "桃林镇人民政府"), s.rectify())])
        #expect(swapped.map(\.rule) == [.unknownOrganization(.town, id: "430682170", role: .actor, nearest: ["430682107 桃林镇", "430682110 詹桥镇"])])
        #expect(swapped.first?.description.hasSuffix("did you mean 430682107 桃林镇 or 430682110 詹桥镇?") == true)
        // A town of another region is told which region its id means.
        let other = try store.violations([s.event(Self.actor(.town, "430682101", "桃林镇人民政府"), s.rectify())])
        #expect(other.first?.description.hasSuffix("town 430682101 is 忠防镇, not the town of hazard LX-2024-0001 (桃林镇)") == true)
        #expect(other.first?.text(.zh).hasSuffix("属地 430682101 为忠防镇，不是隐患 LX-2024-0001 的属地（桃林镇）") == true)
        #expect(try store.refusals([s.event(Self.actor(.town, "430682107", "桃林镇人民政府"), s.rectify())]).isEmpty)
    }

    @Test func aRegionIsGivenByNameOrCodeAndStoredByName() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        var byCode = s.event(Scenario.department, s.report())
        guard case .hazardReported(var report) = byCode.body else { return }
        report.region = "430682107"
        byCode.body = .hazardReported(report)
        #expect(try store.add([byCode]).outcomes == [.written(0)])
        let stored = try store.history(ofHazard: "LX-2024-0001").first?.event
        #expect(stored == WorkflowRules(reference: .linxiang).canonical(byCode))
        guard case .hazardReported(let kept) = stored?.body else { return }
        #expect(kept.region == "桃林镇")
        // The same report by name is a retry of it.
        report.region = "桃林镇"
        var byName = byCode
        byName.body = .hazardReported(report)
        #expect(try store.add([byName]).outcomes == [.duplicate(0)])
        // A region that is neither names the nearest.
        report.hazardId = "LX-2024-0002"
        report.region = "桃林"
        #expect(try store.refusals([s.event(Scenario.department, .hazardReported(report))]) == [.unknownRegion("桃林", nearest: ["430682107 桃林镇"])])
        report.region = "桃林镇"
        report.industry = "烟花"
        #expect(try store.refusals([s.event(Scenario.department, .hazardReported(report))]) == [.unknownIndustry("烟花", nearest: ["烟花爆竹"])])
    }

    @Test func anIndustryGivenInEnglishSuggestsItsChineseName() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        guard case .hazardReported(var report) = s.report() else { return }
        for (input, nearest) in [("fireworks", "烟花爆竹"), ("Firework", "烟花爆竹"), ("gas", "燃气"), ("hazardous chemical", "危险化学品")] {
            report.industry = input
            let refused = try store.violations([s.event(Scenario.department, .hazardReported(report))])
            #expect(refused.map(\.rule) == [.unknownIndustry(input, nearest: [nearest])], "\(input)")
        }
        report.industry = "fireworks"
        let refused = try store.violations([s.event(Scenario.department, .hazardReported(report))])
        #expect(refused.first?.text(.en).hasSuffix("industry fireworks is not in the reference data; did you mean 烟花爆竹 (fireworks)?") == true)
        #expect(refused.first?.text(.zh).hasSuffix("行业 fireworks 不在基础数据中；是否应为 烟花爆竹（fireworks）？") == true)
    }

    @Test func aLeadDepartmentNamesTheNearest() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        try store.add([s.event(Scenario.department, s.report())])
        guard case .hazardSupervised(var supervision) = s.supervise() else { return }
        supervision.leadDepartment = DepartmentRef(id: "lx-yj", name: "临湘市应急管理局")
        #expect(try store.refusals([s.event(Scenario.department, .hazardSupervised(supervision))])
                == [.unknownOrganization(.department, id: "lx-yj", role: .leadDepartment, nearest: ["lx-yjj 临湘市应急管理局"])])
    }

    @Test func aHazardIdNamesTheYearOfDiscovery() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        let discovered = s.day
        #expect(try store.refusals([s.event(Scenario.department, s.report("LX-1999-0001"))]) == [.hazardIdYear(hazardId: "LX-1999-0001", discoveredOn: discovered)])
    }

    @Test func datesBefore2000AreRefused() throws {
        #expect(WorkflowRules.earliestDate.description == "2000-01-01")
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        s.day = CalendarDate(year: 1999, month: 12, day: 29) ?? s.day
        let tip = TipOffReceived(tipOffId: "JB-1999-0001", channel: .hotline, summary: "仓库超量储存", reporterPseudonym: "热心群众甲")
        let received = s.event(Scenario.department, .tipOffReceived(tip))
        #expect(try store.refusals([received]) == [.beforeEarliestDate(field: "occurredAt", received.occurredAt.date)])
        // Discovered on 1999-12-31 and reported on 2000-01-01.
        s.day = CalendarDate(year: 1999, month: 12, day: 31) ?? s.day
        let report = s.event(Scenario.department, s.report("LX-1999-0001"))
        #expect(report.occurredAt.date.description == "2000-01-01")
        let refused = try store.violations([report])
        #expect(refused.map(\.rule) == [.beforeEarliestDate(field: "data.discoveredOn", CalendarDate(year: 1999, month: 12, day: 31) ?? s.day)])
        #expect(refused.first?.text(.en).hasSuffix("data.discoveredOn 1999-12-31 is before 2000-01-01; no date or time of an event may be earlier than 2000-01-01") == true)
        #expect(refused.first?.text(.zh).hasSuffix("data.discoveredOn 为 1999-12-31，早于 2000-01-01；事件的任何日期和时间均不得早于 2000-01-01") == true)
    }

    @Test func anExpectedVersionOnAnEventWithoutOneHazardIsRefused() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        try store.add([s.event(Scenario.department, s.report())])
        let tip = TipOffReceived(tipOffId: "JB-2024-0001", channel: .hotline, summary: "仓库超量储存", reporterPseudonym: "热心群众甲")
        #expect(try store.refusals([s.event(Scenario.department, .tipOffReceived(tip), expectedVersion: 0)]) == [.expectedVersionWithoutHazard(0)])
        #expect(try store.refusals([s.event(Scenario.committee, Self.escalation(), expectedVersion: 1)]) == [.expectedVersionWithoutHazard(1)])
        // On a report, 0 says the id must be new.
        #expect(try store.refusals([s.event(Scenario.department, s.report("LX-2024-0002"), expectedVersion: 0)]).isEmpty)
    }
}
