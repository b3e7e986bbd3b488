import Foundation
import QinglingEvents
@testable import QinglingProjections
import Testing

/// An independent check of the clearance figures: the generated events are exported to JSON,
/// parsed back with Foundation, and the figures recomputed the plain way (replay each hazard's
/// events up to a date, for every date asked), sharing no code with the projections.
@Suite struct NaiveClearanceCheckTests {
    struct Figures: Equatable {
        var stock = 0, new = 0, closed = 0, closedOnTime = 0, openAtEnd = 0, overdueAtEnd = 0, stockClosed = 0, extensions = 0, failed = 0
    }

    /// One hazard's events from the JSON export: (date, type, data).
    struct NaiveHazard {
        var region = "", discovered = ""
        var events: [(date: String, type: String, data: [String: Any])] = []

        /// Status and deadline after replaying every event on or before `date`.
        func state(at date: String) -> (status: String, deadline: String?) {
            var status = "reported"
            var deadline: String?
            for event in events where event.date <= date {
                switch event.type {
                case "HazardSupervised": status = "rectifying"; deadline = event.data["deadline"] as? String
                case "DeadlineExtended": deadline = event.data["newDeadline"] as? String
                case "HazardRectified": status = "awaiting"
                case "HazardVerified": status = (event.data["outcome"] as? String) == "passed" ? "verified" : "rectifying"
                case "HazardClosed": status = "closed"
                case "HazardReopened": status = "rectifying"; deadline = event.data["newDeadline"] as? String
                case "HazardWithdrawn": status = "withdrawn"
                default: break
                }
            }
            return (status, deadline)
        }
    }

