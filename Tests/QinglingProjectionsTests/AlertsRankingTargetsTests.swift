import QinglingEvents
@testable import QinglingProjections
import Testing

@Suite struct OverdueAlertsTests {
    /// As of 2024-03-01. P: 41 days overdue, a letter issued while overdue. Q: 20 days overdue,
    /// a notice issued before its deadline (not this spell), awaiting verification 18 days.
    /// R: not supervised for 10 days. S: not supervised for 5 days. T: due in 4 days. U: an
    /// extension moved its deadline past the date.
    static func alerts(_ ladder: EscalationLadder = .standard) -> OverdueAlerts {
        var h = History()
        h.add("2024-01-01", History.town, History.report("P", discovered: "2024-01-01"))
        h.add("2024-01-01", History.supervise("P", deadline: "2024-01-20"))
        h.add("2024-01-25", History.committee, History.escalate(.letter, ["P"]))
        h.add("2024-02-01", History.town, History.report("Q", discovered: "2024-02-01"))
        h.add("2024-02-01", History.supervise("Q", deadline: "2024-02-10"))
        h.add("2024-02-05", History.committee, History.escalate(.notice, ["Q"]))
        h.add("2024-02-12", History.town, History.rectify("Q", on: "2024-02-12"))
        h.add("2024-02-20", History.town, History.report("R", discovered: "2024-02-20"))
        h.add("2024-02-25", History.town, History.report("S", discovered: "2024-02-25"))
        h.add("2024-02-26", History.town, History.report("T", discovered: "2024-02-26"))
        h.add("2024-02-26", History.supervise("T", deadline: "2024-03-05"))
        h.add("2024-01-01", History.town, History.report("U", discovered: "2024-01-01"))
        h.add("2024-01-02", History.supervise("U", deadline: "2024-01-10"))
        h.add("2024-01-12", History.committee, History.escalate(.letter, ["U"]))
        h.add("2024-01-15", History.extend("U", to: "2024-04-01"))
        return OverdueAlerts(h.state, on: day("2024-03-01"), ladder: ladder)
    }

    @Test func overdueHazardsWithTheLadder() {
        let alerts = Self.alerts()
        #expect(alerts.overdue.map(\.hazardId) == ["P", "Q"])
        let p = alerts.overdue[0], q = alerts.overdue[1]
        #expect(p.days == 41 && p.levelDue == .summons && p.levelIssued == .letter && p.higherDue)
        #expect(q.days == 20 && q.levelDue == .notice && q.levelIssued == nil && q.higherDue)
    }

    @Test func theLadderIsConfigurable() {
        guard let ladder = EscalationLadder([1, 10, 20, 40]) else { Issue.record("ladder refused"); return }
        let alerts = Self.alerts(ladder)
        #expect(alerts.overdue.map(\.levelDue) == [.exposure, .summons])
        #expect(EscalationLadder([0, 10, 20, 40]) == nil && EscalationLadder([1, 10, 10, 40]) == nil && EscalationLadder([1, 2, 3]) == nil)
    }

    @Test func supervisionVerificationAndDueSoonLists() {
        let alerts = Self.alerts()
        #expect(alerts.unsupervised.map(\.hazardId) == ["R"])
        #expect(alerts.unsupervised.first?.days == 10)
        #expect(alerts.awaitingVerification.map(\.hazardId) == ["Q"])
        #expect(alerts.awaitingVerification.first?.days == 18)
        #expect(alerts.dueSoon.map(\.hazardId) == ["T"])
        #expect(alerts.dueSoon.first?.days == -4)
    }
}

@Suite struct QuarterlyRankingTests {
    @Test func regionsRankByOverdueThenOnTimeRateThenClosedThenCode() {
        var h = History()
        h.closedHazard("Y1", discovered: "2024-01-05", deadline: "2024-02-01", verified: "2024-01-20", closed: "2024-01-21", region: "云湖街道")
        h.closedHazard("Y2", discovered: "2024-01-06", deadline: "2024-02-01", verified: "2024-01-21", closed: "2024-01-22", region: "云湖街道")
        h.closedHazard("T1", discovered: "2024-01-07", deadline: "2024-02-01", verified: "2024-01-22", closed: "2024-01-23", region: "桃林镇")
        h.add("2024-01-08", History.town, History.report("C1", region: "长安街道", discovered: "2024-01-08"))
        h.add("2024-01-09", History.supervise("C1", deadline: "2024-02-01"))
        h.add("2024-02-10", History.penalty(hazards: ["C1"]))
        let ranking = QuarterlyRanking(h.state, quarter: Quarter(year: 2024, number: 1), reference: .linxiang)
        #expect(ranking.entries.count == 15)
        #expect(ranking.entries.prefix(3).map(\.region) == ["云湖街道", "桃林镇", "桃矿街道"])
        #expect(ranking.entries.last?.region == "长安街道")
        #expect(ranking.entries.map(\.rank) == Array(1...15))
        #expect(ranking.departments.first { $0.id == "lx-yjj" }?.zeroPenalty == false)
        #expect(ranking.departments.first { $0.id == "lx-zjj" }?.zeroPenalty == true)
        let next = QuarterlyRanking(h.state, quarter: Quarter(year: 2024, number: 2), reference: .linxiang)
        #expect(next.departments.allSatisfy { $0.zeroPenalty })
    }
}

