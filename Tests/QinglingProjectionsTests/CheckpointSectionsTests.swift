import Foundation
import QinglingEvents
import QinglingLog
@testable import QinglingProjections
import QinglingSampleData
import QinglingTestSupport
import QinglingWorkflow
import Testing

/// A checkpoint read in part: each query answers from the sections it declares it needs as it
/// does from the whole state, also after newer events are folded into them; sections not needed
/// are neither read nor checked; a state read in part is never saved.
@Suite struct CheckpointSectionsTests {
    static let events = generatedHistory(seed: 7, hazardsPerYear: 10)
    static let whole: ProjectionState = {
        var state = ProjectionState()
        for event in events { try? state.apply(event) }
        return state
    }()
    static let date = day("2026-10-01")

    /// Each query's answer, written out, with the parts it declares it needs.
    static let queries: [(name: String, needs: ProjectionParts, answer: @Sendable (ProjectionState) -> String)] = [
        ("stats", ClearanceStatistics.needs, { state in
            ClearanceGrouping.allCases.map { grouping in
                let statistics = ClearanceStatistics(state, period: .year(2025), grouping: grouping, reference: .linxiang)
                return "\(statistics.rows) \(statistics.total)"
            }.joined()
        }),
        ("overdue", OverdueAlerts.needs, { state in
            let alerts = OverdueAlerts(state, on: date)
            return "\(alerts.overdue) \(alerts.unsupervised) \(alerts.awaitingVerification) \(alerts.dueSoon)"
        }),
        ("targets", PlanTargets.needs, { state in "\(PlanTargets(state, on: date).checks)" }),
        ("ranking", QuarterlyRanking.needs, { state in
            let ranking = QuarterlyRanking(state, quarter: Quarter(year: 2025, number: 4), reference: .linxiang)
            return "\(ranking.entries) \(ranking.departments)"
        }),
        ("penalties", PenaltySummary.needs, { state in "\(PenaltySummary(state, reference: .linxiang).rows)" }),
        ("rewards", RewardSummary.needs, { state in "\(RewardSummary(state).tipOffs)" }),
    ]

    /// Whether `state`'s timelines are `whole`'s: equal when it holds the persons; without them,
    /// equal but for the numbers of the persons named after its checkpoint, which it does not
    /// hold (`Responsible.notHeld`).
    static func sameTimelines(_ state: ProjectionState, _ whole: ProjectionState) -> Bool {
        guard !state.parts.contains(.persons) else { return state.hazards == whole.hazards }
        func same(_ a: HazardTimeline.Responsible?, _ b: HazardTimeline.Responsible?) -> Bool {
            a?.name == b?.name && (a?.person == b?.person || a?.person == HazardTimeline.Responsible.notHeld)
        }
        return state.hazards.count == whole.hazards.count && zip(state.hazards, whole.hazards).allSatisfy { a, b in
            a.steps == b.steps && a.report == b.report && a.region == b.region && a.industry == b.industry && a.discoveredOn == b.discoveredOn
                && a.leadDepartment == b.leadDepartment && same(a.enterprisePrincipal, b.enterprisePrincipal)
                && same(a.departmentOfficer, b.departmentOfficer)
        }
    }

