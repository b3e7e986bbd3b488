import Crypto
import Foundation
import QinglingArchive
import QinglingEvents
import QinglingKeyStore
import QinglingLog
import QinglingWorkflow
import Testing

/// A sealed year holding tip-offs with sealed identities: the archive holds no plaintext, and
/// after a shred the archive, the log and an inclusion proof of the tip-off still verify.
@Suite struct SealedReporterArchiveTests {
    static let identity = ReporterIdentity(name: "欧阳锋华", phone: "13912345678", idNumber: "11010519491231002X", bankAccount: "6222020200001234567")

    @Test func aShreddedIdentityLeavesTheSealedYearAndItsProofsValid() throws {
        let root = NSTemporaryDirectory() + "qingling-sealed-reporter-\(UUID().uuidString)"
        defer {
            chmodTree(root)
            try? FileManager.default.removeItem(atPath: root)
        }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let directory = root + "/log"
        let master = try MasterKey(hex: String(repeating: "7e", count: 32), source: "test")
        let vault = ReporterVault(keyStore: try KeyStore.create(at: root + "/log.keystore", master: master))
        let committee = Actor(organization: OrganizationRef(kind: .committee, id: "lx-aqw", name: "临湘市安委办"), person: PersonRef(id: "aqw-001", name: "陈主任"))
        func at(_ year: Int, _ month: Int, _ day: Int) -> ShanghaiDateTime {
            ShanghaiDateTime(date: CalendarDate(year: year, month: month, day: day) ?? CalendarDate(daysSinceEpoch: 0), hour: 10, minute: 0, second: 0)
                ?? ShanghaiDateTime(microseconds: 0)
        }
        let clock = SimulatedClock(microseconds: at(2024, 6, 1).microseconds)
        let store = try EventStore(appendingTo: directory, reference: .linxiang, options: LogOptions(clock: clock))
        store.vault = vault
        let tips = (1...3).map { number in
            Event(eventId: "tip-\(number)", occurredAt: at(2024, 5, number), actor: committee,
                  body: .tipOffReceived(TipOffReceived(tipOffId: "JB-2024-000\(number)", channel: .hotline, summary: "仓库超量储存", reporterPseudonym: "群众\(number)")))
        }
        _ = try store.append(tips.map { EventStore.Input(event: $0, reporter: Self.identity) })
        clock.set(microseconds: at(2025, 1, 2).microseconds)
        let key = Curve25519.Signing.PrivateKey()
        try store.close()
        _ = try ArchiveSealer.seal(year: 2024, directory: directory, options: LogOptions(clock: clock, createIfMissing: false), key: key)

        let secrets = Self.identity.fields.map { Array($0.value.utf8) }
        for file in FileManager.default.enumerator(atPath: root)?.compactMap({ $0 as? String }) ?? [] {
            let bytes = [UInt8](FileManager.default.contents(atPath: root + "/" + file) ?? Data())
            for secret in secrets { #expect(!bytes.contains(secret), "\(file)") }
        }
        try LogReader(directory: directory).forEach(from: 0) { record in
            for secret in secrets { #expect(!record.payload.contains(secret)) }
        }

        // Shred the first: the key goes, then the event; the sealed year, the log and a proof hold.
        let reopened = try EventStore(appendingTo: directory, reference: .linxiang, options: LogOptions(clock: clock, createIfMissing: false))
        reopened.vault = vault
        let received = try #require(try reopened.tipOff("JB-2024-0001")?.received)
        #expect(try vault.reveal(received) == Self.identity)
        #expect(try vault.destroy(keyId: "tip-1"))
        _ = try reopened.append([EventStore.Input(event: Event(eventId: "reporter-key-destroyed:JB-2024-0001", occurredAt: at(2025, 1, 2), actor: committee,
                                                               body: .reporterKeyDestroyed(ReporterKeyDestroyed(tipOffId: "JB-2024-0001", keyId: "tip-1", reason: "期满"))))])
        try reopened.close()
        #expect(throws: ReporterVault.RevealFailure.keyDestroyed(keyId: "tip-1")) { try vault.reveal(received) }
        let report = try ArchiveVerifier.verify(directory: directory, publicKey: Array(key.publicKey.rawRepresentation))
        #expect(report.passed && report.years == [2024], "\(report.problems)")
        let proof = try InclusionProof.prove(sequence: 0, directory: directory)
        #expect(proof.problems(publicKey: Array(key.publicKey.rawRepresentation)).isEmpty)
    }
}
