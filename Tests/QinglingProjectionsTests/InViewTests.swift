import Foundation
import QinglingEvents
import QinglingLog
@testable import QinglingProjections
import QinglingSampleData
import QinglingWorkflow
import Testing

/// Every field of every answer comes from events in view: those that happened by the date asked
/// (business time) and were recorded by the time asked (known at). Each history below records
/// an event later than others it happened before, or reports a hazard long after it was found.
@Suite struct InViewTests {
    static func knownAt(_ date: String) -> Int64 {
        (ShanghaiDateTime(date: day(date), hour: 23, minute: 59, second: 59) ?? ShanghaiDateTime(microseconds: 0)).microseconds
    }

    /// Supervised with deadline 2025-12-22, rectified on 2026-01-01, then a letter dated
    /// 2025-12-24 recorded after the rectification (on 2026-01-02).
    static func lateRecordedLetter() -> ProjectionState {
        var h = History()
        h.add("2025-12-01", History.town, History.report("L", discovered: "2025-12-01"))
        h.add("2025-12-02", History.supervise("L", deadline: "2025-12-22"))
        h.add("2026-01-01", History.town, History.rectify("L", on: "2026-01-01"))
        h.add("2025-12-24", History.committee, History.escalate(.letter, ["L"]), recordedOn: "2026-01-02")
        return h.state
    }

    @Test func anEscalationCountsByItsBusinessDateNotItsPlaceInTheLog() throws {
        let state = Self.lateRecordedLetter()
        let alert = try #require(OverdueAlerts(state, on: day("2025-12-31")).overdue.first)
        #expect(alert.days == 9 && alert.levelDue == .letter)
        #expect(alert.levelIssued == .letter)
        #expect(alert.higherDue == false)
        // Before the letter happened, or before it was recorded, none was issued.
        #expect(OverdueAlerts(state, on: day("2025-12-23")).overdue.first?.levelIssued == nil)
        let unknown = try #require(OverdueAlerts(state, on: day("2025-12-31"), knownAt: Self.knownAt("2026-01-01")).overdue.first)
        #expect(unknown.levelIssued == nil && unknown.higherDue)
    }

    @Test func theTraceAsOfADateListsTheEscalationButNotTheLaterRectification() throws {
        var h = History()
        h.add("2025-12-01", History.town, History.report("L", discovered: "2025-12-01"))
        h.add("2025-12-02", History.supervise("L", deadline: "2025-12-22"))
        h.add("2026-01-01", History.town, History.rectify("L", on: "2026-01-01"))
        h.add("2025-12-24", History.committee, History.escalate(.letter, ["L"]), recordedOn: "2026-01-02")
        h.add("2026-01-03", History.verifier, History.verify("L"))
        let asOf = day("2025-12-31")
        let trace = HazardTrace(hazardId: "L", events: Knowledge(asOf: asOf).inView(h.events), asOf: asOf)
        #expect(trace.links.map(\.type) == [.hazardReported, .hazardSupervised, .escalationIssued])
        #expect(trace.findings.map(\.kind) == [.overdue, .escalation])
        #expect(trace.findings.first?.to == nil && trace.findings.first?.days == 9)
        // Known before the letter was recorded: the rectification is not in view either.
        let known = Knowledge(asOf: day("2026-01-05"), knownAt: Self.knownAt("2026-01-01")).inView(h.events)
        #expect(known.map(\.event.type) == [.hazardReported, .hazardSupervised, .hazardRectified])
    }

    @Test func anEscalationBeforeAnExtensionBelongsToTheEarlierSpell() throws {
        var h = History()
        h.add("2025-12-01", History.town, History.report("X", discovered: "2025-12-01"))
        h.add("2025-12-02", History.supervise("X", deadline: "2025-12-10"))
        h.add("2025-12-15", History.extend("X", to: "2025-12-20"))
        // Dated before the extension, recorded after it: it was issued in the earlier spell.
        h.add("2025-12-12", History.committee, History.escalate(.notice, ["X"]), recordedOn: "2025-12-16")
        let alert = try #require(OverdueAlerts(h.state, on: day("2025-12-25")).overdue.first)
        #expect(alert.since == day("2025-12-20") && alert.levelIssued == nil && alert.higherDue)
    }