    /// Where each section lies in `bytes` (lengths from the preamble, in the sections' order).
    static func ranges(_ bytes: [UInt8]) -> [CheckpointSection: Range<Int>] {
        var start = ProjectionCheckpoint.preambleSize
        var ranges: [CheckpointSection: Range<Int>] = [:]
        for section in CheckpointSection.allCases {
            let at = 6 + section.rawValue * 16
            let length = Int((0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) })
            ranges[section] = start..<start + length
            start += length
        }
        #expect(start == bytes.count)
        return ranges
    }

    @Test func eachQueryAnswersFromTheSectionsItNeedsAsFromTheWholeState() throws {
        let bytes = ProjectionCheckpoint.encode(Self.whole)
        #expect(!Self.whole.hazards.isEmpty && !Self.whole.penalties.isEmpty && !Self.whole.tipOffs.isEmpty)
        for query in Self.queries {
            let partial = try ProjectionCheckpoint.decode(bytes, parts: query.needs)
            #expect(partial.parts == query.needs, "\(query.name)")
            #expect(partial.hazards == Self.whole.hazards && partial.nextSequence == Self.whole.nextSequence)
            #expect(query.answer(partial) == query.answer(Self.whole), "\(query.name)")
        }
        // Read with no part: the timelines and names alone (a query reading a part it did not
        // declare stops the program: `aQueryGivenAStateWithoutWhatItNeedsStopsTheProgram`).
        let bare = try ProjectionCheckpoint.decode(bytes, parts: [])
        #expect(bare.parts == [] && bare.hazards == Self.whole.hazards && bare.internedNames == Self.whole.internedNames)
        #expect(try ProjectionCheckpoint.decode(bytes) == Self.whole)
        // Party links bring the persons they are numbered by.
        #expect(try ProjectionCheckpoint.decode(bytes, parts: [.partyLinks]).parts == [.partyLinks, .persons])
    }

    @Test func eachQueryAnswersAfterEventsFoldedIntoTheSectionsItNeedsAsFromTheWholeState() throws {
        let half = Self.events.count / 2
        var earlier = ProjectionState()
        for event in Self.events[..<half] { try earlier.apply(event) }
        let bytes = ProjectionCheckpoint.encode(earlier)
        for query in Self.queries {
            var partial = try ProjectionCheckpoint.decode(bytes, parts: query.needs.union(.foldable))
            for event in Self.events[half...] { try partial.apply(event) }
            #expect(partial.parts.isSuperset(of: query.needs.union(.foldable)), "\(query.name)")
            #expect(Self.sameTimelines(partial, Self.whole) && partial.internedNames == Self.whole.internedNames, "\(query.name)")
            #expect(partial.nextSequence == Self.whole.nextSequence && partial.lastEventHash == Self.whole.lastEventHash)
            #expect(query.answer(partial) == query.answer(Self.whole), "\(query.name)")
        }
        // The parts left out stay as read: nothing is linked or summed into them.
        var bare = try ProjectionCheckpoint.decode(bytes, parts: .foldable)
        for event in Self.events[half...] { try bare.apply(event) }
        #expect(bare.personLinks.linkCount == 0 && bare.organizationLinks.linkCount == 0)
        #expect(Self.whole.personLinks.linkCount > earlier.personLinks.linkCount)
    }

    @Test func aQueryGivenAStateWithoutWhatItNeedsStopsTheProgram() async throws {
        // In a process of its own: a fault of the program is not an answer, empty or otherwise.
        await #expect(processExitsWith: .failure) {
            let bare = try ProjectionCheckpoint.decode(ProjectionCheckpoint.encode(CheckpointSectionsTests.whole), parts: [])
            _ = OverdueAlerts(bare, on: CheckpointSectionsTests.date)
        }
        await #expect(processExitsWith: .failure) {
            // Without the hazards' ids an event cannot find its hazard.
            var bare = try ProjectionCheckpoint.decode(ProjectionCheckpoint.encode(CheckpointSectionsTests.whole), parts: .all.subtracting(.hazardIds))
            try bare.apply(CheckpointSectionsTests.events[0])
        }
        await #expect(processExitsWith: .failure) {
            let partial = try ProjectionCheckpoint.decode(ProjectionCheckpoint.encode(CheckpointSectionsTests.whole), parts: .all.subtracting(.enforcement))
            _ = ProjectionCheckpoint.encode(partial)
        }
        await #expect(processExitsWith: .failure) {
            let bare = try ProjectionCheckpoint.decode(ProjectionCheckpoint.encode(CheckpointSectionsTests.whole), parts: [.hazardIds])
            _ = bare.penalties
        }
        await #expect(processExitsWith: .success) {
            let whole = try ProjectionCheckpoint.decode(ProjectionCheckpoint.encode(CheckpointSectionsTests.whole), parts: .all)
            _ = OverdueAlerts(whole, on: CheckpointSectionsTests.date)
        }
    }

    @Test func timelinesReadInPartsAreThoseWrittenAndTheirFirstDamageIsReported() throws {
        // Enough hazards to be read in parts (`EngineTuning.checkpointPartMinimum`), some with
        // steps beyond those kept inside the entry.
        let count = 3 * EngineTuning.checkpointPartMinimum
        let hazards = (0..<count).map { index in
            var hazard = HazardTimeline(region: Int32(index % 3), industry: 0, discoveredOn: day("2025-01-01"),
                                        report: HazardTimeline.Step(kind: .reported, on: day("2025-01-01"), recordedAt: Int64(index)))
            for step in 0..<(index % 9) {
                hazard.steps.append(HazardTimeline.Step(kind: .extended, on: CalendarDate(daysSinceEpoch: 20_000 + Int32(step)), recordedAt: Int64(step)))
            }
            return hazard
        }
        var out = BinaryWriter()
        HazardTimeline.write(hazards, to: &out)
        func read(_ bytes: [UInt8]) throws(CheckpointDamage) -> [HazardTimeline] {
            var input = CheckpointReader(testing: bytes)
            return try HazardTimeline.read(&input, names: 3, persons: 0)
        }
        #expect(try read(out.bytes) == hazards)

        // The layout: the records' count and records (52 bytes each), the steps' count and steps.
        var reader = BinaryReader(out.bytes)
        _ = try reader.unsigned()
        let records = reader.offset
        func edited(record index: Int, at field: Int, to value: UInt32) -> [UInt8] {
            var bytes = out.bytes
            for byte in 0..<4 { bytes[records + index * 52 + field + byte] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(byte))) }
            return bytes
        }
        // A region beyond the names, late in the last part; another in the first part besides:
        // the first one is reported, as a reading in order would.
        let late = count - 10, early = 10
        #expect(throws: CheckpointDamage.inconsistent(.hazards, at: late, .indexOutOfRange)) { try read(edited(record: late, at: 0, to: 7)) }
        var both = edited(record: late, at: 0, to: 7)
        for byte in 0..<4 { both[records + early * 52 + byte] = 7 >> (8 * byte) & 0xFF }
        #expect(throws: CheckpointDamage.inconsistent(.hazards, at: early, .indexOutOfRange)) { try read(both) }
        // A step count in the first part larger than the steps left: found there, not where the
        // later parts start from the counts before them.
        #expect(throws: CheckpointDamage.inconsistent(.hazards, at: early, .indexOutOfRange)) {
            try read(edited(record: early, at: 48, to: UInt32.max))
        }
        // One step fewer counted: the steps are one too many at the end.
        let steps = (0..<count).reduce(0) { $0 + $1 % 9 }
        #expect(throws: CheckpointDamage.inconsistent(.steps, at: steps - 1, .wrongCount)) {
            try read(edited(record: late, at: 48, to: UInt32(late % 9) - 1))
        }
    }

    @Test func aDamagedSectionIsFoundWhenItIsReadAndOnlyThen() throws {
        let bytes = ProjectionCheckpoint.encode(Self.whole)
        let ranges = Self.ranges(bytes)
        for section in CheckpointSection.allCases where section != .summary {
            guard let range = ranges[section], !range.isEmpty else { Issue.record("\(section) is empty"); continue }
            var damaged = bytes
            damaged[range.lowerBound + range.count / 2] ^= 0x40
            #expect(throws: CheckpointDamage.checksumMismatch(section)) { try ProjectionCheckpoint.decode(damaged) }
            // Read without it: every answer as before.
            for query in Self.queries where !CheckpointSection.needed(for: query.needs).contains(section) {
                let partial = try ProjectionCheckpoint.decode(damaged, parts: query.needs)
                #expect(query.answer(partial) == query.answer(Self.whole), "\(query.name) without \(section)")
            }
        }
        var summary = bytes
        summary[ranges[.summary]?.lowerBound ?? 0] ^= 1
        #expect(throws: CheckpointDamage.checksumMismatch(.summary)) { try ProjectionCheckpoint.decode(summary, parts: []) }
        var preamble = bytes
        preamble[10] ^= 1
        #expect(throws: CheckpointDamage.checksumMismatch(nil)) { try ProjectionCheckpoint.decode(preamble, parts: []) }
        #expect(throws: CheckpointDamage.wrongSize(expected: bytes.count, found: bytes.count - 1)) {
            try ProjectionCheckpoint.decode(Array(bytes.dropLast()), parts: [])
        }
        #expect(throws: CheckpointDamage.wrongSize(expected: bytes.count, found: bytes.count + 1)) {
            try ProjectionCheckpoint.decode(bytes + [0], parts: [])
        }
        // A section's length edited, every checksum fixed: the sections no longer fit the file.
        func length(_ section: CheckpointSection, of bytes: inout [UInt8], plus change: Int) {
            let at = 6 + section.rawValue * 16
            let value = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) } &+ UInt64(bitPattern: Int64(change))
            for index in 0..<8 { bytes[at + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(index))) }
        }
        var longer = bytes
        length(.names, of: &longer, plus: 1)
        #expect(throws: CheckpointDamage.wrongSize(expected: bytes.count + 1, found: bytes.count)) {
            try ProjectionCheckpoint.decode(ChecksumFixer.checkpoint(longer), parts: [])
        }
        // Every length the largest there is: refused, no sum overflows.
        var huge = bytes
        for index in 6..<6 + CheckpointSection.allCases.count * 16 where (index - 6) % 16 < 8 { huge[index] = 0xFF }
        #expect(throws: CheckpointDamage.wrongSize(expected: Int.max, found: bytes.count)) {
            try ProjectionCheckpoint.decode(ChecksumFixer.checkpoint(huge), parts: [])
        }
        // A boundary moved, the size kept and every checksum fixed: the sections read do not.
        var moved = bytes
        length(.names, of: &moved, plus: 1)
        length(.persons, of: &moved, plus: -1)
        #expect(throws: CheckpointDamage.self) { try ProjectionCheckpoint.decode(ChecksumFixer.checkpoint(moved), parts: []) }
        #expect(throws: CheckpointDamage.self) { try ProjectionCheckpoint.decode(ChecksumFixer.checkpoint(moved)) }
        var count = bytes
        count[5] = 8
        #expect(throws: CheckpointDamage.sectionCount(found: 8, expected: CheckpointSection.allCases.count)) {
            try ProjectionCheckpoint.decode(count, parts: [])
        }
        #expect(throws: CheckpointDamage.wrongSize(expected: ProjectionCheckpoint.preambleSize, found: 100)) {
            try ProjectionCheckpoint.decode(Array(bytes.prefix(100)), parts: [])
        }
        var version = bytes
        version[4] = 8
        #expect(throws: CheckpointDamage.formatVersion(found: 8, expected: ProjectionCheckpoint.formatVersion)) {
            try ProjectionCheckpoint.decode(version, parts: [])
        }
    }

    @Test func theStoreReadsInPartUnlessItWillSave() throws {
        let log = try GeneratedLog(seed: 12, hazardsPerYear: 10)
        let events = log.events, half = events.count / 2
        try log.append(events[..<half])
        let (whole, first) = try ProjectionStore.load(try log.store())
        #expect(first.saved && whole.parts == .all)

        let (current, report) = try ProjectionStore.load(try log.store(), parts: OverdueAlerts.needs)
        #expect(report.checkpointCovered == UInt64(half) && report.applied == 0 && !report.saved)
        #expect(current.parts == OverdueAlerts.needs && current.hazards == whole.hazards)
        #expect("\(OverdueAlerts(current, on: Self.date).overdue)" == "\(OverdueAlerts(whole, on: Self.date).overdue)")
        // Asked to save after any number of events: a state read in part is not saved.
        let (_, eager) = try ProjectionStore.load(try log.store(), parts: [], refreshAfter: 0)
        #expect(eager.applied == 0 && !eager.saved && eager.saveFailure == nil)

        // Behind the log by fewer events than make a new checkpoint: read with the hazards' ids,
        // the newer events folded in, the answer a rebuild's; nothing saved.
        try log.append(events[half...])
        let (rebuilt, _) = try ProjectionStore.load(try log.store(), rebuild: true, save: false)
        let (caughtUp, behind) = try ProjectionStore.load(try log.store(), parts: OverdueAlerts.needs, refreshAfter: events.count)
        #expect(behind.checkpointCovered == UInt64(half) && behind.applied == events.count - half && !behind.saved)
        #expect(caughtUp.parts == OverdueAlerts.needs && Self.sameTimelines(caughtUp, rebuilt))
        #expect("\(OverdueAlerts(caughtUp, on: Self.date).overdue)" == "\(OverdueAlerts(rebuilt, on: Self.date).overdue)")
        let (statistics, _) = try ProjectionStore.load(try log.store(), parts: ClearanceStatistics.needs, save: false)
        #expect(statistics.parts == .foldable && Self.sameTimelines(statistics, rebuilt))
        // The parts the targets and the trace read, folded by the store's two-thread replay:
        // the persons numbered as a rebuild numbers them, every party's hazards the same.
        let (targets, _) = try ProjectionStore.load(try log.store(), parts: PlanTargets.needs, save: false)
        #expect(targets.parts == PlanTargets.needs && targets.hazards == rebuilt.hazards)
        #expect("\(PlanTargets(targets, on: Self.date).checks)" == "\(PlanTargets(rebuilt, on: Self.date).checks)")
        let (trace, _) = try ProjectionStore.load(try log.store(), parts: TraceLookup.needs, save: false)
        #expect(trace.parts.isSuperset(of: TraceLookup.needs) && trace.hazards == rebuilt.hazards)
        #expect(trace.parties.map { "\($0.key) \($0.hazards)" } == rebuilt.parties.map { "\($0.key) \($0.hazards)" })
        #expect(rebuilt.parties.count > 20)

        // Behind by enough to save a new one: read whole, folded, saved, equal to a rebuild.
        let (whole2, saving) = try ProjectionStore.load(try log.store(), parts: [], refreshAfter: events.count - half)
        #expect(saving.checkpointCovered == UInt64(half) && saving.saved && whole2.parts == .all && whole2 == rebuilt)
        let (current2, afterSave) = try ProjectionStore.load(try log.store(), parts: [])
        #expect(afterSave.checkpointCovered == UInt64(events.count) && afterSave.applied == 0 && current2.hazards == rebuilt.hazards)
    }
}
