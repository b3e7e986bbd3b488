import Foundation
import Testing
import QinglingEvents
import QinglingLog
import QinglingSampleData
import QinglingWorkflow
@testable import QinglingProjections

/// A rebuild folds on two threads (`ProjectionState.foldLog`): the reading thread numbers the
/// hazards and parties, the calling thread folds the rest. It must equal folding every event one by one,
/// and stop with the first event in log order that cannot be folded, whichever thread finds it.
@Suite struct ReplayTests {
    private final class Directory {
        let path = NSTemporaryDirectory() + "qingling-replay-\(UUID().uuidString)"
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    /// A log of generated events (more than eight of the replay's chunks of 1,024).
    private func writeLog(_ directory: Directory) throws -> [Event] {
        let events = LinxiangGenerator(seed: 3, hazardsPerYear: 450, until: day("2026-11-20")).events()
        let store = try EventStore(appendingTo: directory.path, reference: .linxiang,
                                   options: LogOptions(clock: SimulatedClock(microseconds: ShanghaiTime.startOfYear(2027))))
        _ = try store.append(events.map { EventStore.Input(event: $0) })
        try store.close()
        return events
    }

    /// Appends raw records after the events, as a faulty writer could.
    private func appendRecords(_ payloads: [[UInt8]], to directory: Directory) throws {
        let writer = try LogWriter(directory: directory.path, options: LogOptions(clock: SimulatedClock(microseconds: ShanghaiTime.startOfYear(2027))))
        for payload in payloads { try writer.append([Record(payload: payload)]) }
        try writer.close()
    }

    @Test func aRebuildEqualsFoldingEveryEventOneByOne() throws {
        let directory = Directory()
        let events = try writeLog(directory)
        #expect(events.count > 2 * 4_096)
        let store = try EventStore(readingFrom: directory.path)
        var expected = ProjectionState()
        try store.forEachEvent { stored, _ throws(StoreError) in
            do throws(EventDecodingError) { try expected.apply(stored) } catch { throw .undecodable(sequence: stored.sequence, error) }
        }
        let (rebuilt, report) = try ProjectionStore.load(store, rebuild: true, save: false)
        #expect(report.applied == events.count)
        #expect(rebuilt == expected)
        #expect(rebuilt.hazards.count > 1_000)
    }

    /// A hazard report whose region is not UTF-8: the reading thread accepts it (it reads only
    /// the hazard id), the fold refuses it when it builds the region's name.
    private func reportWithBadRegion(_ template: Event) throws -> [UInt8] {
        guard case .hazardReported(var report) = template.body else { throw FixtureProblem.notAReport }
        report.hazardId = "LX-2099-0001"
        report.region = "@@@@"
        return try badBytes(in: .hazardReported(report), of: template)
    }

    /// A copy of the report `template` of a new hazard whose id is not UTF-8.
    private func reportWithBadHazardId(_ template: Event) throws -> [UInt8] {
        guard case .hazardReported(var report) = template.body else { throw FixtureProblem.notAReport }
        report.hazardId = "LX-@@@@"
        return try badBytes(in: .hazardReported(report), of: template)
    }

    /// `template` with `body`, stored, its "@@@@" replaced by bytes that are not UTF-8.
    private func badBytes(in body: EventBody, of template: Event) throws -> [UInt8] {
        var event = template
        event.eventId = "bad-bytes"
        event.body = body
        var bytes = EventBinaryCodec.encode(event)
        guard let at = (0..<bytes.count - 3).first(where: { bytes[$0..<$0 + 4].allSatisfy { $0 == UInt8(ascii: "@") } }) else {
            throw FixtureProblem.markerNotFound
        }
        bytes.replaceSubrange(at..<at + 4, with: [0xFF, 0xFE, 0xFF, 0xFE])
        return bytes
    }

    /// A copy of the lifecycle event `template` whose actor's person id is not UTF-8: the reading
    /// thread refuses it when it numbers the new person.
    private func lifecycleWithBadActor(_ template: Event) throws -> [UInt8] {
        var event = template
        event.eventId = "bad-actor"
        event.actor.person.id = "@@@@"
        var bytes = EventBinaryCodec.encode(event)
        guard let at = (0..<bytes.count - 3).first(where: { bytes[$0..<$0 + 4].allSatisfy { $0 == UInt8(ascii: "@") } }) else {
            throw FixtureProblem.markerNotFound
        }
        bytes.replaceSubrange(at..<at + 4, with: [0xFF, 0xFE, 0xFF, 0xFE])
        return bytes
    }

    /// Why a fixture could not be made from the sample log.
    private enum FixtureProblem: Error {
        /// The template is not a hazard report.
        case notAReport
        /// The bytes "@@@@" the fixture replaces are not in the stored event.
        case markerNotFound
    }

