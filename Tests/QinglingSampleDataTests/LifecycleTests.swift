import QinglingEvents
import QinglingSampleData
import Testing

@Suite("The default data follows domain.md and covers it")
struct LifecycleTests {
    static let checked: LifecycleChecker = {
        var checker = LifecycleChecker(reference: .linxiang)
        for event in SampleData.events { checker.check(event) }
        return checker
    }()

    static func count(_ type: EventType) -> Int { SampleData.events.count { $0.type == type } }

    @Test("the lifecycle checker finds no violation")
    func noViolation() {
        let violations = Self.checked.violations
        #expect(violations.isEmpty, "\(violations.count) violations, e.g. \(violations.prefix(8))")
    }

    @Test("the checker does catch a broken lifecycle")
    func checkerCatches() {
        var checker = LifecycleChecker(reference: .linxiang)
        let events = SampleData.events
        guard let verified = events.firstIndex(where: { $0.type == .hazardVerified }) else {
            Issue.record("no verification")
            return
        }
        for event in events[...verified] { checker.check(event) }
        var again = events[verified]
        again.eventId = "again"
        again.occurredAt = ShanghaiDateTime(microseconds: again.occurredAt.microseconds + 1)
        checker.check(again)
        #expect(!checker.violations.isEmpty)
    }

    @Test("about 150 hazards a year, 2023 to 2026")
    func hazardsPerYear() {
        var perYear: [Int: Int] = [:]
        for event in SampleData.events {
            if case .hazardReported(let e) = event.body { perYear[e.discoveredOn.components.year, default: 0] += 1 }
        }
        #expect(Set(perYear.keys) == [2023, 2024, 2025, 2026])
        for (year, count) in perYear { #expect((110...190).contains(count), "\(year): \(count) hazards") }
    }

    @Test("every event type occurs")
    func everyType() {
        // ReporterKeyDestroyed needs a sealed identity, which needs a key store: the generator
        // writes none (its tip-offs have pseudonyms only).
        for type in EventType.allCases where type != .reporterKeyDestroyed { #expect(Self.count(type) > 0, "no \(type.rawValue)") }
    }

    @Test("failed verifications, extensions, reopenings and withdrawals occur")
    func variety() {
        let failed = SampleData.events.count {
            if case .hazardVerified(let e) = $0.body { return e.outcome == .failed }
            return false
        }
        #expect(failed >= 10)
        #expect(Self.count(.deadlineExtended) >= 10)
        #expect(Self.count(.hazardReopened) >= 3)
        #expect(Self.count(.hazardWithdrawn) >= 3)
        let hazards = Self.count(.hazardReported)
        #expect(Double(Self.count(.hazardWithdrawn)) < 0.05 * Double(hazards))
    }

    @Test("escalations of every level, and overdue hazards")
    func escalations() {
        var levels: [EscalationLevel: Int] = [:]
        for event in SampleData.events {
            if case .escalationIssued(let e) = event.body { levels[e.level, default: 0] += 1 }
        }
        for level in EscalationLevel.allCases { #expect(levels[level, default: 0] > 0, "no \(level)") }
        let overdue = Self.checked.overdueHazards(asOf: SampleData.generator.until).count
        let hazards = Self.count(.hazardReported)
        #expect((0.08...0.3).contains(Double(overdue) / Double(hazards)), "\(overdue) of \(hazards) overdue")
    }

    @Test("some supervision comes more than 7 days after the report")
    func lateSupervision() {
        var reported: [String: CalendarDate] = [:]
        var late = 0
        for event in SampleData.events {
            switch event.body {
            case .hazardReported(let e): reported[e.hazardId] = event.occurredAt.date
            case .hazardSupervised(let e): if let date = reported[e.hazardId], date.days(to: event.occurredAt.date) > 7 { late += 1 }
            default: break
            }
        }
        #expect(late > 5)
    }

    @Test("hazards with no operator are reported and rectified by their town; tip-offs lead to hazards and rewards")
    func townsAndTipOffs() {
        let noOperator = SampleData.events.filter {
            if case .hazardReported(let e) = $0.body { return e.enterprise == nil }
            return false
        }
        #expect(!noOperator.isEmpty)
        #expect(noOperator.allSatisfy { $0.actor.organization.kind == .town })
        let viaTipOff = SampleData.events.count {
            if case .hazardReported(let e) = $0.body { return e.tipOffId != nil && e.source == .tipOff }
            return false
        }
        #expect(viaTipOff > 3)
        let fines = SampleData.events.compactMap { event -> PenaltyImposed? in
            if case .penaltyImposed(let e) = event.body { return e }
            return nil
        }
        #expect(fines.contains { $0.kind == .warning && $0.amountFen == 0 })
        #expect(fines.contains { !$0.hazardIds.isEmpty })
        #expect(fines.filter { $0.kind == .fine }.allSatisfy { (500_000...5_000_000).contains($0.amountFen) })
    }

    @Test("the last year still has open hazards at the end date")
    func openAtEnd() {
        let open = Self.checked.hazards.values.filter { $0.state != .closed && $0.state != .withdrawn }
        #expect(!open.isEmpty)
        #expect(open.contains { $0.report.discoveredOn.components.year == 2026 })
    }
}
