import Crypto
import Foundation
@testable import QinglingArchive
import QinglingEvents
@testable import QinglingLog
import QinglingProjections
import QinglingSampleData
import QinglingTestSupport
import QinglingWorkflow
import Testing

/// A generated log of 2023–2026 on the simulated clock (standing on its last event), and a
/// signing key outside it.
final class SealableLog {
    let root = NSTemporaryDirectory() + "qingling-archive-\(UUID().uuidString)"
    var directory: String { root + "/log" }
    let key = Curve25519.Signing.PrivateKey()
    var publicKey: [UInt8] { Array(key.publicKey.rawRepresentation) }

    init(hazardsPerYear: Int = 12, seed: UInt64 = 4) throws {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let events = LinxiangGenerator(seed: seed, hazardsPerYear: hazardsPerYear, until: CalendarDate(year: 2026, month: 11, day: 20) ?? CalendarDate(daysSinceEpoch: 0)).events()
        let clock = SimulatedClock(microseconds: events[0].occurredAt.microseconds)
        let store = try EventStore(appendingTo: directory, reference: .linxiang, options: LogOptions(clock: clock))
        var start = 0
        while start < events.count {
            var end = start
            let month = events[start].occurredAt.date.components.month
            while end < events.count, events[end].occurredAt.date.components.month == month { end += 1 }
            clock.set(microseconds: events[end - 1].occurredAt.microseconds + 600_000_000)
            _ = try store.append(events[start..<end].map { EventStore.Input(event: $0) }, durability: .deferred)
            start = end
        }
        try store.sync()
        try store.close()
    }

    deinit {
        chmodTree(root)
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Options whose simulated clock stands on the log's last recorded time.
    func options(fileSystem: any FileSystem = PosixFileSystem()) throws -> LogOptions {
        let last = try LogReader(directory: directory).lastRecordedAt() ?? 0
        return LogOptions(fileSystem: fileSystem, clock: SimulatedClock(microseconds: last), createIfMissing: false)
    }

    @discardableResult
    func seal(_ year: Int, fileSystem: any FileSystem = PosixFileSystem()) throws -> ArchiveSealer.Report {
        try ArchiveSealer.seal(year: year, directory: directory, options: try options(fileSystem: fileSystem), key: key)
    }

    func verify(_ year: Int? = nil, key: [UInt8]? = nil) throws -> ArchiveVerifier.Report {
        try ArchiveVerifier.verify(directory: directory, year: year, publicKey: key)
    }
}

/// Makes everything under `path` writable again (archives are read-only), for clean-up and tampering.
func chmodTree(_ path: String) {
    let manager = FileManager.default
    try? manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    for child in (try? manager.subpathsOfDirectory(atPath: path)) ?? [] {
        var isDirectory: ObjCBool = false
        _ = manager.fileExists(atPath: path + "/" + child, isDirectory: &isDirectory)
        try? manager.setAttributes([.posixPermissions: isDirectory.boolValue ? 0o755 : 0o644], ofItemAtPath: path + "/" + child)
    }
}

@Suite struct ArchiveTests {
    @Test func sealingYearsKeepsEveryEventAndEveryFigure() throws {
        let log = try SealableLog()
        let before = try LogReader(directory: log.directory).readAll()
        let store = try EventStore(readingFrom: log.directory)
        let (stateBefore, _) = try ProjectionStore.load(store, rebuild: true, save: false)
        for year in 2023...2025 {
            let report = try log.seal(year)
            #expect(report.manifest.year == year && report.manifest.archiveBytes < report.manifest.liveBytes)
        }
        let manifests = try (2023...2025).map { try SealedYears(layout: LogLayout(directory: log.directory), fileSystem: PosixFileSystem()).manifest($0).manifest }
        #expect(manifests[0].previousRoot == nil && manifests[1].previousRoot == manifests[0].merkleRoot && manifests[2].previousRoot == manifests[1].merkleRoot)
        #expect(manifests.allSatisfy { $0.simulatedClock })
        #expect(try LogReader(directory: log.directory).readAll() == before)
        let report = try log.verify()
        #expect(report.passed, "\(report.problems) \(report.log?.problems ?? [])")
        #expect(report.years == [2023, 2024, 2025])

        let (stateAfter, _) = try ProjectionStore.load(try EventStore(readingFrom: log.directory), rebuild: true, save: false)
        #expect(stateAfter == stateBefore)
        for text in ["2023", "2024Q2", "2025", "2026"] {
            guard let period = Period(text) else { continue }
            let a = ClearanceStatistics(stateBefore, period: period, grouping: .regionAndIndustry, reference: .linxiang)
            let b = ClearanceStatistics(stateAfter, period: period, grouping: .regionAndIndustry, reference: .linxiang)
            #expect(a.rows == b.rows && a.total == b.total)
        }
        // The index still finds a hazard's history in sealed years.
        let hazard = before.compactMap { try? EventBinaryCodec.decode($0.payload).body.hazardId }.first ?? ""
        #expect(try EventStore(readingFrom: log.directory).history(ofHazard: hazard).count
                == before.filter { $0.keys.contains(StreamKeys.hazard(hazard)) }.count)
    }