    /// Rebuilds the log in `directory`; the sequence and cause of the error it stops with.
    private func rebuildError(_ directory: Directory) throws -> (sequence: UInt64, cause: EventDecodingError)? {
        do {
            _ = try ProjectionStore.load(try EventStore(readingFrom: directory.path), rebuild: true, save: false)
            return nil
        } catch ProjectionError.store(.undecodable(let sequence, let cause)) {
            return (sequence, cause)
        }
    }

    @Test func aPartyIdThatIsNotUTF8IsReportedOnlyWhenNoEarlierEventFails() throws {
        let directory = Directory(), later = Directory()
        let events = try writeLog(directory)
        _ = try writeLog(later)
        let report = try #require(events.first { $0.type == .hazardReported })
        let rectified = try #require(events.first { $0.type == .hazardRectified })
        // In one chunk: the bad name folded behind, the bad party id numbered ahead.
        try appendRecords([try reportWithBadRegion(report), try lifecycleWithBadActor(rectified)], to: directory)
        let nameFirst = try #require(try rebuildError(directory))
        #expect(nameFirst.sequence == UInt64(events.count))
        #expect(nameFirst.cause == .notUTF8(.name, at: nil))
        try appendRecords([try lifecycleWithBadActor(rectified), try reportWithBadRegion(report)], to: later)
        let partyFirst = try #require(try rebuildError(later))
        #expect(partyFirst.sequence == UInt64(events.count))
        #expect(partyFirst.cause == .notUTF8(.partyId, at: nil))
    }

    @Test func aRecordThatIsNotAnEventStopsTheRebuildNamingIt() throws {
        let directory = Directory()
        let events = try writeLog(directory)
        try appendRecords([[EventBinaryCodec.version, 0xEE, 1, 2, 3], EventBinaryCodec.encode(events[0])], to: directory)
        #expect {
            try ProjectionStore.load(try EventStore(readingFrom: directory.path), rebuild: true, save: false)
        } throws: { error in
            guard case ProjectionError.store(.undecodable(let sequence, _)) = error else { return false }
            return sequence == UInt64(events.count)
        }
    }

