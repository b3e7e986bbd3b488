import QinglingEvents
@testable import QinglingProjections
import Testing

/// The clearance figures of `domain.md`, each checked on a hand-made history whose answer is
/// worked out in the comments.
@Suite struct ClearanceStatisticsTests {
    /// A: stock (found 2023, open at the start), closed 2024 late. B: closed in 2023, not stock.
    /// C: new, closed on time (its closure recorded late, on 2025-01-10). D: new, open, deadline
    /// on the last day (not overdue). E: new, extended, failed verification, overdue at the end.
    /// F: withdrawn (left out). G: stock, still open and overdue. H: found 2024-12-20 but
    /// reported 2025-01-05.
    static func history() -> History {
        var h = History()
        h.add("2023-11-01", History.town, History.report("A", discovered: "2023-11-01"))
        h.add("2023-11-02", History.supervise("A", deadline: "2023-12-15"))
        h.add("2024-01-10", History.town, History.rectify("A", on: "2024-01-10"))
        h.add("2024-01-10", History.verifier, History.verify("A"))
        h.add("2024-01-12", History.close("A"))
        h.closedHazard("B", discovered: "2023-06-01", deadline: "2023-07-01", verified: "2023-06-20", closed: "2023-08-01")
        h.add("2024-05-01", History.town, History.report("D", discovered: "2024-05-01"))
        h.add("2024-05-02", History.supervise("D", deadline: "2024-12-31"))
        h.add("2024-06-01", History.town, History.report("E", discovered: "2024-06-01"))
        h.add("2024-06-02", History.supervise("E", deadline: "2024-07-01"))
        h.add("2024-06-25", History.extend("E", to: "2024-09-01"))
        h.add("2024-07-30", History.town, History.rectify("E", on: "2024-07-30"))
        h.add("2024-08-01", History.verifier, History.verify("E", .failed))
        h.add("2024-07-01", History.town, History.report("F", discovered: "2024-07-01"))
        h.add("2024-08-01", History.withdraw("F"))
        h.add("2023-12-01", History.town, History.report("G", discovered: "2023-12-01"))
        h.add("2023-12-02", History.supervise("G", deadline: "2024-02-01"))
        h.add("2024-03-01", History.town, History.report("C", region: "云湖街道", discovered: "2024-03-01"))
        h.add("2024-03-02", History.supervise("C", deadline: "2024-04-01"))
        h.add("2024-03-20", History.town, History.rectify("C", on: "2024-03-20"))
        h.add("2024-03-20", History.verifier, History.verify("C"))
        h.add("2025-01-05", History.town, History.report("H", discovered: "2024-12-20"))
        h.add("2024-03-25", History.close("C"), recordedOn: "2025-01-10")
        return h
    }

    static func statistics(_ grouping: ClearanceGrouping = .total, _ knowledge: Knowledge = .everything) -> ClearanceStatistics {
        ClearanceStatistics(history().state, period: .year(2024), grouping: grouping, knowledge: knowledge, reference: .linxiang)
    }

    @Test func everyFigureOfThePeriod() {
        let total = Self.statistics().total
        #expect(total.stock == 2)               // A, G
        #expect(total.new == 4)                 // C, D, E, H
        #expect(total.closed == 2)              // A, C
        #expect(total.closedOnTime == 1)        // C (A was verified after its deadline)
        #expect(total.onTimeRate == 0.5)
        #expect(total.openAtEnd == 4)           // D, E, G, H
        #expect(total.overdueAtEnd == 2)        // E, G; D's deadline is the last day, not before it
        #expect(total.stockClosed == 1)         // A
        #expect(total.stockClearedRate == 0.5)
        #expect(total.extensions == 1)
        #expect(total.failedVerifications == 1)
    }

    @Test func groupsFollowTheRegionOfTheReport() {
        // Every region of the reference data is listed, in its order; those without hazards with zeros.
        let all = Self.statistics(.region).rows
        #expect(all.map(\.region) == ReferenceData.linxiang.regions.map(\.name))
        let rows = all.filter { $0.figures != ClearanceFigures() }
        #expect(rows.map(\.region) == ["云湖街道", "桃林镇"])
        #expect(rows[0].figures.new == 1 && rows[0].figures.closedOnTime == 1 && rows[0].figures.openAtEnd == 0)
        #expect(rows[1].figures.stock == 2 && rows[1].figures.new == 3)
        let both = Self.statistics(.regionAndIndustry).rows
        #expect(both.allSatisfy { $0.industry == "烟花爆竹" } && both.count == 2)
    }

    @Test func asOfABusinessDateLeavesOutLaterReports() {
        let total = Self.statistics(.total, Knowledge(asOf: day("2024-12-31"))).total
        #expect(total.new == 3)                 // H was reported in 2025
        #expect(total.openAtEnd == 3)
    }

    @Test func knownAtARecordingTimeLeavesOutLaterRecords() {
        let endOf6January = (ShanghaiDateTime(date: day("2025-01-06"), hour: 23, minute: 59, second: 59) ?? ShanghaiDateTime(microseconds: 0)).microseconds
        let total = Self.statistics(.total, Knowledge(knownAt: endOf6January)).total
        #expect(total.new == 4)                 // H was recorded on 5 January
        #expect(total.closed == 1)              // C's closure was recorded on 10 January
        #expect(total.closedOnTime == 0)
        #expect(total.onTimeRate == 0)
        #expect(total.openAtEnd == 5)
    }

    @Test func withdrawnHazardsLeaveEveryStatisticButOnlyOnceWithdrawn() {
        let before = Self.statistics(.total, Knowledge(asOf: day("2024-07-31"))).total
        let after = Self.statistics(.total, Knowledge(asOf: day("2024-08-01"))).total
        #expect(before.new == after.new + 1)    // F counts until its withdrawal is in view
    }

    @Test func ratesAreNoneWithoutADenominator() {
        var h = History()
        h.add("2024-05-01", History.town, History.report("X", discovered: "2024-05-01"))
        let total = ClearanceStatistics(h.state, period: .year(2024), grouping: .total, reference: .linxiang).total
        #expect(total.onTimeRate == nil && total.stockClearedRate == nil)
    }

    @Test func aHazardClosedTwiceInAPeriodCountsTwoClosures() {
        var h = History()
        h.closedHazard("R", discovered: "2024-01-05", deadline: "2024-02-01", verified: "2024-01-20", closed: "2024-01-21")
        h.add("2024-03-01", History.reopen("R", deadline: "2024-03-20"))
        h.add("2024-03-25", History.town, History.rectify("R", on: "2024-03-25"))
        h.add("2024-03-26", History.verifier, History.verify("R"))
        h.add("2024-03-27", History.close("R"))
        let total = ClearanceStatistics(h.state, period: Period(Quarter(year: 2024, number: 1)), grouping: .total, reference: .linxiang).total
        #expect(total.closed == 2)
        #expect(total.closedOnTime == 1)        // the second verification came after the reopening's deadline
    }

    @Test func periodsParse() {
        #expect(Period("2024Q3")?.start == day("2024-07-01") && Period("2024Q3")?.end == day("2024-09-30"))
        #expect(Period("2024")?.end == day("2024-12-31"))
        #expect(Period("2024-02")?.end == day("2024-02-29"))
        #expect(Period("2024-03-01..2024-06-30")?.start == day("2024-03-01"))
        #expect(Period("2024Q5") == nil && Period("2024-06-30..2024-03-01") == nil && Period("last year") == nil)
    }
}
