import Foundation
import QinglingEvents
@testable import QinglingProjections
@testable import QinglingSampleData
import Testing

/// The clearance figures a checkpoint keeps for every calendar month, quarter and year equal
/// the walk over the timelines (`ClearanceStatistics.figures(of:period:knowledge:)`) for every
/// such period and group, and are not used where they would not.
@Suite struct CalendarFiguresTests {
    /// The walk's figures of `period` by group (interned region and industry), listing every
    /// group of a hazard that counts.
    static func walked(_ hazards: [HazardTimeline], _ period: Period, _ knowledge: Knowledge) -> [CalendarFigures.Group: ClearanceFigures] {
        var sums: [CalendarFigures.Group: ClearanceFigures] = [:]
        for hazard in hazards {
            guard let figures = ClearanceStatistics.figures(of: hazard, period: period, knowledge: knowledge) else { continue }
            sums[CalendarFigures.Group(region: hazard.region, industry: hazard.industry), default: ClearanceFigures()].add(figures)
        }
        return sums
    }

    /// Every calendar month, quarter and year of `years`, written as the command line takes them.
    static func periods(_ years: ClosedRange<Int>) -> [Period] {
        years.flatMap { year in
            [Period.year(year)] + (1...4).map { Period(Quarter(year: year, number: $0)) }
                + (1...12).compactMap { Period(String(format: "%04d-%02d", year, $0)) }
        }
    }

    /// Every period of the years kept, which run from the earliest discovery's to the latest date's.
    static func expectAgreement(_ hazards: [HazardTimeline], latest: CalendarDate) {
        let kept = CalendarFigures(hazards, latestBusinessDate: latest)
        let first = hazards.map { $0.discoveredOn.components.year }.min() ?? 0
        let last = max(latest.components.year, hazards.map { $0.discoveredOn.components.year }.max() ?? 0)
        #expect(kept.firstYear == first && kept.years == last - first + 1)
        for period in periods(first...last) {
            for knowledge in [Knowledge.everything, Knowledge(asOf: max(latest, period.end))] {
                let found = kept.figures(of: period, knowledge: knowledge, latestBusinessDate: latest)
                guard let found else {
                    Issue.record("no kept figures for \(period) under \(knowledge)")
                    continue
                }
                #expect(Dictionary(uniqueKeysWithValues: found) == walked(hazards, period, knowledge), "\(period), as of \(String(describing: knowledge.asOf))")
            }
        }
    }

    /// Timelines of every shape the figures meet: reopened and closed again, extended, failed,
    /// withdrawn, escalated, steps whose dates go back (a later step dated earlier), a discovery
    /// before the report, steps across years, never closed.
    static func randomTimelines(count: Int, seed: UInt64) -> (hazards: [HazardTimeline], latest: CalendarDate) {
        var random = SplitMix64(seed: seed)
        let kinds: [HazardTimeline.Step.Kind] = [.supervised, .extended, .rectified, .verifiedPassed, .verifiedFailed, .closed, .reopened,
                                                  .withdrawn, .escalated]
        let base = day("2023-01-01")
        var latest = base
        var recorded: Int64 = 1_700_000_000_000_000
        let hazards = (0..<count).map { _ in
            let discovered = base.adding(days: Int(random.next() % 1_200))
            let reportedOn = discovered.adding(days: Int(random.next() % 20))
            recorded += 1
            var hazard = HazardTimeline(region: Int32(random.next() % 4), industry: Int32(4 + random.next() % 3), discoveredOn: discovered,
                                        report: .init(kind: .reported, on: reportedOn, recordedAt: recorded))
            var date = reportedOn
            latest = max(latest, reportedOn)
            for _ in 0..<Int(random.next() % 9) {
                // Mostly forward, sometimes back (a step recorded late with an earlier date).
                date = date.adding(days: Int(random.next() % 70) - (random.next() % 5 == 0 ? 90 : 0))
                let kind = kinds[Int(random.next() % UInt64(kinds.count))]
                let deadline: CalendarDate? = [.supervised, .extended, .reopened].contains(kind) ? date.adding(days: Int(random.next() % 60)) : nil
                recorded += 1
                hazard.steps.append(.init(kind: kind, on: date, recordedAt: recorded, deadline: deadline, level: kind == .escalated ? 1 : 0))
                latest = max(latest, date)
            }
            return hazard
        }
        return (hazards, latest)
    }

    @Test func everyCalendarPeriodOfRandomTimelinesAgreesWithTheWalk() {
        for seed in [UInt64(1), 2, 3] {
            let (hazards, latest) = Self.randomTimelines(count: 400, seed: seed)
            Self.expectAgreement(hazards, latest: latest)
        }
    }

    @Test func everyCalendarPeriodOfTheCountyAgreesWithTheWalk() throws {
        var state = ProjectionState()
        for event in generatedHistory(seed: 5, hazardsPerYear: 40) { try state.apply(event) }
        let latest = try #require(state.latestBusinessDate)
        Self.expectAgreement(state.hazards, latest: latest)
        // Through the report's rows too, names written out, for every grouping.
        let kept = KeptClearanceFigures(figures: CalendarFigures(state.hazards, latestBusinessDate: latest), names: state.names,
                                        latestBusinessDate: latest)
        for grouping in ClearanceGrouping.allCases {
            for period in [Period.year(2025), Period(Quarter(year: 2024, number: 3)), try #require(Period("2026-02"))] {
                let knowledge = Knowledge(asOf: latest)
                let fromKept = try #require(ClearanceStatistics(kept: kept, period: period, grouping: grouping, knowledge: knowledge, reference: .linxiang))
                let walked = ClearanceStatistics(state, period: period, grouping: grouping, knowledge: knowledge, reference: .linxiang)
                #expect(fromKept.rows == walked.rows && fromKept.total == walked.total, "\(period) by \(grouping)")
            }
        }
    }

