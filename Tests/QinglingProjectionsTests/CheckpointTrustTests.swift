import Foundation
import QinglingEvents
import QinglingLog
@testable import QinglingProjections
import QinglingSampleData
import QinglingWorkflow
import Testing

/// A checkpoint may be forged (its SHA-256 fixed after an edit) or outlive events removed from
/// the log: `verify` finds the first, and the second is an error, never silently replaced.
@Suite struct CheckpointTrustTests {
    /// A generated log of 2023–2026 (a segment per year) in a fresh directory, and its checkpoint
    /// saved by a first load.
    private final class Log {
        let directory = NSTemporaryDirectory() + "qingling-checkpoint-trust-\(UUID().uuidString)"
        var checkpoint: String { ProjectionStore.checkpointPath(forLog: directory) }

        init() throws {
            let events = LinxiangGenerator(seed: 21, hazardsPerYear: 12, until: day("2026-11-20")).events()
            let clock = SimulatedClock(microseconds: events[0].occurredAt.microseconds)
            let writer = try EventStore(appendingTo: directory, reference: .linxiang, options: LogOptions(clock: clock))
            // A batch per month: recorded times follow business time, so the segments roll at each year.
            var start = 0
            while start < events.count {
                let month = events[start].occurredAt.date.components.month
                var end = start
                while end < events.count, events[end].occurredAt.date.components.month == month { end += 1 }
                clock.set(microseconds: events[end - 1].occurredAt.microseconds + 600_000_000)
                _ = try writer.append(events[start..<end].map { EventStore.Input(event: $0) })
                start = end
            }
            try writer.close()
            _ = try ProjectionStore.load(try EventStore(readingFrom: directory))
        }

        func store() throws -> EventStore { try EventStore(readingFrom: directory) }

        deinit { try? FileManager.default.removeItem(atPath: directory) }
    }

    @Test func aCheckpointCoveringMoreEventsThanTheLogIsAnErrorNamingBothCounts() throws {
        let log = try Log()
        let covered = try ProjectionCheckpoint.coveredEvents(Array(try Data(contentsOf: URL(fileURLWithPath: log.checkpoint))))
        let layout = LogLayout(directory: log.directory)
        let last = try #require(try LogReader(directory: log.directory).segments().last)
        #expect(last.year == 2026)
        try FileManager.default.removeItem(atPath: layout.segment(last))
        try? FileManager.default.removeItem(atPath: layout.index(last))
        // The segment before it ends with the sync mark that says the log went on: a thorough
        // remover cuts that too, so that only the checkpoint tells.
        let before = try #require(try LogReader(directory: log.directory).segments().last)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: layout.segment(before)))
        try handle.truncate(atOffset: try handle.seekToEnd() - UInt64(SyncMark.size))
        try handle.close()
        let remaining = try log.store().reader.nextSequence()
        #expect(remaining > 0 && remaining < covered)
        let saved = try Data(contentsOf: URL(fileURLWithPath: log.checkpoint))

        let expected = ProjectionError.checkpoint(.coversMoreThanTheLog(path: log.checkpoint, checkpointEvents: covered, logEvents: remaining))
        #expect(throws: expected) { try ProjectionStore.load(try log.store()) }
        #expect(throws: expected, "a rebuild would replace the evidence") { try ProjectionStore.load(try log.store(), rebuild: true) }
        #expect(throws: expected) { try CheckpointAudit.run(try log.store()) }
        #expect(expected.description.contains("covers \(covered) events but the log holds \(remaining)"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: log.checkpoint)) == saved)
        // A rebuild that saves nothing replaces nothing.
        let (rebuilt, _) = try ProjectionStore.load(try log.store(), rebuild: true, save: false)
        #expect(rebuilt.nextSequence == remaining)
    }

