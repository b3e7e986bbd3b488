import Crypto
import Foundation
import QinglingEvents
import QinglingLog
@testable import QinglingProjections
import QinglingSampleData
import QinglingTestSupport
import QinglingWorkflow
import Testing

/// Generated events as the log would store them: sequence from 0, recorded ten minutes after
/// they happened (strictly increasing), hashed like the store does.
func generatedHistory(seed: UInt64, hazardsPerYear: Int) -> [StoredEvent] {
    let events = LinxiangGenerator(seed: seed, hazardsPerYear: hazardsPerYear, until: day("2026-11-20")).events()
    var stored: [StoredEvent] = []
    var last: Int64 = 0
    for (index, event) in events.enumerated() {
        last = max(event.occurredAt.microseconds + 600_000_000, last + 1)
        stored.append(StoredEvent(sequence: UInt64(index), recordedAt: ShanghaiDateTime(microseconds: last), event: event,
                                  hash: Array(SHA256.hash(data: EventBinaryCodec.encode(event)))))
    }
    return stored
}

@Suite struct CheckpointTests {
    @Test func catchingUpFromACheckpointOfEveryPrefixEqualsAFullRebuild() throws {
        for seed in [UInt64(3), 11] {
            let events = generatedHistory(seed: seed, hazardsPerYear: 12)
            var full = ProjectionState()
            for event in events { try full.apply(event) }
            var prefix = ProjectionState()
            for cut in 0...events.count {
                if cut > 0 { try prefix.apply(events[cut - 1]) }
                var resumed = try ProjectionCheckpoint.decode(ProjectionCheckpoint.encode(prefix))
                #expect(resumed == prefix)
                for event in events[cut...] { try resumed.apply(event) }
                guard resumed == full else {
                    Issue.record("seed \(seed): resuming after \(cut) of \(events.count) events differs from a full rebuild")
                    return
                }
            }
        }
    }

    @Test func linksThatLoopOrNameAHazardBeyondTheHazardsAreRefused() throws {
        func read(_ newest: [(link: Int32, hazard: Int32)], _ links: [(hazard: Int32, previous: Int32)]) throws(CheckpointDamage) -> PartyLinks {
            var out = BinaryWriter()
            out.array(newest)
            out.array(links)
            var input = CheckpointReader(testing: out.bytes)
            return try PartyLinks(checkpoint: &input, parties: 3, hazards: 2, part: .personLinks)
        }
        let links = try read([(1, 1), (-1, -1), (2, 0)], [(0, -1), (1, 0), (0, -1)])
        #expect(links.hazards(of: 0) == [0, 1] && links.hazards(of: 1) == [] && links.hazards(of: 2) == [0])
        // A link pointing forward would make listing the party's hazards go round for ever.
        #expect(throws: CheckpointDamage.inconsistent(.personLinks, at: 0, .linkOrder)) { try read([(1, 1)], [(0, 1), (1, 0)]) }
        #expect(throws: CheckpointDamage.inconsistent(.personLinks, at: 1, .indexOutOfRange)) { try read([(1, 2)], [(0, -1), (2, 0)]) }
        #expect(throws: CheckpointDamage.inconsistent(.personLinks, at: 0, .indexOutOfRange)) { try read([(1, 0)], [(0, -1), (1, 0)]) }
        // Two parties sharing a chain (listing every party's hazards would cost parties × links),
        // chains merging, a party starting inside another's chain, a chain no party owns, more
        // parties than numbered.
        #expect(throws: CheckpointDamage.inconsistent(.personLinks, at: 1, .linkOrder)) { try read([(1, 1), (1, 1)], [(0, -1), (1, 0)]) }
        #expect(throws: CheckpointDamage.inconsistent(.personLinks, at: 2, .linkOrder)) { try read([(1, 1), (2, 0)], [(0, -1), (1, 0), (0, 0)]) }
        #expect(throws: CheckpointDamage.inconsistent(.personLinks, at: 1, .linkOrder)) { try read([(1, 1), (0, 0)], [(0, -1), (1, 0)]) }
        #expect(throws: CheckpointDamage.inconsistent(.personLinks, at: 0, .linkOrder)) { try read([(1, 1)], [(0, -1), (1, -1)]) }
        #expect(throws: CheckpointDamage.inconsistent(.personLinks, at: 4, .wrongCount)) { try read(Array(repeating: (-1, -1), count: 4), []) }
    }

