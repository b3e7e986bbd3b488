import Crypto
import Foundation
import QinglingEvents
import QinglingLog
@testable import QinglingProjections
import QinglingSampleData
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

    @Test func aStateRestoredWithAPartyListedTwiceIsRefused() throws {
        func restore(_ parties: [(key: String, hazards: [Int32])]) throws -> ProjectionState {
            try ProjectionState(nextSequence: 0, lastEventHash: [], lastRecordedAt: 0, latestBusinessDate: nil, names: [], hazardIds: [], hazards: [],
                                penalties: [:], tipOffs: [:], parties: parties)
        }
        let restored = try restore([("P:tlz-002", [0, 2]), ("O:tlz-002", [1]), ("P:yjj-004", [2])])
        #expect(restored.hazards(ofParty: "P:tlz-002") == [0, 2])
        #expect(restored.hazards(ofParty: "O:tlz-002") == [1])
        #expect(restored.parties.map(\.key) == ["P:tlz-002", "P:yjj-004", "O:tlz-002"])
        #expect(throws: CheckpointDamage.listedTwice(.party, "P:tlz-002")) {
            try restore([("P:tlz-002", [0]), ("P:yjj-004", [2]), ("P:tlz-002", [1])])
        }
        #expect(throws: CheckpointDamage.partyOfNoKind("X:tlz-002")) { try restore([("X:tlz-002", [0])]) }
    }

    @Test func aStateRestoredNamingAPersonNotAmongItsPartiesIsRefused() throws {
        func restore(officer: Int32) throws -> ProjectionState {
            var hazard = HazardTimeline(region: 0, industry: 0, discoveredOn: day("2025-01-01"),
                                        report: HazardTimeline.Step(kind: .reported, on: day("2025-01-01"), recordedAt: 0))
            hazard.departmentOfficer = HazardTimeline.Responsible(name: 0, person: officer)
            return try ProjectionState(nextSequence: 1, lastEventHash: [], lastRecordedAt: 0, latestBusinessDate: nil, names: ["李卫东"],
                                       hazardIds: ["LX-2025-0001"], hazards: [hazard], penalties: [:], tipOffs: [:],
                                       parties: [("P:yjj-017", [0]), ("P:tlz-002", [0])])
        }
        let restored = try restore(officer: 1)
        #expect(restored.hazards.first.flatMap(restored.departmentOfficer(of:)) == ResponsiblePerson(name: "李卫东", id: "tlz-002"))
        #expect(restored.hazards.first.flatMap(restored.departmentOfficer(of:))?.label == "李卫东 (tlz-002)")
        #expect(throws: CheckpointDamage.unknownPerson(hazardId: "LX-2025-0001", person: 2, persons: 2)) { try restore(officer: 2) }
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
        let directory = NSTemporaryDirectory() + "qingling-projections-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let events = LinxiangGenerator(seed: 9, hazardsPerYear: 10, until: day("2026-11-20")).events()
        let clock = SimulatedClock(microseconds: events[0].occurredAt.microseconds)
        let writer = try EventStore(appendingTo: directory, reference: .linxiang, options: LogOptions(clock: clock))
        func append(_ slice: ArraySlice<Event>) throws {
            clock.set(microseconds: (slice.last?.occurredAt.microseconds ?? 0) + 600_000_000)
            _ = try writer.append(slice.map { EventStore.Input(event: $0) })
        }
        let half = events.count / 2
        try append(events[..<half])

        let reader = try EventStore(readingFrom: directory)
        let (first, firstReport) = try ProjectionStore.load(reader)
        #expect(firstReport.checkpointCovered == nil && firstReport.applied == half && firstReport.saveFailure == nil)

        try append(events[half...])
        let (caughtUp, report) = try ProjectionStore.load(try EventStore(readingFrom: directory))
        #expect(report.checkpointCovered == UInt64(half) && report.applied == events.count - half)
        let (rebuilt, rebuildReport) = try ProjectionStore.load(try EventStore(readingFrom: directory), rebuild: true)
        #expect(rebuildReport.applied == events.count)
        #expect(caughtUp == rebuilt)
        #expect(first.nextSequence == UInt64(half))

        // A checkpoint of another log: found not to match, discarded, rebuilt.
        let path = ProjectionStore.checkpointPath(forLog: directory)
        var other = ProjectionState()
        for event in generatedHistory(seed: 10, hazardsPerYear: 10).prefix(half) { try other.apply(event) }
        try Data(ProjectionCheckpoint.encode(other)).write(to: URL(fileURLWithPath: path))
        let (afterStale, staleReport) = try ProjectionStore.load(try EventStore(readingFrom: directory))
        #expect(staleReport.discarded == .notOfThisLog(path: path, sequence: UInt64(half - 1)))
        #expect(afterStale == rebuilt)

        // A torn checkpoint: discarded, rebuilt.
        let saved = try Data(contentsOf: URL(fileURLWithPath: path))
        try saved.prefix(saved.count - 7).write(to: URL(fileURLWithPath: path))
        let (afterTorn, tornReport) = try ProjectionStore.load(try EventStore(readingFrom: directory))
        #expect(tornReport.discarded == .damaged(path: path, .checksumMismatch))
        #expect(afterTorn == rebuilt)
        try writer.close()
    }
}
