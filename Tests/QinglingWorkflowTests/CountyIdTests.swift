import Foundation
import Testing
import QinglingEvents
import QinglingLog
@testable import QinglingWorkflow

/// Hazard ids carry the county's prefix, the high-tech zone's as every region's; an enterprise
/// acts, and is escalated to, under a valid unified social credit code.
@Suite struct CountyIdTests {
    /// `Scenario.enterprise`'s code with a wrong check character.
    static let wrongCheck = String(Scenario.enterprise.creditCode.dropLast()) + (Scenario.enterprise.creditCode.hasSuffix("0") ? "1" : "0")

    static func report(_ s: Scenario, _ id: String, region: String = "桃林镇") -> EventBody {
        guard case .hazardReported(var report) = s.report(id) else { return s.report(id) }
        report.region = region
        return .hazardReported(report)
    }

    @Test func aHazardIdWithoutTheCountysPrefixIsRefused() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        let violations = try store.violations([s.event(Scenario.department, Self.report(s, "LXGX-2024-0105", region: "临湘高新区"))])
        #expect(violations.map(\.rule) == [.hazardIdPrefix(hazardId: "LXGX-2024-0105", prefix: "LX")])
        #expect(violations.first?.description.contains("hazard id LXGX-2024-0105 does not begin with the county's prefix LX-") == true)
        #expect(violations.first?.text(.zh).contains("隐患编号 LXGX-2024-0105 不以本县前缀 LX- 开头") == true)
        #expect(try store.refusals([s.event(Scenario.department, Self.report(s, "QZ-2024-0105"))]) == [.hazardIdPrefix(hazardId: "QZ-2024-0105", prefix: "LX")])
        // The high-tech zone numbers its hazards in the county's one list.
        #expect(try store.refusals([s.event(Scenario.department, Self.report(s, "LX-2024-0105", region: "临湘高新区"))]).isEmpty)
    }

    @Test func thePrefixIsTheReferenceDatas() throws {
        var county = ReferenceData.linxiang
        county.hazardIdPrefix = "YL"
        let log = TemporaryLog()
        let store = try EventStore(appendingTo: log.path, reference: county,
                                   options: LogOptions(clock: SimulatedClock(microseconds: ShanghaiTime.startOfYear(2027))))
        var s = Scenario()
        #expect(try store.refusals([s.event(Scenario.department, s.report("LX-2024-0001"))]) == [.hazardIdPrefix(hazardId: "LX-2024-0001", prefix: "YL")])
        #expect(try store.refusals([s.event(Scenario.department, s.report("YL-2024-0001"))]).isEmpty)
    }

    @Test func anEnterpriseActsUnderAValidCreditCode() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        let expected = try #require(Scenario.enterprise.creditCode.last)
        let found = try #require(Self.wrongCheck.last)
        var company = Scenario.company
        company.organization.id = Self.wrongCheck
        let violations = try store.violations([s.event(company, s.report())])
        #expect(violations.map(\.rule) == [.invalidCreditCode(Self.wrongCheck, role: .actor, .checkCharacter(found: found, expected: expected))])
        #expect(violations.first?.description.hasSuffix(
            "enterprise \(Self.wrongCheck) (the actor) is not a valid unified social credit code: check character is \(found), GB 32100-2015 gives \(expected); an enterprise acts under its credit code") == true)
        #expect(violations.first?.text(.zh).contains("校验码为 \(found)，按 GB 32100-2015 应为 \(expected)") == true)
        // A name for an id, a code too short, a letter in the division code: each says why.
        company.organization.id = "桃林烟花爆竹有限公司"
        #expect(try store.refusals([s.event(company, s.report())]) == [.invalidCreditCode("桃林烟花爆竹有限公司", role: .actor, .length(10))])
        company.organization.id = "91430682MA4L0C7A4"
        #expect(try store.refusals([s.event(company, s.report())]) == [.invalidCreditCode("91430682MA4L0C7A4", role: .actor, .length(17))])
        company.organization.id = "9143068AMA4L0C7A47"
        #expect(try store.refusals([s.event(company, s.report())]) == [.invalidCreditCode("9143068AMA4L0C7A47", role: .actor, .divisionNotDigits)])
        #expect(try store.refusals([s.event(Scenario.company, s.report())]).isEmpty)
    }

    @Test func anEnterpriseRecordingARectificationActsUnderAValidCreditCode() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        try store.add([s.event(Scenario.department, s.report()), s.event(Scenario.department, s.supervise())])
        var company = Scenario.company
        company.organization.id = "91430682MA4L0C7AI7"
        #expect(try store.refusals([s.event(company, s.rectify())]) == [.invalidCreditCode("91430682MA4L0C7AI7", role: .actor, .character(position: 17))])
    }

    @Test func anEscalationsEnterpriseTargetHasAValidCreditCode() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var s = Scenario()
        try store.add([s.event(Scenario.department, s.report())])
        var target = Scenario.company.organization
        target.id = Self.wrongCheck
        let rules = try store.refusals([s.event(Scenario.committee, ReferenceActorTests.escalation(target: target))])
        #expect(rules.count == 1)
        if case let .invalidCreditCode(id, role, _) = rules.first {
            #expect(id == Self.wrongCheck && role == .escalationTarget)
        } else {
            Issue.record("expected an invalid credit code, found \(rules)")
        }
        #expect(try store.refusals([s.event(Scenario.committee, ReferenceActorTests.escalation())]).isEmpty)
    }
}