    @Test func aHazardNamingAPersonOrANameBeyondTheListsIsRefused() throws {
        func read(officer: Int32, region: Int32 = 0) throws(CheckpointDamage) -> [HazardTimeline] {
            var hazard = HazardTimeline(region: region, industry: 0, discoveredOn: day("2025-01-01"),
                                        report: HazardTimeline.Step(kind: .reported, on: day("2025-01-01"), recordedAt: 0))
            hazard.departmentOfficer = HazardTimeline.Responsible(name: 0, person: officer)
            for day in 2...7 { hazard.steps.append(HazardTimeline.Step(kind: .extended, on: CalendarDate(daysSinceEpoch: 20_000 + Int32(day)), recordedAt: Int64(day))) }
            var out = BinaryWriter()
            HazardTimeline.write([hazard], to: &out)
            var input = CheckpointReader(testing: out.bytes)
            return try HazardTimeline.read(&input, names: 1, persons: 2)
        }
        #expect(try read(officer: 1).first?.departmentOfficer == HazardTimeline.Responsible(name: 0, person: 1))
        #expect(try read(officer: 1).first?.steps.count == 6)
        #expect(throws: CheckpointDamage.inconsistent(.hazards, at: 0, .indexOutOfRange)) { try read(officer: 2) }
        #expect(throws: CheckpointDamage.inconsistent(.hazards, at: 0, .indexOutOfRange)) { try read(officer: 1, region: 1) }
    }

    @Test func aKeyMovedWhereALookUpWouldNotFindItIsRefused() throws {
        var numbering = KeyNumbering()
        let keys = (0..<40).map { "yjj-\($0)" } + [String(repeating: "长", count: 20)]
        for key in keys {
            var key = key
            _ = try key.withUTF8 { bytes in Result { () throws(EngineError) in try numbering.number(HashedKey(UnsafeRawBufferPointer(bytes))) } }.get()
        }
        var out = BinaryWriter()
        numbering.write(to: &out)
        var input = CheckpointReader(testing: out.bytes)
        let restored = try KeyNumbering(checkpoint: &input, part: .persons)
        #expect(keys.indices.allSatisfy { restored.number(of: keys[$0]) == Int32($0) && restored.key(at: Int32($0)) == keys[$0] })

        // The layout: the long keys, the locations, the slots (32 bytes each), each after its count.
        var reader = BinaryReader(out.bytes)
        let longKeys = try reader.rawBytes()
        let locationCount = Int(try reader.unsigned())
        let locationsStart = reader.offset
        try reader.unprefixed(locationCount * 8) { _ in }
        let slotCount = Int(try reader.unsigned())
        let slotsStart = reader.offset
        #expect(!longKeys.isEmpty && locationCount == keys.count && out.bytes.count == slotsStart + slotCount * 32)
        // A short key moved one slot on (into an empty one), its location following it: found
        // only if no empty slot lies between its home and its new place, which is now its old one.
        func slot(_ position: Int) -> ArraySlice<UInt8> { out.bytes[slotsStart + position * 32..<slotsStart + position * 32 + 32] }
        guard let moved = (0..<slotCount - 1).first(where: { position in
            slot(position).contains { $0 != 0 } && slot(position + 1).allSatisfy { $0 == 0 } && slot(position)[slotsStart + position * 32 + 4] <= 24  // the header's length byte
        }) else { Issue.record("no slot to move"); return }
        var bytes = out.bytes
        bytes.replaceSubrange(slotsStart + (moved + 1) * 32..<slotsStart + (moved + 2) * 32, with: slot(moved))
        bytes.replaceSubrange(slotsStart + moved * 32..<slotsStart + moved * 32 + 32, with: repeatElement(0, count: 32))
        let header = slot(moved).prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let index = Int(header & 0xFFFF_FFFF) - 1
        let location = (UInt64(1) << 63 | UInt64(moved + 1))
        bytes.replaceSubrange(locationsStart + index * 8..<locationsStart + index * 8 + 8, with: (0..<8).map { UInt8(truncatingIfNeeded: location >> (8 * $0)) })
        var damaged = CheckpointReader(testing: bytes)
        #expect(throws: CheckpointDamage.inconsistent(.persons, at: moved + 1, .misplacedKey)) { try KeyNumbering(checkpoint: &damaged, part: .persons) }
    }