    static func naiveHazards(fromExport lines: [String]) throws -> [String: NaiveHazard] {
        var hazards: [String: NaiveHazard] = [:]
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            let type = object["type"] as? String ?? ""
            let data = object["data"] as? [String: Any] ?? [:]
            let date = String((object["occurredAt"] as? String ?? "").prefix(10))
            guard let id = data["hazardId"] as? String else { continue }
            if type == "HazardReported" {
                hazards[id] = NaiveHazard(region: data["region"] as? String ?? "", discovered: data["discoveredOn"] as? String ?? "")
            }
            hazards[id]?.events.append((date, type, data))
        }
        return hazards.filter { !$0.value.events.contains { $0.type == "HazardWithdrawn" } }
    }

    static func naiveFigures(_ hazards: [String: NaiveHazard], start: String, end: String, dayBefore: String) -> [String: Figures] {
        var byRegion: [String: Figures] = [:]
        for hazard in hazards.values {
            var f = Figures()
            let isStock = hazard.discovered < start && hazard.state(at: dayBefore).status != "closed"
            if isStock { f.stock = 1 }
            if hazard.discovered >= start && hazard.discovered <= end { f.new = 1 }
            let atEnd = hazard.state(at: end)
            if hazard.discovered <= end && atEnd.status != "closed" {
                f.openAtEnd = 1
                if let deadline = atEnd.deadline, deadline < end { f.overdueAtEnd = 1 }
            }
            if isStock && atEnd.status == "closed" { f.stockClosed = 1 }
            for (index, event) in hazard.events.enumerated() where event.date >= start && event.date <= end {
                switch event.type {
                case "DeadlineExtended": f.extensions += 1
                case "HazardVerified" where (event.data["outcome"] as? String) == "failed": f.failed += 1
                case "HazardClosed":
                    f.closed += 1
                    let earlier = hazard.events[..<index]
                    if let verification = earlier.last(where: { $0.type == "HazardVerified" && ($0.data["outcome"] as? String) == "passed" }),
                       let deadline = hazard.state(at: verification.date).deadline, verification.date <= deadline {
                        f.closedOnTime += 1
                    }
                default: break
                }
            }
            var total = byRegion[hazard.region, default: Figures()]
            total.stock += f.stock; total.new += f.new; total.closed += f.closed; total.closedOnTime += f.closedOnTime
            total.openAtEnd += f.openAtEnd; total.overdueAtEnd += f.overdueAtEnd; total.stockClosed += f.stockClosed
            total.extensions += f.extensions; total.failed += f.failed
            byRegion[hazard.region] = total
        }
        return byRegion
    }

    @Test(arguments: [UInt64(2024), 7, 99])
    func projectionFiguresEqualANaiveReplayOfTheExport(seed: UInt64) throws {
        let stored = generatedHistory(seed: seed, hazardsPerYear: 60)
        let lines = stored.map { JSONWriter.string(EventJSONEncoder.encode($0.event)) }
        let naive = try Self.naiveHazards(fromExport: lines)
        var state = ProjectionState()
        for event in stored { try state.apply(event) }
        for text in ["2024", "2025Q2", "2023-07-01..2024-06-30", "2026-11", "2023"] {
            guard let period = Period(text) else { Issue.record("period \(text)"); continue }
            var expected = Self.naiveFigures(naive, start: period.start.description, end: period.end.description,
                                             dayBefore: period.start.adding(days: -1).description)
            // Every region is listed, with zeros where no hazard counts.
            for region in ReferenceData.linxiang.regions where expected[region.name] == nil { expected[region.name] = Figures() }
            let statistics = ClearanceStatistics(state, period: period, grouping: .region, reference: .linxiang)
            var actual: [String: Figures] = [:]
            for row in statistics.rows {
                let f = row.figures
                actual[row.region ?? ""] = Figures(stock: f.stock, new: f.new, closed: f.closed, closedOnTime: f.closedOnTime, openAtEnd: f.openAtEnd,
                                                   overdueAtEnd: f.overdueAtEnd, stockClosed: f.stockClosed, extensions: f.extensions, failed: f.failedVerifications)
            }
            #expect(actual == expected, "seed \(seed), period \(text)")
            #expect(statistics.total.new == expected.values.reduce(0) { $0 + $1.new })
        }
    }

    /// Split into parts computed side by side (as for a large state), the statistics are those
    /// computed in one part, for every grouping, with parts of one hazard and with more parts
    /// asked for than there are hazards.
    @Test func statisticsInPartsEqualThoseInOne() throws {
        let stored = generatedHistory(seed: 5, hazardsPerYear: 40)
        var state = ProjectionState()
        for event in stored { try state.apply(event) }
        let middle = stored[stored.count / 2].recordedAt.microseconds
        let periods = [Period.year(2024), try #require(Period("2023-01-01..2026-12-31"))]
        for (period, grouping) in periods.flatMap({ period in ClearanceGrouping.allCases.map { (period, $0) } }) {
            for knowledge in [Knowledge.everything, Knowledge(knownAt: middle)] {
                let one = ClearanceStatistics(state, period: period, grouping: grouping, knowledge: knowledge, reference: .linxiang, parts: 1)
                #expect(one.total.new > 0)
                for parts in [2, 3, state.hazards.count, state.hazards.count + 5] {
                    let split = ClearanceStatistics(state, period: period, grouping: grouping, knowledge: knowledge, reference: .linxiang, parts: parts)
                    #expect(split.rows == one.rows, "\(period), \(grouping), \(parts) parts")
                    #expect(split.total == one.total, "\(period), \(grouping), \(parts) parts")
                }
            }
        }
    }

    /// `ClearanceStatistics.figures(of:)` walks a hazard's steps once; the definitions it
    /// stands for, written with three walks, give the same figures for every hazard, period and
    /// knowledge (business dates and recording times that cut lifecycles in the middle).
    @Test(arguments: [UInt64(2024), 31])
    func oneWalkFindsWhatThreeWalksFind(seed: UInt64) throws {
        let stored = generatedHistory(seed: seed, hazardsPerYear: 80)
        var state = ProjectionState()
        for event in stored { try state.apply(event) }
        let middle = stored[stored.count / 2].recordedAt.microseconds
        let knowledges = [Knowledge.everything, Knowledge(asOf: day("2024-08-15")), Knowledge(knownAt: middle),
                          Knowledge(asOf: day("2025-03-01"), knownAt: middle)]
        var compared = 0, counted = 0
        let months = (2023...2026).flatMap { year in (1...12).map { String(format: "%d-%02d", year, $0) } }
        for text in ["2024", "2025Q2", "2023-07-01..2024-06-30", "2023-03-15..2023-03-15"] + months {
            let period = try #require(Period(text))
            for knowledge in knowledges {
                for (index, hazard) in state.hazards.enumerated() {
                    let expected = Self.threeWalkFigures(of: hazard, period: period, knowledge: knowledge)
                    #expect(ClearanceStatistics.figures(of: hazard, period: period, knowledge: knowledge) == expected, "\(state.hazardId(index)) \(text)")
                    compared += 1
                    if expected != nil { counted += 1 }
                }
            }
        }
        #expect(counted > 0 && counted < compared, "some hazards count and some do not")
    }

    /// The figures of one hazard as the definitions read: it counts when its report is known
    /// and it is not withdrawn; stock is its status at the end of the day before the period.
    static func threeWalkFigures(of hazard: HazardTimeline, period: Period, knowledge: Knowledge) -> ClearanceFigures? {
        guard hazard.counts(knowledge) else { return nil }
        var figures = ClearanceFigures()
        let discovered = hazard.discoveredOn
        let isStock = discovered < period.start && hazard.progress(at: period.start.adding(days: -1), knowledge).status != .closed
        if isStock { figures.stock = 1 }
        if period.contains(discovered) { figures.new = 1 }
        let atEnd = hazard.walk(knowledge, until: period.end) { step, before, _ in
            guard period.contains(step.on) else { return }
            switch step.kind {
            case .closed:
                figures.closed += 1
                if let passed = before.passedVerification, let deadline = passed.deadline, passed.on <= deadline { figures.closedOnTime += 1 }
            case .extended: figures.extensions += 1
            case .verifiedFailed: figures.failedVerifications += 1
            default: break
            }
        }
        if discovered <= period.end, atEnd.status != .closed {
            figures.openAtEnd = 1
            // Measured at the end, or the as-of date when that comes first.
            if atEnd.isOverdue(at: min(period.end, knowledge.asOf ?? period.end)) { figures.overdueAtEnd = 1 }
        }
        if isStock, atEnd.status == .closed { figures.stockClosed = 1 }
        return figures
    }
}