    @Test func verifyFindsAForgedCheckpointAndNamesTheFiguresItChanges() throws {
        let log = try Log()
        #expect(try CheckpointAudit.run(try log.store()) == .matches(coveredEvents: try log.store().reader.nextSequence()))

        // The forger folds a history with one verification turned from passed to failed and one
        // fine raised by 1 fen, keeps the tie to the log's last event, and writes the checkpoint
        // with its SHA-256 right.
        var events: [StoredEvent] = []
        try log.store().forEachEvent { stored, _ in events.append(stored) }
        let verification = try #require(events.dropLast().firstIndex {
            if case .hazardVerified(let verified) = $0.event.body { return verified.outcome == .passed }
            return false
        })
        let fine = try #require(events.dropLast().firstIndex {
            if case .penaltyImposed(let penalty) = $0.event.body { return penalty.kind == .fine }
            return false
        })
        guard case .hazardVerified(var verified) = events[verification].event.body,
              case .penaltyImposed(var penalty) = events[fine].event.body
        else { Issue.record("not the events looked for"); return }
        verified.outcome = .failed
        events[verification].event.body = .hazardVerified(verified)
        penalty.amountFen += 1
        events[fine].event.body = .penaltyImposed(penalty)
        var forged = ProjectionState()
        for event in events { try forged.apply(event) }
        try Data(ProjectionCheckpoint.encode(forged)).write(to: URL(fileURLWithPath: log.checkpoint))

        // The commands take it: it is intact and tied to the log's last event.
        let (used, report) = try ProjectionStore.load(try log.store(), save: false)
        #expect(report.checkpointCovered == UInt64(events.count) && report.discarded == nil)
        #expect(used == forged)

        let penaltyEvent = events[fine].event
        // The checkpoint covers the whole log, so the clearance figures it keeps for calendar
        // periods are compared too: those of every period whose statistics the forgery changes
        // (found by the walk over the timelines).
        let (truth, _) = try ProjectionStore.load(try log.store(), rebuild: true, save: false)
        let changed = CalendarFiguresTests.periods(2023...2026).filter { period in
            let figures = { (state: ProjectionState) in
                ClearanceStatistics(state, period: period, grouping: .regionAndIndustry, knowledge: .everything, reference: .linxiang)
            }
            return figures(forged).rows != figures(truth).rows
        }.map(\.name).sorted()
        #expect(changed.contains(String(events[verification].event.occurredAt.date.components.year)))
        let expected: [ProjectionDifference] = [
            .hazard(id: verified.hazardId),
            .penalties(department: penaltyEvent.actor.organization.id, quarter: Quarter(containing: penaltyEvent.occurredAt.date), kind: .fine),
        ] + changed.map { .keptClearanceFigures(period: $0) }
        #expect(try CheckpointAudit.run(try log.store()) == .differs(coveredEvents: UInt64(events.count), differences: expected))
    }

    @Test func differencesCompareNamesAsTextHoweverTheyAreNumbered() throws {
        let events = generatedHistory(seed: 4, hazardsPerYear: 6)
        var state = ProjectionState()
        for event in events { try state.apply(event) }
        // The same state with its names interned in the opposite order: not equal, no difference.
        let names = state.internedNames
        func renumbered(_ index: Int32) -> Int32 { Int32(names.count - 1) - index }
        let hazards = state.hazards.map { hazard in
            var moved = hazard
            moved.region = renumbered(hazard.region)
            moved.industry = renumbered(hazard.industry)
            moved.leadDepartment = hazard.leadDepartment.map(renumbered)
            moved.enterprisePrincipal = hazard.enterprisePrincipal.map { .init(name: renumbered($0.name), person: $0.person) }
            moved.departmentOfficer = hazard.departmentOfficer.map { .init(name: renumbered($0.name), person: $0.person) }
            return moved
        }
        var reversed = KeyNumbering()
        for name in names.reversed() {
            var name = name
            _ = try name.withUTF8 { bytes in Result { () throws(EngineError) in try reversed.number(HashedKey(UnsafeRawBufferPointer(bytes))) } }.get()
        }
        let renamed = ProjectionState(
            nextSequence: state.nextSequence, lastEventHash: state.lastEventHash, lastRecordedAt: state.lastRecordedAt,
            latestBusinessDate: state.latestBusinessDate, names: reversed, partyNumbering: state.partyNumbering, hazards: hazards,
            hazardNumbering: state.hazardNumbering, personLinks: state.personLinks, organizationLinks: state.organizationLinks,
            penalties: state.penalties, tipOffs: state.tipOffs)
        #expect(renamed != state)
        #expect(renamed.differences(from: state).isEmpty)
        // One event fewer: its hazard (and whatever else it touched) differs.
        var shorter = ProjectionState()
        for event in events.dropLast(1) { try shorter.apply(event) }
        #expect(!shorter.differences(from: state).isEmpty)
    }
}
