import Crypto
import Foundation
@testable import QinglingArchive
import QinglingEvents
import QinglingEvidence
import QinglingLog
import QinglingWorkflow
import Testing

/// A log of 2023 whose report and penalty name evidence files, and one event of 2024 (so that
/// 2023 has ended on the simulated clock).
final class EvidenceLog {
    let root = NSTemporaryDirectory() + "qingling-evidence-archive-\(UUID().uuidString)"
    var directory: String { root + "/log" }
    let key = Curve25519.Signing.PrivateKey()
    var publicKey: [UInt8] { Array(key.publicKey.rawRepresentation) }
    var photo: QinglingEvents.Attachment
    var decision: QinglingEvents.Attachment
    let clock = SimulatedClock(microseconds: ShanghaiTime.startOfYear(2023) + 86_400_000_000 * 40)

    static let enterprise = EnterpriseRef(creditCode: CreditCode.withCheckCharacter("91430682MA4L0C7A4") ?? "", name: "临湘市桃林烟花爆竹有限公司")
    static let department = Actor(organization: OrganizationRef(kind: .department, id: "lx-yjj", name: "临湘市应急管理局"),
                                  person: PersonRef(id: "yjj-017", name: "李卫东"))

    init() throws {
        let directory = root + "/log"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let store = try EventStore(appendingTo: directory, reference: .linxiang, options: LogOptions(clock: clock))
        let blobs = BlobStore(logDirectory: directory)
        store.attachments = blobs
        var photo = try blobs.store([0xFF, 0xD8, 0xFF, 0xE0] + [UInt8](repeating: 7, count: 500)).attachment
        photo.caption = "仓库超量储存"
        let decision = try blobs.store(Array("%PDF-1.7\n".utf8) + [UInt8](repeating: 9, count: 800)).attachment
        self.photo = photo
        self.decision = decision
        let day = CalendarDate(year: 2023, month: 2, day: 1) ?? CalendarDate(daysSinceEpoch: 0)
        func at(_ date: CalendarDate) -> ShanghaiDateTime { ShanghaiDateTime(date: date, hour: 10, minute: 0, second: 0) ?? ShanghaiDateTime(microseconds: 0) }
        let report = Event(eventId: "r-1", occurredAt: at(day), actor: Self.department, body: .hazardReported(HazardReported(
            hazardId: "LX-2023-0001", enterprise: Self.enterprise, region: "桃林镇", industry: "烟花爆竹", criterionClause: "烟花爆竹重大事故隐患判定标准第三条",
            description: "仓库超量储存", source: .departmentInspection, discoveredOn: day, attachments: [photo])))
        let penalty = Event(eventId: "p-1", occurredAt: at(day.adding(days: 2)), actor: Self.department, body: .penaltyImposed(PenaltyImposed(
            enterprise: Self.enterprise, kind: .fine, amountFen: 5_000_000, legalBasis: "《安全生产法》第一百零二条", caseNumber: "临应急罚〔2023〕1号",
            hazardIds: ["LX-2023-0001"], attachments: [decision])))
        _ = try store.append([EventStore.Input(event: report), EventStore.Input(event: penalty)])
        clock.set(microseconds: ShanghaiTime.startOfYear(2024) + 86_400_000_000 * 3)
        let day2024 = CalendarDate(year: 2024, month: 1, day: 2) ?? day
        let other = Event(eventId: "r-2", occurredAt: at(day2024), actor: Self.department, body: .hazardReported(HazardReported(
            hazardId: "LX-2024-0001", enterprise: Self.enterprise, region: "桃林镇", industry: "烟花爆竹", criterionClause: "烟花爆竹重大事故隐患判定标准第三条",
            description: "防火间距不足", source: .departmentInspection, discoveredOn: day2024)))
        _ = try store.append([EventStore.Input(event: other)])
        try store.close()
    }

    deinit {
        chmodTree(root)
        try? FileManager.default.removeItem(atPath: root)
    }

    func seal() throws -> ArchiveSealer.Report {
        try ArchiveSealer.seal(year: 2023, directory: directory,
                               options: LogOptions(clock: SimulatedClock(microseconds: clock.now()), createIfMissing: false), key: key)
    }

    func sealedAttachment(_ attachment: QinglingEvents.Attachment) -> String {
        directory + "/archive/2023/attachments/" + attachment.sha256
    }
}

