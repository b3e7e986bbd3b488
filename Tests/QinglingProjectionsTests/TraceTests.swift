import QinglingEvents
@testable import QinglingProjections
import Testing

@Suite struct TraceTests {
    /// Reported 01-01, supervised 01-12 (11 days: late) with deadline 02-01; extended on 02-10
    /// to 02-20; rectified 02-25; failed verification 03-10 (14 days after rectification: late);
    /// rectified 03-12, passed 03-15, closed 03-16; reopened 05-01 with deadline 05-10; a summons
    /// on 05-15; traced as of 05-20.
    static func trace() -> HazardTrace {
        var h = History()
        h.add("2024-01-01", History.town, History.report("K", discovered: "2024-01-01"))
        h.add("2024-01-12", History.supervise("K", deadline: "2024-02-01"))
        h.add("2024-02-10", History.extend("K", to: "2024-02-20"))
        h.add("2024-02-25", History.town, History.rectify("K", on: "2024-02-25"))
        h.add("2024-03-10", History.verifier, History.verify("K", .failed))
        h.add("2024-03-12", History.town, History.rectify("K", on: "2024-03-12"))
        h.add("2024-03-15", History.verifier, History.verify("K"))
        h.add("2024-03-16", History.close("K"))
        h.add("2024-05-01", History.reopen("K", deadline: "2024-05-10"))
        h.add("2024-05-15", History.committee, History.escalate(.summons, ["K"]))
        return HazardTrace(hazardId: "K", events: h.events, asOf: day("2024-05-20"))
    }

    @Test func everyLinkNamesItsLogPositionActorAndRole() {
        let trace = Self.trace()
        #expect(trace.links.map(\.sequence) == Array(0..<10))
        #expect(trace.links.map(\.role) == [.reporter, .supervisor, .extender, .rectifier, .verifier, .rectifier, .verifier, .closer, .reopener, .escalator])
        #expect(trace.links[4].person.id == "yjj-004" && trace.links[4].organization.id == "lx-yjj")
        // The passed verification and the closure were undone by the reopening; the failed one was not a sign-off.
        #expect(trace.links.filter(\.laterReopened).map(\.sequence) == [6, 7])
    }

    @Test func findingsOfTheChain() {
        let findings = Self.trace().findings
        let late = findings.filter { $0.kind == .lateSupervision }
        #expect(late.count == 1 && late[0].days == 11 && late[0].sequences == [0, 1])
        #expect(late[0].responsible.first?.organization == "临湘市应急管理局")

        let overdue = findings.filter { $0.kind == .overdue }
        #expect(overdue.map(\.from) == [day("2024-02-02"), day("2024-02-21"), day("2024-05-11")])
        #expect(overdue.map(\.to) == [day("2024-02-09"), day("2024-03-15"), nil])
        #expect(overdue.map(\.days) == [8, 24, 10])
        #expect(overdue[0].sequences == [1] && overdue[1].sequences == [2] && overdue[2].sequences == [8])
        #expect(overdue[0].responsible.map(\.capacity) == ["enterprisePrincipal", "departmentOfficer"])

        let slowVerification = findings.filter { $0.kind == .lateVerification }
        #expect(slowVerification.count == 1 && slowVerification[0].days == 14 && slowVerification[0].responsible.first?.person?.id == "yjj-004")

        let failed = findings.filter { $0.kind == .failedVerification }
        #expect(failed.count == 1 && failed[0].responsible.map(\.capacity) == ["verifier", "rectifier"])

        let reopened = findings.filter { $0.kind == .reopenedAfterClosure }
        #expect(reopened.count == 1 && reopened[0].sequences == [6, 7, 8])
        #expect(reopened[0].responsible.map(\.capacity) == ["verifier", "closer"])
        #expect(reopened[0].responsible.map { $0.person?.id } == ["yjj-004", "yjj-017"])

        #expect(findings.filter { $0.kind == .escalation }.map(\.sequences) == [[9]])
    }

    /// The committee may supervise a hazard for a department: the finding names the lead
    /// department as the supervision does, and the committee's officer as who supervised.
    @Test func lateSupervisionByTheCommitteeNamesTheLeadDepartmentAndTheSupervisor() {
        var h = History()
        h.add("2024-01-01", History.town, History.report("C", discovered: "2024-01-01"))
        h.add("2024-01-20", History.committee, History.supervise("C", deadline: "2024-03-01"))
        let late = HazardTrace(hazardId: "C", events: h.events, asOf: day("2024-02-01")).findings.filter { $0.kind == .lateSupervision }
        try? #require(late.count == 1)
        #expect(late.first?.responsible.map(\.capacity) == ["leadDepartment", "supervisor"])
        #expect(late.first?.responsible.first?.organization == "临湘市应急管理局" && late.first?.responsible.first?.person == nil)
        #expect(late.first?.responsible.last?.organization == "临湘市安委办" && late.first?.responsible.last?.person?.id == "aqw-001")
        #expect(late.first?.responsible.last?.capacityText(.zh) == "交办人")
    }

    /// Money in a trace's wording is yuan with two decimals, as in every table.
    @Test func moneyInTheWordingIsYuan() {
        let rectified = EventBody.hazardRectified(HazardRectified(hazardId: "K", completedOn: day("2025-01-31"), measures: "m", fundsFen: 222_000))
        #expect(HazardTrace.detail(of: rectified, .en) == "completed 2025-01-31, 2220.00 yuan")
        #expect(HazardTrace.detail(of: rectified, .zh) == "完成于 2025-01-31，资金 2220.00 元")
        let fine = History.penalty(.fine, fen: 5_000_000)
        #expect(HazardTrace.detail(of: fine, .en).hasPrefix("fine 50000.00 yuan, case "))
        #expect(HazardTrace.detail(of: fine, .zh).hasPrefix("罚款 50000.00 元，案号 "))
        let detail = TraceFinding.Detail.penalty(.fine, amountFen: 5_000_005, enterprise: "E", caseNumber: "C1")
        #expect(detail.text(.en) == "fine 50000.05 yuan on E, case C1")
        #expect(detail.text(.zh) == "罚款 50000.05 元，对象 E，案号 C1")
    }

    @Test func aHazardNeverSupervisedIsLateWhileItWaits() {
        var h = History()
        h.add("2024-01-01", History.town, History.report("W", discovered: "2024-01-01"))
        let early = HazardTrace(hazardId: "W", events: h.events, asOf: day("2024-01-08"))
        let late = HazardTrace(hazardId: "W", events: h.events, asOf: day("2024-01-09"))
        #expect(early.findings.isEmpty)
        #expect(late.findings.map(\.kind) == [.lateSupervision] && late.findings[0].to == nil)
    }

    @Test func thePartyIndexFindsWhatAPersonTouched() {
        var h = History()
        h.closedHazard("A1", discovered: "2024-01-05", deadline: "2024-02-01", verified: "2024-01-20", closed: "2024-01-21")
        h.add("2024-01-06", History.town, History.report("A2", discovered: "2024-01-06"))
        let state = h.state
        #expect(state.hazards(ofParty: "P:yjj-004") == [0])           // the verifier signed off A1 only
        #expect(state.hazards(ofParty: "P:tlz-002") == [0, 1])        // the town officer: reporter and named responsible
        #expect(state.hazards(ofParty: "O:lx-yjj") == [0])
    }
}