    @Test func aNameThatIsNotUTF8StopsTheRebuildNamingItsEvent() throws {
        let directory = Directory()
        let events = try writeLog(directory)
        let template = try #require(events.first { $0.type == .hazardReported })
        // The bad name first, then a record the reading thread refuses: the earlier is reported.
        try appendRecords([try reportWithBadRegion(template), [EventBinaryCodec.version, 0xEE]], to: directory)
        #expect {
            try ProjectionStore.load(try EventStore(readingFrom: directory.path), rebuild: true, save: false)
        } throws: { error in
            guard case ProjectionError.store(.undecodable(let sequence, let cause)) = error else { return false }
            return sequence == UInt64(events.count) && cause == .notUTF8(.name, at: nil)
        }
    }

    /// A hazard's id is kept only as the key of its look-up table, checked as UTF-8 when the
    /// hazard is reported; the same on the single-event path.
    @Test func aHazardIdThatIsNotUTF8StopsTheRebuildNamingItsEvent() throws {
        let directory = Directory()
        let events = try writeLog(directory)
        let template = try #require(events.first { $0.type == .hazardReported })
        let bad = try reportWithBadHazardId(template)
        try appendRecords([bad], to: directory)
        let error = try #require(try rebuildError(directory))
        #expect(error.sequence == UInt64(events.count))
        guard case .notUTF8(.hazardId, let offset?) = error.cause else { Issue.record("\(error.cause)"); return }
        #expect(bad[offset..<offset + 3].elementsEqual("LX-".utf8), "the offset names where the id starts")
        var state = ProjectionState()
        #expect(throws: EventDecodingError.self) {
            try bad.withUnsafeBytes { try state.fold($0, sequence: 0, recordedAt: 0) }
        }
    }

    @Test func anEventsErrorIsReportedBeforeTheDamageOfALaterSegment() throws {
        let directory = Directory()
        let events = try writeLog(directory)
        let template = try #require(events.first { $0.type == .hazardReported })
        try appendRecords([try reportWithBadRegion(template)], to: directory)
        // A new year starts a new segment: a batch damaged on disk there, then a sound one.
        let writer = try LogWriter(directory: directory.path, options: LogOptions(clock: SimulatedClock(microseconds: ShanghaiTime.startOfYear(2028))))
        let segments = directory.path + "/segments"
        func newest() throws -> String { segments + "/" + (try #require(try FileManager.default.contentsOfDirectory(atPath: segments).sorted().last)) }
        try writer.append([Record(payload: EventBinaryCodec.encode(events[1]))])
        let damagedEnd = try #require(try FileManager.default.attributesOfItem(atPath: try newest())[.size] as? Int)
        try writer.append([Record(payload: EventBinaryCodec.encode(events[2]))])
        try writer.close()
        let path = try newest()
        #expect(path.contains("2028"))
        // And a sound last segment, so that finding where the log ends does not meet the damage.
        let last = try LogWriter(directory: directory.path, options: LogOptions(clock: SimulatedClock(microseconds: ShanghaiTime.startOfYear(2029))))
        try last.append([Record(payload: EventBinaryCodec.encode(events[3]))])
        try last.close()
        var bytes = try #require(FileManager.default.contents(atPath: path))
        bytes[damagedEnd - 8] ^= 0x20
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(throws: LogError.self, "the damage is there") { try LogReader(directory: directory.path).readAll() }
        #expect {
            try ProjectionStore.load(try EventStore(readingFrom: directory.path), rebuild: true, save: false)
        } throws: { error in
            guard case ProjectionError.store(.undecodable(let sequence, let cause)) = error else { return false }
            return sequence == UInt64(events.count) && cause == .notUTF8(.name, at: nil)
        }
    }

    /// A step keeps no sequence (the recorded time orders steps as the log does): an event at
    /// any sequence folds, and its state saves and reads back.
    @Test func anEventAtAnySequenceFolds() throws {
        var history = History()
        history.add("2024-03-01", History.town, History.report("A", discovered: "2024-03-01"))
        let bytes = EventBinaryCodec.encode(history.events[0].event)
        var state = ProjectionState()
        let sequence: UInt64 = 1 << 50
        try bytes.withUnsafeBytes { try state.fold($0, sequence: sequence, recordedAt: 1) }
        #expect(state.nextSequence == sequence + 1)
        #expect(state.hazards.first?.report.recordedAt == 1)
        #expect(try ProjectionCheckpoint.decode(ProjectionCheckpoint.encode(state)) == state)
    }

    /// A department's penalties of a quarter and kind add up under the name its first one gave.
    @Test func penaltiesAddUpUnderTheNameTheFirstGave() throws {
        let renamed = Actor(organization: OrganizationRef(kind: .department, id: "lx-yjj", name: "临湘市应急管理局（新）"),
                            person: History.department.person)
        var history = History()
        history.add("2024-03-01", History.penalty(fen: 100))
        history.add("2024-03-02", renamed, History.penalty(fen: 20))
        history.add("2024-04-01", renamed, History.penalty(fen: 3))
        var state = ProjectionState()
        for stored in history.events { try state.apply(stored) }
        let first = try #require(state.penalties[PenaltyKey(department: "lx-yjj", quarter: Quarter(containing: day("2024-03-01")), kind: .fine)])
        #expect(first.departmentName == "临湘市应急管理局" && first.count == 2 && first.amountFen == 120)
        let next = try #require(state.penalties[PenaltyKey(department: "lx-yjj", quarter: Quarter(containing: day("2024-04-01")), kind: .fine)])
        #expect(next.departmentName == "临湘市应急管理局（新）" && next.count == 1 && next.amountFen == 3)
    }

    /// Fines or rewards adding up past what 64 bits of fen hold (only a crafted log: 9.2 × 10^18
    /// fen) are an error of the event that overflows, not a crash.
    @Test func moneyThatOverflowsItsTotalIsAnError() {
        var history = History()
        history.add("2024-03-01", History.penalty(fen: Int64.max / 2 + 1))
        history.add("2024-03-02", History.penalty(fen: Int64.max / 2 + 1))
        var state = ProjectionState()
        #expect(throws: Never.self) { try state.apply(history.events[0]) }
        #expect(throws: EventDecodingError.fenOverflow(.penalties(of: "临湘市应急管理局"), total: Int64.max / 2 + 1, adding: Int64.max / 2 + 1)) {
            try state.apply(history.events[1])
        }
        var rewards = History()
        for _ in 0..<2 { rewards.add("2024-03-03", .rewardPaid(RewardPaid(tipOffId: "JB-2024-001", amountFen: Int64.max / 2 + 1))) }
        state = ProjectionState()
        #expect(throws: Never.self) { try state.apply(rewards.events[0]) }
        #expect(throws: EventDecodingError.fenOverflow(.rewards(forTipOff: "JB-2024-001"), total: Int64.max / 2 + 1, adding: Int64.max / 2 + 1)) {
            try state.apply(rewards.events[1])
        }
    }

    /// Two departments' totals that each fit but together do not: the summary's total is an
    /// error, its rows are still there.
    @Test func aSummaryTotalThatOverflowsIsAnError() throws {
        var history = History()
        history.add("2024-03-01", History.penalty(fen: Int64.max / 2 + 1))
        history.add("2024-03-02", History.committee, History.penalty(fen: Int64.max / 2 + 1))
        let summary = PenaltySummary(history.state, reference: .linxiang)
        #expect(summary.rows.count == 2)
        #expect(throws: SummaryTotalOverflow(listed: .penalties, total: Int64.max / 2 + 1, adding: Int64.max / 2 + 1)) { try summary.amountFen }
        let fitting = PenaltySummary(history.state, department: "lx-aqw", reference: .linxiang)
        #expect(try fitting.amountFen == Int64.max / 2 + 1)
    }
}