    /// Reported 2024-01-01; supervised on 2024-01-20 (business date), a supervision of another
    /// hazard dated 2024-01-05 but recorded on 2024-02-01.
    static func lateSupervisions() -> ProjectionState {
        var h = History()
        h.add("2024-01-01", History.town, History.report("S1", discovered: "2024-01-01"))
        h.add("2024-01-20", History.supervise("S1", deadline: "2024-03-01"))
        h.add("2024-01-01", History.town, History.report("S2", discovered: "2024-01-01"))
        h.add("2024-01-05", History.supervise("S2", deadline: "2024-03-01"), recordedOn: "2024-02-01")
        return h.state
    }

    @Test func anUnsupervisedHazardHasNoLeadDepartmentFromALaterSupervision() {
        let state = Self.lateSupervisions()
        let asOf = OverdueAlerts(state, on: day("2024-01-15"), knownAt: Self.knownAt("2024-01-20"))
        #expect(asOf.unsupervised.map(\.hazardId) == ["S1", "S2"])
        #expect(asOf.unsupervised.map(\.leadDepartment) == [nil, nil])
        // Once in view, the lead department shows.
        let later = OverdueAlerts(state, on: day("2024-03-10"))
        #expect(later.overdue.map(\.leadDepartment) == ["临湘市应急管理局", "临湘市应急管理局"])
    }

    @Test func oneWalkForManyDatesAgreesWithAWalkForEach() throws {
        // Generated lives (extensions, failed verifications, reopenings, escalations), viewed
        // as of every month end, as known at every time, at times in between and at none.
        let events = generatedHistory(seed: 17, hazardsPerYear: 40)
        var state = ProjectionState()
        for event in events { try state.apply(event) }
        let dates = (2023...2026).flatMap { year in (1...12).compactMap { CalendarDate(year: year, month: $0, day: 28) } }
        let times = stride(from: 0, to: events.count, by: max(1, events.count / 7)).map { events[$0].recordedAt.microseconds }
        var compared = 0
        for knowledge in [Knowledge.everything, Knowledge(asOf: dates[30])] + times.map({ Knowledge(knownAt: $0) }) {
            for hazard in state.hazards {
                hazard.forEachLifecycleProgress(at: dates, knowledge) { place, progress in
                    let walked = hazard.progress(at: dates[place], knowledge)
                    #expect(progress.status == walked.status && progress.deadline == walked.deadline
                            && progress.isOverdue(at: dates[place]) == walked.isOverdue(at: dates[place]))
                    compared += 1
                }
            }
        }
        #expect(compared == state.hazards.count * dates.count * (2 + times.count))
    }

    @Test func aTargetBreachNamesOnlyWhoTheSupervisionInViewNames() throws {
        var h = History()
        h.add("2023-12-01", History.town, History.report("OLD", discovered: "2023-12-01"))
        h.add("2025-01-10", History.supervise("OLD", deadline: "2025-03-01"))
        let breach = try #require(PlanTargets(h.state, on: day("2025-06-30")).checks.first?.breaches.first)
        #expect(breach.on == day("2024-12-31") && breach.status == .reported)
        #expect(breach.leadDepartment == nil && breach.departmentOfficer == nil && breach.enterprisePrincipal == nil)
    }

    @Test func aStockHazardNotYetReportedOnTheCheckDateIsNoBreach() throws {
        var h = History()
        h.add("2025-01-05", History.town, History.report("HIDDEN", discovered: "2023-12-20"))
        let check = try #require(PlanTargets(h.state, on: day("2025-06-30")).checks.first)
        #expect(check.id == "stockCleared")
        #expect(check.breaches.isEmpty)
        #expect(check.verdict == .passed)
    }

    @Test func openAndOverdueAtEndAreMeasuredAtTheAsOfDateWhenThePeriodRunsPastIt() {
        var h = History()
        h.add("2026-10-01", History.town, History.report("Q", discovered: "2026-10-01"))
        h.add("2026-10-02", History.supervise("Q", deadline: "2026-11-25"))
        let state = h.state
        let quarter = Period(Quarter(year: 2026, number: 4))
        let asOf = ClearanceStatistics(state, period: quarter, grouping: .total, knowledge: Knowledge(asOf: day("2026-11-20")), reference: .linxiang)
        #expect(asOf.total.openAtEnd == 1)
        #expect(asOf.total.overdueAtEnd == 0)   // its deadline is still ahead on 2026-11-20
        let whole = ClearanceStatistics(state, period: quarter, grouping: .total, knowledge: Knowledge(asOf: day("2026-12-31")), reference: .linxiang)
        #expect(whole.total.overdueAtEnd == 1)
    }

    @Test func everyRegionAndIndustryIsListedEvenWithNothingInView() {
        let state = ClearanceStatisticsTests.history().state
        let nothing = Knowledge(knownAt: Self.knownAt("2020-01-01"))
        let regions = ClearanceStatistics(state, period: .year(2024), grouping: .region, knowledge: nothing, reference: .linxiang)
        #expect(regions.rows.map(\.region) == ReferenceData.linxiang.regions.map(\.name))
        #expect(regions.rows.allSatisfy { $0.figures == ClearanceFigures() })
        let industries = ClearanceStatistics(state, period: .year(2024), grouping: .industry, knowledge: nothing, reference: .linxiang)
        #expect(industries.rows.map(\.industry) == ReferenceData.linxiang.industries)
        // With hazards in view, the regions without any are listed too, with zeros.
        let some = ClearanceStatistics(state, period: .year(2024), grouping: .region, knowledge: .everything, reference: .linxiang)
        #expect(some.rows.count == ReferenceData.linxiang.regions.count)
    }
}