    @Test func theSameKeyUnderTwoNumbersIsRefused() throws {
        var numbering = KeyNumbering()
        var key = "x"
        _ = try key.withUTF8 { bytes in Result { () throws(EngineError) in try numbering.number(HashedKey(UnsafeRawBufferPointer(bytes))) } }.get()
        var out = BinaryWriter()
        numbering.write(to: &out)
        // Layout: 0 (no long keys), 1 (one location), its 8 bytes, 16 (slots), 16 × 32 bytes.
        var bytes = out.bytes
        #expect(bytes[0] == 0 && bytes[1] == 1 && bytes[10] == 16 && bytes.count == 11 + 16 * 32)
        let full = (0..<16).filter { (position: Int) -> Bool in bytes[11 + position * 32] != 0 }
        #expect(full.count == 1)
        let home = full.first ?? 0
        let copy = (home + 1) % 16
        var slot = Array(bytes[11 + home * 32..<11 + home * 32 + 32])
        slot[0] = 2  // the header's number + 1: the second key
        bytes.replaceSubrange(11 + copy * 32..<11 + copy * 32 + 32, with: slot)
        let location = UInt64(1) << 63 | UInt64(copy)
        bytes[1] = 2
        bytes.insert(contentsOf: (0..<8).map { UInt8(truncatingIfNeeded: location >> (8 * $0)) }, at: 10)
        var input = CheckpointReader(testing: bytes)
        #expect(throws: CheckpointDamage.inconsistent(.persons, at: copy, .misplacedKey)) { try KeyNumbering(checkpoint: &input, part: .persons) }
    }

    @Test func anIdOfTheWorkflowsFormInTheTableIsRefusedUnlessItsSeriesSendsALookUpThere() throws {
        func read(elsewhere: Bool) throws -> HazardNumbering {
            var out = BinaryWriter()
            out.array([UInt32(1), 1 << 31])  // hazard 0 in series 0 at number 1; hazard 1 the table's first
            out.unsigned(1)  // one series: LX-2024-NNNN from 1, holding hazard 0
            out.unsigned(UInt64(UInt8(ascii: "L")) | UInt64(UInt8(ascii: "X")) << 8)
            out.unsigned(2024)
            out.byte(4)
            out.unsigned(1)
            out.array([Int32(1), 0])
            out.optional(elsewhere ? UInt64(2) : nil) { out, number in
                out.unsigned(number)
                out.unsigned(number)
            }
            var table = KeyNumbering()
            var id = "LX-2024-0002"
            _ = try id.withUTF8 { bytes in Result { () throws(EngineError) in try table.number(HashedKey(UnsafeRawBufferPointer(bytes))) } }.get()
            table.write(to: &out)
            out.array([Int32(1)])
            var input = CheckpointReader(testing: out.bytes)
            return try HazardNumbering(checkpoint: &input)
        }
        let noted = try read(elsewhere: true)
        #expect(noted.number(of: "LX-2024-0001") == 0 && noted.number(of: "LX-2024-0002") == 1 && noted.id(at: 1) == "LX-2024-0002")
        // Not noted as elsewhere, a look-up would stop at the series' empty element and miss it.
        #expect(throws: CheckpointDamage.inconsistent(.hazardIds, at: 1, .misplacedKey)) { try read(elsewhere: false) }
    }