    /// Not used where the walk would see less, or measure the end earlier: a recording-time
    /// limit, an as-of date before the latest event or before the period's end, a period not a
    /// calendar month, quarter or year, or outside the years kept.
    @Test func figuresAnswerOnlyWhatTheyHold() throws {
        let (hazards, latest) = Self.randomTimelines(count: 50, seed: 9)
        let kept = CalendarFigures(hazards, latestBusinessDate: latest)
        let year = Period.year(latest.components.year - 1)
        #expect(kept.figures(of: year, knowledge: .everything, latestBusinessDate: latest) != nil)
        #expect(kept.figures(of: year, knowledge: Knowledge(knownAt: 1), latestBusinessDate: latest) == nil)
        #expect(kept.figures(of: year, knowledge: Knowledge(asOf: latest.adding(days: -1)), latestBusinessDate: latest) == nil)
        let running = try #require(Period(String(latest.description.prefix(7))))  // the latest date's month, still running then
        if running.end > latest { #expect(kept.figures(of: running, knowledge: Knowledge(asOf: latest), latestBusinessDate: latest) == nil) }
        let range = try #require(Period("\(year.start)..\(year.end.adding(days: -1))"))
        #expect(kept.figures(of: range, knowledge: .everything, latestBusinessDate: latest) == nil)
        #expect(kept.figures(of: .year(1999), knowledge: .everything, latestBusinessDate: latest) == nil)
        #expect(kept.figures(of: .year(latest.components.year + 1), knowledge: .everything, latestBusinessDate: latest) == nil)
    }

    /// The kept figures are read only from a checkpoint that covers the whole log: not once
    /// events were appended after it, again once a load saved a new one.
    @Test func keptFiguresComeOnlyFromACheckpointCoveringTheLog() throws {
        let log = try GeneratedLog(seed: 7, hazardsPerYear: 20)
        let half = log.events.count / 2
        try log.append(log.events[..<half])
        #expect(try ProjectionStore.keptClearanceFigures(try log.store()) == nil, "no checkpoint yet")
        let (state, _) = try ProjectionStore.load(try log.store())
        let kept = try #require(try ProjectionStore.keptClearanceFigures(try log.store()))
        #expect(kept.latestBusinessDate == state.latestBusinessDate)
        #expect(kept.figures == CalendarFigures(state.hazards, latestBusinessDate: state.latestBusinessDate))
        try log.append(log.events[half...])
        #expect(try ProjectionStore.keptClearanceFigures(try log.store()) == nil, "behind the log")
        _ = try ProjectionStore.load(try log.store(), refreshAfter: 1)
        #expect(try ProjectionStore.keptClearanceFigures(try log.store()) != nil)
    }

    /// A log whose dates span more years than are kept (a far-future date) keeps no figures:
    /// `stats` walks the timelines. Nothing traps on the last storable year.
    @Test func aLogSpanningCenturiesKeepsNoFigures() {
        let (hazards, _) = Self.randomTimelines(count: 30, seed: 11)
        for latest in [day("9999-12-31"), day("2150-01-01")] {
            let kept = CalendarFigures(hazards, latestBusinessDate: latest)
            #expect(kept.years == 0 && kept.figures.isEmpty)
            #expect(kept.figures(of: .year(2024), knowledge: .everything, latestBusinessDate: latest) == nil)
        }
    }

    /// A crafted section is refused as damage, never trapped on: years past those a save keeps,
    /// or figures that count more than the events the checkpoint covers (which a query's sums
    /// could overflow on).
    @Test func craftedFiguresAreRefusedAsDamage() throws {
        func decode(_ figures: CalendarFigures, events: UInt64) throws(CheckpointDamage) -> CalendarFigures {
            var out = BinaryWriter(capacity: 64)
            figures.write(to: &out)
            return try CheckpointReader.reading(out.bytes[...], at: 0) { input throws(CheckpointDamage) in
                try CalendarFigures(checkpoint: &input, names: 2, events: events)
            }
        }
        let group = CalendarFigures.Group(region: 0, industry: 1)
        var huge = ClearanceFigures()
        huge.stock = Int.max
        let periods = CalendarFigures.periodsPerYear
        #expect(throws: CheckpointDamage.self) { try decode(CalendarFigures(firstYear: 9999, years: 1, groups: [], figures: []), events: 10) }
        #expect(throws: CheckpointDamage.self) { try decode(CalendarFigures(firstYear: 1, years: 9999, groups: [], figures: []), events: 10) }
        let crafted = CalendarFigures(firstYear: 2025, years: 1, groups: [group, CalendarFigures.Group(region: 1, industry: 1)],
                                      figures: (0..<periods * 2).map { $0 < 2 ? huge : ClearanceFigures() })
        #expect(throws: CheckpointDamage.self) { try decode(crafted, events: 10) }
        var ten = ClearanceFigures()
        ten.stock = 10
        let fair = CalendarFigures(firstYear: 2025, years: 1, groups: [group], figures: (0..<periods).map { _ in ten })
        #expect(try decode(fair, events: 10) == fair)
        #expect(throws: CheckpointDamage.self) { try decode(fair, events: 9) }
    }
}