/// `ProjectionStore.state(of:knownAt:)`: the state of the events recorded by a time, every
/// projection included (penalties, tip-offs), whatever the time falls on.
@Suite struct KnownAtStateTests {
    @Test func theStateKnownAtATimeIsTheFoldOfTheEventsRecordedByThen() throws {
        let directory = NSTemporaryDirectory() + "qingling-known-at-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let events = LinxiangGenerator(seed: 4, hazardsPerYear: 12, until: day("2026-11-20")).events()
        let clock = SimulatedClock(microseconds: events[0].occurredAt.microseconds)
        let writer = try EventStore(appendingTo: directory, reference: .linxiang, options: LogOptions(clock: clock))
        // Appends of 40 events: a time can fall inside one.
        for start in stride(from: 0, to: events.count, by: 40) {
            let slice = events[start..<min(start + 40, events.count)]
            clock.set(microseconds: (slice.last?.occurredAt.microseconds ?? 0) + 600_000_000)
            _ = try writer.append(slice.map { EventStore.Input(event: $0) })
        }
        let store = try EventStore(readingFrom: directory)
        let records = try store.reader.readAll()
        #expect(records.count == events.count)
        var checked = 0
        for cut in [0, 1, 39, 40, 41, records.count / 2, records.count - 1] {
            let knownAt = records[cut].recordedAt
            var expected = ProjectionState()
            for record in records where record.recordedAt <= knownAt {
                try record.payload.withUnsafeBytes { payload in
                    try expected.fold(payload, sequence: record.sequence, recordedAt: record.recordedAt)
                }
            }
            let state = try ProjectionStore.state(of: store, knownAt: knownAt)
            #expect(state.nextSequence == UInt64(cut + 1))
            #expect(state.hazards == expected.hazards && state.hazardIds == expected.hazardIds)
            #expect(state.penalties == expected.penalties && state.tipOffs == expected.tipOffs)
            checked += 1
        }
        #expect(checked == 7)
        #expect(try ProjectionStore.state(of: store, knownAt: records[0].recordedAt - 1).nextSequence == 0)
        let everything = try ProjectionStore.state(of: store, knownAt: .max)
        #expect(everything.nextSequence == UInt64(records.count))
        #expect(everything.penalties == (try ProjectionStore.load(store, save: false)).0.penalties)
    }
}