    @Test func countsBeyondTheEventsAreRefusedSoNoLaterCountOverflows() throws {
        func read(penalties: UInt64, payments: UInt64, events: UInt64) throws(CheckpointDamage) -> (Int, Int) {
            var out = BinaryWriter()
            out.unsigned(1)
            out.string("lx-yjj")
            out.unsigned(2025)
            out.byte(4)
            out.code(PenaltyKind.fine)
            out.string("县应急管理局")
            out.unsigned(penalties)
            out.signed(500_000)
            out.unsigned(1)
            out.string("tip-1")
            out.optional(nil as CalendarDate?) { $0.date($1) }
            out.optional(nil as TipOffChannel?) { $0.code($1) }
            out.strings([])
            out.unsigned(0)
            out.unsigned(payments)
            out.signed(0)
            out.optional(nil as CalendarDate?) { $0.date($1) }
            out.optional(nil as CalendarDate?) { $0.date($1) }
            var input = CheckpointReader(testing: out.bytes)
            let (totals, tipOffs) = try EnforcementCheckpoint.read(&input, events: events)
            return (totals.values.first?.count ?? -1, tipOffs["tip-1"]?.payments ?? -1)
        }
        #expect(try read(penalties: 3, payments: 2, events: 10) == (3, 2))
        #expect(throws: CheckpointDamage.self) { try read(penalties: 11, payments: 0, events: 10) }
        // A count near Int.max, which the next penalty of the quarter would overflow.
        #expect(throws: CheckpointDamage.self) { try read(penalties: UInt64(Int.max), payments: 0, events: .max) }
        #expect(throws: CheckpointDamage.self) { try read(penalties: 0, payments: 1 << 41, events: .max) }
    }

    @Test func statesNumberingDifferentPartiesWithoutHazardsDiffer() throws {
        func state(person: String) throws -> ProjectionState {
            var parties = PartyNumbering()
            var key = person
            _ = try key.withUTF8 { bytes in Result { () throws(EngineError) in try parties.persons.number(HashedKey(UnsafeRawBufferPointer(bytes))) } }.get()
            return ProjectionState(nextSequence: 1, lastEventHash: [], lastRecordedAt: 0, latestBusinessDate: nil, names: KeyNumbering(),
                                   partyNumbering: parties, hazards: [], hazardNumbering: HazardNumbering(), personLinks: PartyLinks(),
                                   organizationLinks: PartyLinks(), penalties: [:], tipOffs: [:])
        }
        #expect(try state(person: "a") == state(person: "a"))
        #expect(try state(person: "a") != state(person: "b"))
    }

