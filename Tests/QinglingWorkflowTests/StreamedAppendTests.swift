import Foundation
import Testing
import QinglingEvents
import QinglingLog
import QinglingSampleData
@testable import QinglingWorkflow

/// An append larger than a log batch, checked event by event as it is read (`EventStore.check`),
/// gives the same log as the same events appended in pieces.
@Suite struct StreamedAppendTests {
    /// About 12,800 events: more than one log batch holds (`EventStore.batches`, 10,000).
    static let events = LinxiangGenerator(seed: 11, hazardsPerYear: 1_100, years: 2024...2025).events()

    @Test func oneAppendLargerThanABatchGivesTheLogOfAppendsInPieces() throws {
        try #require(Self.events.count > 10_000)
        let whole = TemporaryLog(), pieces = TemporaryLog()
        let report = try whole.store().append(Self.events.enumerated().map { EventStore.Input(line: $0.offset + 1, event: $0.element) })
        #expect(report.written == 0..<UInt64(Self.events.count))

        let store = try pieces.store()
        let sizes = [1, 7, 499, 3_001, 10_000]
        var start = 0, piece = 0
        while start < Self.events.count {
            let end = min(start + sizes[piece % sizes.count], Self.events.count)
            piece += 1
            var append = try store.beginAppend()
            for event in Self.events[start..<end] { try store.check(EventStore.Input(event: event), in: &append) }
            #expect(try store.finish(append).written == UInt64(start)..<UInt64(end))
            start = end
        }
        try store.close()

        let a = try EventStore(readingFrom: whole.path).reader.readAll(), b = try EventStore(readingFrom: pieces.path).reader.readAll()
        #expect(a.count == Self.events.count)
        #expect(a.map(\.sequence) == b.map(\.sequence))
        #expect(a.map(\.payload) == b.map(\.payload))
        #expect(a.map(\.keys) == b.map(\.keys))
    }

    /// A spooled append (`beginAppend(spooled:)`, as `qingling append` makes) writes the log an
    /// append held in memory writes, and reports the same outcomes.
    @Test func aSpooledAppendGivesTheLogOfTheAppendHeldInMemory() throws {
        let inMemory = TemporaryLog(), spooled = TemporaryLog()
        let inputs = Self.events.enumerated().map { EventStore.Input(line: $0.offset + 1, event: $0.element) }
        let expected = try inMemory.store().append(inputs)

        let store = try spooled.store()
        let report = try store.append(inputs, spooled: true)
        try store.close()
        #expect(report.outcomes == expected.outcomes)
        #expect(report.written == expected.written)
        #expect(report.records.isEmpty && expected.records.count == inputs.count, "a spooled append does not hand its records back")

        let a = try EventStore(readingFrom: inMemory.path).reader.readAll(), b = try EventStore(readingFrom: spooled.path).reader.readAll()
        #expect(a.count == inputs.count)
        #expect(a.map(\.sequence) == b.map(\.sequence))
        #expect(a.map(\.payload) == b.map(\.payload))
        #expect(a.map(\.keys) == b.map(\.keys))
        #expect(try LogReader(directory: spooled.path).verify().passed)
    }

    /// A refused spooled append writes nothing, and a dry run spools nothing.
    @Test func aRefusedOrDryRunSpooledAppendWritesNothing() throws {
        let log = TemporaryLog()
        let store = try log.store()
        var append = try store.beginAppend(spooled: true)
        for event in Self.events.prefix(500) { try store.check(EventStore.Input(event: event), in: &append) }
        var again = try #require(Self.events.first { $0.type == .hazardReported })
        again.eventId = "again"
        try store.check(EventStore.Input(line: 501, event: again), in: &append)
        do {
            _ = try store.finish(append)
            Issue.record("a refused append was written")
        } catch {
            guard case .refused(let refused) = error else { throw error }
            #expect(refused.map(\.line) == [501])
        }

        var dryRun = try store.beginAppend(dryRun: true, spooled: true)
        #expect(dryRun.spool == nil)
        for event in Self.events.prefix(500) { try store.check(EventStore.Input(event: event), in: &dryRun) }
        #expect(dryRun.records.isEmpty && dryRun.recordCount == 500)
        #expect(try store.finish(dryRun).outcomes.allSatisfy { $0 == .valid })
        try store.close()
        #expect(try EventStore(readingFrom: log.path).reader.readAll().isEmpty)
    }

    @Test func aRefusalInTheMiddleOfALargeAppendWritesNothingAndEveryRefusalIsListed() throws {
        let log = TemporaryLog()
        var inputs = Self.events.enumerated().map { EventStore.Input(line: $0.offset + 1, event: $0.element) }
        let report = try #require(Self.events.first { $0.type == .hazardReported })
        // The same report again under a new event id (the hazard exists), twice, far apart.
        for position in [5_000, 11_000] {
            var again = report
            again.eventId = "again-\(position)"
            inputs.insert(EventStore.Input(line: position + 1, event: again), at: position)
        }
        let store = try log.store()
        let violations: [WorkflowViolation]
        do {
            _ = try store.append(inputs)
            violations = []
        } catch {
            guard case .refused(let refused) = error else { throw error }
            violations = refused
        }
        #expect(violations.map(\.line) == [5_001, 11_001])
        #expect(violations.map(\.rule) == [.hazardExists(report.body.hazardId ?? ""), .hazardExists(report.body.hazardId ?? "")])
        try store.close()
        #expect(try EventStore(readingFrom: log.path).reader.readAll().isEmpty)
    }
}