@Suite struct PlanTargetsTests {
    static func state() -> ProjectionState {
        var h = History()
        h.add("2023-10-01", History.town, History.report("OLD", discovered: "2023-10-01"))
        h.add("2023-10-02", History.supervise("OLD", deadline: "2023-12-01"))
        h.closedHazard("N24", discovered: "2024-05-01", deadline: "2024-06-01", verified: "2024-05-20", closed: "2024-05-21")
        h.closedHazard("N25a", discovered: "2025-05-01", deadline: "2025-06-01", verified: "2025-05-20", closed: "2025-05-21")
        h.closedHazard("N25b", discovered: "2025-06-01", deadline: "2025-07-01", verified: "2025-06-20", closed: "2025-06-21")
        h.add("2025-12-01", History.town, History.report("LATE", discovered: "2025-12-01"))
        h.add("2025-12-02", History.supervise("LATE", deadline: "2026-01-15"))
        h.add("2026-02-10", History.town, History.rectify("LATE", on: "2026-02-10"))
        h.add("2026-02-11", History.verifier, History.verify("LATE"))
        h.add("2026-02-12", History.close("LATE"))
        return h.state
    }

    @Test func eachTargetPassesFailsOrIsPending() {
        let targets = PlanTargets(Self.state(), on: day("2026-03-31"))
        let byId = Dictionary(uniqueKeysWithValues: targets.checks.map { ($0.id, $0) })
        #expect(byId["stockCleared"]?.verdict == .failed)
        #expect(byId["stockCleared"]?.breaches.map(\.hazardId) == ["OLD"])
        #expect(byId["stockCleared"]?.breaches.first?.departmentOfficer == "李卫东 (yjj-017)")
        #expect(byId["stockCleared"]?.breaches.first?.enterprisePrincipal == "刘建国 (ent-001)")
        #expect(byId["stockCleared"]?.breaches.first?.leadDepartment == "临湘市应急管理局")
        #expect(byId["newContained"]?.verdict == .failed)          // 3 new in 2025 (N25a, N25b, LATE), 1 in 2024
        #expect(byId["dynamicZero"]?.verdict == .failed)
        // LATE is overdue at the end of January; OLD at every month end.
        #expect(byId["dynamicZero"]?.breaches.filter { $0.hazardId == "LATE" }.map(\.on) == [day("2026-01-31")])
        #expect(byId["dynamicZero"]?.breaches.filter { $0.hazardId == "OLD" }.count == 3)
    }

    @Test func aBreachNamesThePersonsAsTheLatestSupervisionNamesThem() throws {
        var h = History()
        h.add("2023-10-01", History.town, History.report("OLD", discovered: "2023-10-01"))
        h.add("2023-10-02", History.supervise("OLD", deadline: "2023-12-01"))
        // A second supervision names the same principal (by id) under another name, a new
        // officer, and no principal for another hazard.
        guard case .hazardSupervised(var again) = History.supervise("OLD", deadline: "2024-01-01") else { return }
        again.responsible.enterprisePrincipal = PersonRef(id: "ent-001", name: "刘建军")
        again.responsible.departmentOfficer = PersonRef(id: "yjj-004", name: "易亮")
        h.add("2023-12-01", .hazardSupervised(again))
        h.add("2023-10-05", History.town, History.report("OTHER", discovered: "2023-10-05"))
        guard case .hazardSupervised(var none) = History.supervise("OTHER", deadline: "2024-01-01") else { return }
        none.responsible.enterprisePrincipal = nil
        h.add("2023-10-06", .hazardSupervised(none))
        let breaches = try #require(PlanTargets(h.state, on: day("2024-12-31")).checks.first).breaches
        #expect(breaches.map(\.hazardId) == ["OLD", "OTHER"])
        #expect(breaches.map(\.enterprisePrincipal) == ["刘建军 (ent-001)", nil])
        #expect(breaches.map(\.departmentOfficer) == ["易亮 (yjj-004)", "李卫东 (yjj-017)"])
    }

    @Test func targetsNotYetDueArePending() {
        let targets = PlanTargets(Self.state(), on: day("2024-06-30"))
        #expect(targets.checks.map(\.verdict) == [.pending, .pending, .pending])
        #expect(targets.checks[0].breaches.map(\.hazardId) == ["OLD"])   // at risk
    }
}