    @Test func theRecordsWrittenAsTheyLieHaveTheLayoutTheFormatNames() {
        #expect(MemoryLayout<TimelineRecord>.stride == 52 && MemoryLayout<TimelineRecord>.offset(of: \.report) == 32
                && MemoryLayout<TimelineRecord>.offset(of: \.stepCount) == 48)
        #expect(MemoryLayout<HazardTimeline.Step>.stride == 16 && MemoryLayout<(link: Int32, hazard: Int32)>.stride == 8)
    }

    @Test func aCheckpointEditedAndItsChecksumFixedDecodesToAStateThatAnswersOrIsRefused() throws {
        let events = generatedHistory(seed: 5, hazardsPerYear: 6)
        var state = ProjectionState()
        for event in events { try state.apply(event) }
        let bytes = ProjectionCheckpoint.encode(state)
        let parties = state.parties.map(\.key)
        var random = SystemRandomNumberGenerator()
        var refused = 0
        for round in 0..<2_000 {
            var edited = bytes
            for _ in 0..<(round % 3 + 1) {
                let offset = Int.random(in: 4..<edited.count - 4, using: &random)
                edited[offset] = round % 2 == 0 ? UInt8.random(in: 0...255, using: &random) : edited[offset] ^ (1 << UInt8.random(in: 0...7, using: &random))
            }
            guard let decoded = try? ProjectionCheckpoint.decode(ChecksumFixer.checkpoint(edited)) else {
                refused += 1
                continue
            }
            // Whatever decodes survives encoding and answers every query without trapping.
            #expect(try ProjectionCheckpoint.decode(ProjectionCheckpoint.encode(decoded)) == decoded)
            _ = ClearanceStatistics(decoded, period: .year(2025), grouping: .regionAndIndustry, reference: .linxiang)
            _ = OverdueAlerts(decoded, on: day("2026-10-01"))
            for index in decoded.hazards.indices {
                _ = decoded.hazardId(index)
                _ = decoded.departmentOfficer(of: decoded.hazards[index])?.label
                _ = decoded.enterprisePrincipal(of: decoded.hazards[index])?.label
                _ = decoded.hazard(decoded.hazardId(index))
            }
            for party in parties { _ = decoded.hazards(ofParty: party).map(decoded.hazardId) }
        }
        #expect(refused > 0)
    }

    @Test func aDamagedCheckpointNeverDecodes() throws {
        let events = generatedHistory(seed: 5, hazardsPerYear: 8)
        var state = ProjectionState()
        for event in events { try state.apply(event) }
        let bytes = ProjectionCheckpoint.encode(state)
        var random = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var damaged = bytes
            let offset = Int.random(in: 0..<damaged.count, using: &random)
            damaged[offset] ^= UInt8.random(in: 1...255, using: &random)
            #expect(throws: CheckpointDamage.self) { try ProjectionCheckpoint.decode(damaged) }
        }
        for length in [0, 3, 4, 40, bytes.count / 2, bytes.count - 1] {
            #expect(throws: CheckpointDamage.self) { try ProjectionCheckpoint.decode(Array(bytes.prefix(length))) }
        }
    }

    @Test func theStoreUsesAValidCheckpointAndDiscardsAStaleOrDamagedOne() throws {
        let log = try GeneratedLog(seed: 9, hazardsPerYear: 10)
        let events = log.events, directory = log.directory, half = events.count / 2
        try log.append(events[..<half])

        let (first, firstReport) = try ProjectionStore.load(try log.store())
        #expect(firstReport.checkpointCovered == nil && firstReport.applied == half && firstReport.saved)

        try log.append(events[half...])
        // Fewer events than `refreshAfter` since the checkpoint: folded, not saved; folded again
        // by the next load, which saves once they are as many.
        let pending = events.count - half
        let (caughtUp, report) = try ProjectionStore.load(try log.store(), refreshAfter: pending + 1)
        #expect(report.checkpointCovered == UInt64(half) && report.applied == pending && !report.saved)
        let (_, again) = try ProjectionStore.load(try log.store(), refreshAfter: pending)
        #expect(again.checkpointCovered == UInt64(half) && again.applied == pending && again.saved)
        let (_, current) = try ProjectionStore.load(try log.store())
        #expect(current.checkpointCovered == UInt64(events.count) && current.applied == 0 && !current.saved)
        let (rebuilt, rebuildReport) = try ProjectionStore.load(try log.store(), rebuild: true)
        #expect(rebuildReport.applied == events.count)
        #expect(caughtUp == rebuilt)
        #expect(first.nextSequence == UInt64(half))

        // A checkpoint of another log: found not to match, discarded, rebuilt.
        let path = ProjectionStore.checkpointPath(forLog: directory)
        var other = ProjectionState()
        for event in generatedHistory(seed: 10, hazardsPerYear: 10).prefix(half) { try other.apply(event) }
        try Data(ProjectionCheckpoint.encode(other)).write(to: URL(fileURLWithPath: path))
        let (afterStale, staleReport) = try ProjectionStore.load(try log.store())
        #expect(staleReport.discarded == .notOfThisLog(path: path, sequence: UInt64(half - 1)))
        #expect(afterStale == rebuilt)

        // A torn checkpoint: discarded, rebuilt.
        let saved = try Data(contentsOf: URL(fileURLWithPath: path))
        try saved.prefix(saved.count - 7).write(to: URL(fileURLWithPath: path))
        let (afterTorn, tornReport) = try ProjectionStore.load(try log.store())
        #expect(tornReport.discarded == .damaged(path: path, .wrongSize(expected: saved.count, found: saved.count - 7)))
        #expect(afterTorn == rebuilt)
    }
}