    @Test func sealingRefusesWhatItMustNotSeal() throws {
        let log = try SealableLog()
        #expect(throws: ArchiveError.log(.sealingRefused(year: 2026, reason: "the year has not ended by the log's simulated clock (it is still 2026)"))) { try log.seal(2026) }
        #expect(throws: ArchiveError.self) { try log.seal(2024) }
        try log.seal(2023)
        #expect(throws: ArchiveError.self) { try log.seal(2023) }
        // Another key than the one the log keeps.
        let other = Curve25519.Signing.PrivateKey()
        #expect(throws: ArchiveError.self) {
            try ArchiveSealer.seal(year: 2024, directory: log.directory, options: try log.options(), key: other)
        }
    }

    /// A crash at every change the archive job makes: the log reads the same, verifies, and
    /// sealing again completes.
    @Test func aCrashAtEveryStepLeavesEitherTheLiveYearOrTheVerifiedArchive() throws {
        let log = try SealableLog(hazardsPerYear: 5)
        let before = try LogReader(directory: log.directory).readAll()
        let pristine = log.root + "/pristine"
        try FileManager.default.copyItem(atPath: log.directory, toPath: pristine)
        var step = 1
        var completed = false
        while !completed {
            try? FileManager.default.removeItem(atPath: log.directory)
            try FileManager.default.copyItem(atPath: pristine, toPath: log.directory)
            do {
                try log.seal(2023, fileSystem: CrashingFileSystem(crashAt: step))
                completed = true
            } catch {}
            let reader = try LogReader(directory: log.directory)
            #expect(try reader.readAll() == before, "crash at change \(step)")
            let sealedNow = try LogLayout(directory: log.directory).sealedYears(PosixFileSystem()).contains(2023)
            if sealedNow {
                #expect(try log.verify().passed, "crash at change \(step)")
            } else {
                try log.seal(2023)
                #expect(try log.verify().passed, "crash at change \(step), sealed again")
            }
            #expect(try LogReader(directory: log.directory).readAll() == before)
            chmodTree(log.directory)
            step += 1
        }
        #expect(step > 15)
    }

    @Test func tamperingIsAlwaysDetected() throws {
        let log = try SealableLog()
        for year in 2023...2025 { try log.seal(year) }
        let archive = log.directory + "/archive"
        chmodTree(archive)
        let segment2024 = try FileManager.default.contentsOfDirectory(atPath: archive + "/2024").first { $0.hasSuffix(".qlseg") } ?? ""

        func expectDetected(_ label: String, _ tamper: () throws -> Void, year: Int? = nil, key: [UInt8]? = nil) throws {
            let saved = log.root + "/saved"
            try? FileManager.default.removeItem(atPath: saved)
            try FileManager.default.copyItem(atPath: archive, toPath: saved)
            try tamper()
            let report = try log.verify(year, key: key)
            #expect(!report.passed, "\(label) not detected")
            try FileManager.default.removeItem(atPath: archive)
            try FileManager.default.copyItem(atPath: saved, toPath: archive)
        }
        try expectDetected("a byte flipped in an archive segment") {
            let path = archive + "/2024/" + segment2024
            var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
            bytes[bytes.count / 2] ^= 0x40
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        try expectDetected("a byte flipped, checking that year only", {
            let path = archive + "/2024/" + segment2024
            var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
            bytes[100] ^= 0x01
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }, year: 2024)
        try expectDetected("an event removed (the year re-packed without its last event)") {
            let manifest = try SealedYears(layout: LogLayout(directory: log.directory), fileSystem: PosixFileSystem()).manifest(2024).manifest
            let scratch = log.root + "/repacked"
            try? FileManager.default.removeItem(atPath: scratch)
            let plan = SealingPlan(year: 2024, segments: [], sequences: manifest.firstSequence..<manifest.lastSequence,
                                   firstPreviousHash: manifest.firstPreviousBatchHash, lastLiveBatchHash: manifest.lastBatchHash,
                                   lastRecordedAt: manifest.lastRecordedAt, liveBytes: 0)
            _ = try SealedYearWriter.write(plan, from: try LogReader(directory: log.directory), into: scratch, fileSystem: PosixFileSystem())
            try FileManager.default.removeItem(atPath: archive + "/2024/" + segment2024)
            try FileManager.default.copyItem(atPath: scratch + "/" + segment2024, toPath: archive + "/2024/" + segment2024)
        }
        try expectDetected("an archive file removed") {
            try FileManager.default.removeItem(atPath: archive + "/2024/" + segment2024.replacingOccurrences(of: ".qlseg", with: ".qlidx"))
        }
        try expectDetected("an archive segment truncated") {
            let path = archive + "/2024/" + segment2024
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            try bytes.prefix(bytes.count - 40).write(to: URL(fileURLWithPath: path))
        }
        try expectDetected("a manifest that is not JSON") {
            try Data("{\"format\":".utf8).write(to: URL(fileURLWithPath: archive + "/2024/" + ArchiveManifest.fileName))
        }
        try expectDetected("a signature file that is not a signature") {
            try Data("not hex\n".utf8).write(to: URL(fileURLWithPath: archive + "/2024/" + ArchiveManifest.signatureFileName))
        }
        try expectDetected("a file added") {
            try Data("x".utf8).write(to: URL(fileURLWithPath: archive + "/2024/notes.txt"))
        }
        try expectDetected("the archive of another year swapped in") {
            try FileManager.default.removeItem(atPath: archive + "/2024")
            try FileManager.default.copyItem(atPath: archive + "/2025", toPath: archive + "/2024")
        }
        try expectDetected("a manifest with a changed root") {
            let path = archive + "/2023/" + ArchiveManifest.fileName
            var text = try String(contentsOfFile: path, encoding: .utf8)
            let range = try #require(text.range(of: "\"merkleRoot\":\""))
            let digit = text[range.upperBound]
            text.replaceSubrange(range.upperBound...range.upperBound, with: digit == "0" ? "1" : "0")
            try text.write(toFile: path, atomically: false, encoding: .utf8)
        }
        try expectDetected("the wrong public key", {}, key: Array(Curve25519.Signing.PrivateKey().publicKey.rawRepresentation))
        #expect(try log.verify().passed)
    }

    @Test func proofsHoldAndEveryTamperedFieldFails() throws {
        let log = try SealableLog()
        for year in 2023...2024 { try log.seal(year) }
        let manifest = try SealedYears(layout: LogLayout(directory: log.directory), fileSystem: PosixFileSystem()).manifest(2024).manifest
        for sequence in [UInt64(0), 1, manifest.firstSequence - 1, manifest.firstSequence, (manifest.firstSequence + manifest.lastSequence) / 2, manifest.lastSequence] {
            let proof = try InclusionProof.prove(sequence: sequence, directory: log.directory)
            let decoded = try InclusionProof.decode(Array(proof.encoded().utf8), path: "proof")
            #expect(decoded == proof)
            #expect(decoded.problems(publicKey: log.publicKey).isEmpty, "sequence \(sequence)")
        }
        #expect(throws: ArchiveError.self) { try InclusionProof.prove(sequence: manifest.lastSequence + 1, directory: log.directory) }

        let proof = try InclusionProof.prove(sequence: manifest.firstSequence + 3, directory: log.directory)
        var tampered: [(String, InclusionProof)] = []
        func variant(_ label: String, _ change: (inout InclusionProof) -> Void) {
            var copy = proof
            change(&copy)
            tampered.append((label, copy))
        }
        variant("sequence") { $0.sequence += 1 }
        variant("recordedAt") { $0.recordedAt += 1 }
        variant("storedEvent") { $0.storedEvent[$0.storedEvent.count / 2] ^= 0x01 }
        variant("event") { p in
            if case .object(var members) = p.event { members[0].value = .string("evt-forged"); p.event = .object(members) }
        }
        variant("leafIndex") { $0.leafIndex += 1 }
        variant("treeSize") { $0.treeSize -= 1 }
        variant("leafHash") { $0.leafHash[0] ^= 0x80 }
        variant("auditPath node") { $0.auditPath[0][5] ^= 0x01 }
        variant("auditPath shortened") { $0.auditPath.removeLast() }
        variant("auditPath lengthened") { $0.auditPath.append($0.leafHash) }
        variant("manifest") { $0.manifest = $0.manifest.replacingOccurrences(of: "\"eventCount\":", with: "\"eventCount\": ") }
        variant("signature") { $0.signature[10] ^= 0x01 }
        for (label, candidate) in tampered {
            #expect(!candidate.problems(publicKey: log.publicKey).isEmpty, "tampered \(label) still verifies")
        }
        #expect(!proof.problems(publicKey: Array(Curve25519.Signing.PrivateKey().publicKey.rawRepresentation)).isEmpty)
    }
}
