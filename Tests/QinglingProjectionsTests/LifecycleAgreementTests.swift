import Foundation
import QinglingEvents
import QinglingLog
@testable import QinglingProjections
import QinglingWorkflow
import Testing

/// The projections' `HazardProgress` and the workflow's `HazardRecord` read the one table of
/// the lifecycle (`LifecycleStep.transition`): over random lives the workflow accepts, they
/// agree on the status and the deadline in force after every step.
@Suite struct LifecycleAgreementTests {
    @Test(arguments: [1, 2, 3] as [UInt64])
    func progressAndRecordAgreeOverRandomLives(seed: UInt64) throws {
        let directory = NSTemporaryDirectory() + "qingling-lifecycle-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = try EventStore(appendingTo: directory, reference: .linxiang,
                                    options: LogOptions(clock: SimulatedClock(microseconds: ShanghaiTime.startOfYear(2027))))
        var random = Xorshift(seed: seed)
        var lives: [String: [Event]] = [:]
        for number in 1...60 {
            let id = "LX-2024-" + String(1000 + number)
            let life = RandomLife(hazardId: id, random: &random).events
            let refusals = try writer.refusals(life)
            #expect(refusals.isEmpty, "the workflow refuses \(refusals) in the life of \(id)")
            lives[id] = life
        }
        let (state, _) = try ProjectionStore.load(try EventStore(readingFrom: directory), save: false)

        for (id, life) in lives.sorted(by: { $0.key < $1.key }) {
            // The workflow's status and deadline after each lifecycle step after the report.
            guard case .hazardReported(let report) = life[0].body else { Issue.record("\(id) starts with no report"); continue }
            var record = HazardRecord(report: report, reporter: life[0].actor, reportedOn: life[0].occurredAt.date)
            var expected: [(HazardStatus, CalendarDate?)] = []
            for event in life.dropFirst() where event.body.lifecycleStep != nil {
                record.apply(event)
                expected.append((record.status, record.deadline))
            }
            #expect(try writer.hazard(id) == record)

            guard let timeline = state.hazard(id) else { Issue.record("\(id) is not in the projections"); continue }
            var found: [(HazardStatus, CalendarDate?)] = []
            let end = timeline.walk(.everything) { step, _, after in
                if step.kind != .escalated { found.append((after.status, after.deadline)) }
            }
            #expect(found.map { $0.0 } == expected.map { $0.0 }, "\(id): statuses")
            #expect(found.map { $0.1 } == expected.map { $0.1 }, "\(id): deadlines")
            #expect(end.status == record.status && end.deadline == record.deadline, "\(id)")
        }
    }
}

/// A hazard's life the workflow accepts: reported, then steps drawn at random from those the
/// table of the lifecycle allows in the status reached (`HazardRecord` keeps it; a withdrawal,
/// which ends it, seldom), with escalations between them, each on the day of the previous one or up to three days later.
private struct RandomLife {
    private(set) var events: [Event] = []
    private let hazardId: String
    private var record: HazardRecord
    private var today = day("2024-03-05")

    init(hazardId: String, random: inout Xorshift) {
        self.hazardId = hazardId
        guard case .hazardReported(let report) = History.report(hazardId, discovered: today.description) else {
            preconditionFailure("History.report makes no report")
        }
        record = HazardRecord(report: report, reporter: History.department, reportedOn: today)
        add(.hazardReported(report), by: History.department)
        for _ in 0..<Int.random(in: 0...16, using: &random) {
            today = today.adding(days: Int.random(in: 0...3, using: &random))
            if Int.random(in: 0..<5, using: &random) == 0 {
                add(History.escalate(EscalationLevel.allCases.randomElement(using: &random) ?? .letter, [hazardId]), by: History.committee)
            }
            // A withdrawal one time in ten, where allowed: it ends the life.
            let withdraw = Int.random(in: 0..<10, using: &random) == 0
            let allowed = LifecycleStep.allCases.filter { $0.transition.from.contains(record.status) && ($0 == .withdrawn) == withdraw }
            guard let step = allowed.randomElement(using: &random) else { continue }
            take(step, deadlineIn: Int.random(in: 1...90, using: &random))
        }
    }

    /// Adds an event taking `step`, by someone who may; a deadline it sets falls `days` after
    /// the one in force (or the day, when none).
    private mutating func take(_ step: LifecycleStep, deadlineIn days: Int) {
        let deadline = (step == .extended ? record.deadline ?? today : today).adding(days: days)
        switch step {
        case .reported: Issue.record("a report is allowed from \(record.status)")
        case .supervised: add(History.supervise(hazardId, deadline: deadline.description), by: History.department)
        case .extended: add(History.extend(hazardId, to: deadline.description), by: History.department)
        case .rectified: add(History.rectify(hazardId, on: today.description), by: History.town)
        case .verifiedPassed: add(History.verify(hazardId, .passed), by: History.verifier)
        case .verifiedFailed: add(History.verify(hazardId, .failed), by: History.verifier)
        case .closed: add(History.close(hazardId), by: History.department)
        case .reopened: add(History.reopen(hazardId, deadline: deadline.description), by: History.department)
        case .withdrawn: add(History.withdraw(hazardId), by: History.department)
        }
    }

    private mutating func add(_ body: EventBody, by actor: Actor) {
        let time = ShanghaiDateTime(date: today, hour: 10, minute: 0, second: 0) ?? ShanghaiDateTime(microseconds: 0)
        let event = Event(eventId: "\(hazardId)-\(events.count)", occurredAt: time, actor: actor, body: body)
        if !events.isEmpty { record.apply(event) }
        events.append(event)
    }
}

/// A small seeded generator (xorshift64*), so that the random lives repeat.
private struct Xorshift: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }
    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
}

extension EventStore {
    /// The rules an append of `events` breaks (empty when accepted).
    fileprivate func refusals(_ events: [Event]) throws -> [WorkflowViolation.Rule] {
        do throws(StoreError) {
            _ = try append(events.map { Input(event: $0) })
            return []
        } catch {
            guard case .refused(let violations) = error else { throw error }
            return violations.map(\.rule)
        }
    }
}