@Suite struct ArchiveAttachmentTests {
    @Test func sealingCopiesTheYearsAttachmentsAndTheManifestListsThem() throws {
        let log = try EvidenceLog()
        let report = try log.seal()
        let listed = report.manifest.attachments.map { ($0.sha256.hexString, $0.bytes) }
        let expected = [log.photo, log.decision].sorted { $0.sha256 < $1.sha256 }.map { ($0.sha256, $0.size) }
        #expect(listed.map(\.0) == expected.map(\.0) && listed.map(\.1) == expected.map(\.1))
        for attachment in [log.photo, log.decision] {
            let bytes = try #require(FileManager.default.contents(atPath: log.sealedAttachment(attachment)))
            #expect(Array(SHA256.hash(data: bytes)).hexString == attachment.sha256)
        }
        let verified = try ArchiveVerifier.verify(directory: log.directory)
        #expect(verified.passed, "\(verified.problems)")
        // The manifest read back is the one written.
        let manifest = try SealedYears(layout: LogLayout(directory: log.directory), fileSystem: PosixFileSystem()).manifest(2023).manifest
        #expect(manifest == report.manifest)
    }

    @Test func aChangedOrMissingAttachmentFailsVerification() throws {
        let log = try EvidenceLog()
        _ = try log.seal()
        chmodTree(log.directory + "/archive")
        let photo = log.sealedAttachment(log.photo)
        var bytes = try #require(FileManager.default.contents(atPath: photo))
        bytes[200] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: photo))
        let changed = try ArchiveVerifier.verify(directory: log.directory)
        #expect(!changed.passed)
        #expect(changed.problems.contains { $0.hasPrefix(photo) && $0.contains("differs") }, "\(changed.problems)")
        try FileManager.default.removeItem(atPath: log.sealedAttachment(log.decision))
        let missing = try ArchiveVerifier.verify(directory: log.directory, year: 2023)
        #expect(missing.problems.contains { $0.hasPrefix(log.sealedAttachment(log.decision)) && $0.contains("missing") }, "\(missing.problems)")
        try Data([0xFF, 0xD8, 0xFF]).write(to: URL(fileURLWithPath: log.directory + "/archive/2023/attachments/" + String(repeating: "0", count: 64)))
        let added = try ArchiveVerifier.verify(directory: log.directory, year: 2023)
        #expect(added.problems.contains { $0.contains("not listed in the manifest (added)") }, "\(added.problems)")
    }

    @Test func aYearWhoseAttachmentIsDamagedInTheBlobStoreIsNotSealed() throws {
        let log = try EvidenceLog()
        let path = BlobStore(logDirectory: log.directory).path(of: log.decision.sha256)
        var bytes = try #require(FileManager.default.contents(atPath: path))
        bytes[50] ^= 1
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(throws: ArchiveError.self) { try log.seal() }
        #expect(!FileManager.default.fileExists(atPath: log.directory + "/archive/2023"))
        #expect(try LogReader(directory: log.directory).nextSequence() == 3)
        // Repaired, the year seals (the interrupted seal's directory, attachments and all, removed first).
        bytes[50] ^= 1
        try bytes.write(to: URL(fileURLWithPath: path))
        _ = try log.seal()
        #expect(!FileManager.default.fileExists(atPath: log.directory + "/archive/2023.tmp"))
        #expect(try ArchiveVerifier.verify(directory: log.directory).passed)
    }

    @Test func anInclusionProofProvesTheEventsAttachments() throws {
        let log = try EvidenceLog()
        _ = try log.seal()
        let proof = try InclusionProof.prove(sequence: 1, directory: log.directory)
        #expect(proof.attachments.map(\.sha256.hexString) == [log.decision.sha256])
        #expect(proof.attachments.map(\.bytes) == [log.decision.size])
        #expect(proof.problems(publicKey: log.publicKey).isEmpty)
        let text = proof.encoded()
        #expect(text.contains("\"attachments\":[{\"sha256\":\"\(log.decision.sha256)\""))
        let read = try InclusionProof.decode(Array(text.utf8), path: "proof.json")
        #expect(read == proof && read.problems(publicKey: log.publicKey).isEmpty)
        // Another file in the list: refused, both as not the event's and as not sealed.
        var forged = proof
        forged.attachments = [ArchiveManifest.AttachmentFile(sha256: [UInt8](repeating: 1, count: 32), bytes: 10)]
        let problems = forged.problems(publicKey: log.publicKey)
        #expect(problems.contains { $0.contains("not the list of files the stored event names") })
        #expect(problems.contains { $0.contains("not listed in the signed manifest") })
    }
}
