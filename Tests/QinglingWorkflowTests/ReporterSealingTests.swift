import Crypto
import Foundation
import QinglingEvents
import QinglingKeyStore
import QinglingLog
import Testing
@testable import QinglingWorkflow

/// Sealing reporters' identities in the workflow: the stored form, retries, the rules of
/// `ReporterKeyDestroyed`, the key store's own guarantees.
@Suite struct ReporterSealingTests {
    static let identity = ReporterIdentity(name: "欧阳锋华", phone: "13912345678", idNumber: "11010519491231002X", bankAccount: "6222020200001234567")

    final class Vault {
        let path = NSTemporaryDirectory() + "qingling-keystore-\(UUID().uuidString)"
        let master: MasterKey
        let vault: ReporterVault
        init() throws {
            master = try MasterKey(hex: String(repeating: "0123456789abcdef", count: 4), source: "test")
            vault = ReporterVault(keyStore: try KeyStore.create(at: path, master: master))
        }
        deinit {
            for suffix in ["", ".lock"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
    }

    /// The rules `body` was refused for; empty when it was not refused.
    static func refusals(_ body: () throws -> EventStore.AppendReport) -> [WorkflowViolation.Rule] {
        do {
            _ = try body()
            return []
        } catch {
            guard case .refused(let violations)? = error as? StoreError else { return [] }
            return violations.map(\.rule)
        }
    }

    static func tipOff(_ scenario: inout Scenario, _ id: String = "JB-2024-0001") -> Event {
        scenario.event(Scenario.committee, .tipOffReceived(TipOffReceived(tipOffId: id, channel: .hotline, summary: "仓库超量储存", reporterPseudonym: "热心群众")))
    }

    @Test func aSealedIdentityIsStoredAsCiphertextAndRetriesAreRecognised() throws {
        let log = TemporaryLog(), keys = try Vault()
        let store = try log.store()
        defer { try? store.close() }
        var scenario = Scenario()
        let event = Self.tipOff(&scenario)

        // Without a vault: refused, never stored in plain text.
        #expect(throws: StoreError.self) { try store.append([EventStore.Input(event: event, reporter: Self.identity)]) }
        store.vault = keys.vault
        let first = try store.append([EventStore.Input(event: event, reporter: Self.identity)])
        #expect(first.written == 0..<1)
        let payload = try #require(first.records.first?.payload)
        for secret in Self.identity.fields.map({ Array($0.value.utf8) }) { #expect(!payload.contains(secret)) }
        let stored = try EventBinaryCodec.decode(payload)
        guard case .tipOffReceived(let tip) = stored.body, let sealed = tip.reporterSealed else {
            Issue.record("no sealed reporter")
            return
        }
        #expect(sealed.keyId == event.eventId && sealed.ciphertext.count > 28)
        #expect(try keys.vault.reveal(tip) == Self.identity)

        let retry = try store.append([EventStore.Input(event: event, reporter: Self.identity)])
        #expect(retry.outcomes == [.duplicate(0)])
        var other = Self.identity
        other.name = "别人"
        #expect(Self.refusals { try store.append([EventStore.Input(event: event, reporter: other)]) } == [.eventIdReused(event.eventId, sequence: 0)])
    }

    @Test func aShredDestroysTheKeyAndTheRulesGuardTheEvent() throws {
        let log = TemporaryLog(), keys = try Vault()
        let store = try log.store()
        defer { try? store.close() }
        store.vault = keys.vault
        var scenario = Scenario()
        let sealedTip = Self.tipOff(&scenario)
        let plainTip = Self.tipOff(&scenario, "JB-2024-0002")
        _ = try store.append([EventStore.Input(event: sealedTip, reporter: Self.identity), EventStore.Input(event: plainTip)])
        let received = try #require(try store.tipOff("JB-2024-0001")?.received)

        let time = scenario.event(Scenario.committee, .tipOffReceived(TipOffReceived(tipOffId: "x", channel: .hotline, summary: "s", reporterPseudonym: "p"))).occurredAt
        func refusal(_ actor: Actor, _ body: ReporterKeyDestroyed) -> WorkflowViolation.Rule? {
            let event = Event(eventId: "d-\(UUID().uuidString.prefix(8))", occurredAt: time, actor: actor, body: .reporterKeyDestroyed(body))
            return Self.refusals { try store.append([EventStore.Input(event: event)], dryRun: true) }.first
        }
        let destroy = ReporterKeyDestroyed(tipOffId: "JB-2024-0001", keyId: sealedTip.eventId, reason: "奖励已发放")
        #expect(refusal(Scenario.company, destroy) == .notPermitted(.enterprise, .reporterKeyDestroyed))
        #expect(refusal(Scenario.committee, ReporterKeyDestroyed(tipOffId: "JB-2024-0009", keyId: "k", reason: "r")) == .tipOffNotReceived("JB-2024-0009"))
        #expect(refusal(Scenario.committee, ReporterKeyDestroyed(tipOffId: "JB-2024-0002", keyId: "k", reason: "r")) == .noSealedReporter("JB-2024-0002"))
        #expect(refusal(Scenario.committee, ReporterKeyDestroyed(tipOffId: "JB-2024-0001", keyId: "k", reason: "r"))
                == .otherReporterKey("JB-2024-0001", keyId: sealedTip.eventId))
        #expect(refusal(Scenario.department, destroy) == nil)

        #expect(try keys.vault.destroy(keyId: sealedTip.eventId))
        #expect(throws: ReporterVault.RevealFailure.keyDestroyed(keyId: sealedTip.eventId)) { try keys.vault.reveal(received) }
        // Destroyed again (a shred run after a crash between key and event): nothing left to remove.
        #expect(try !keys.vault.destroy(keyId: sealedTip.eventId))
        _ = try store.append([EventStore.Input(event: Event(eventId: "d-final", occurredAt: time, actor: Scenario.committee, body: .reporterKeyDestroyed(destroy)))])
        #expect(try store.tipOff("JB-2024-0001")?.reporterKeyDestroyed == true)
        #expect(refusal(Scenario.committee, destroy) == .reporterKeyAlreadyDestroyed("JB-2024-0001"))
        // The key is gone from the file too, and a retry of the tip-off cannot seal again.
        let reopened = try KeyStore.open(at: keys.path, master: keys.master)
        #expect(reopened.key(sealedTip.eventId) == nil && reopened.isDestroyed(sealedTip.eventId))
        #expect(Self.refusals { try store.append([EventStore.Input(event: sealedTip, reporter: Self.identity)]) }
                == [.reporterKeyWasDestroyed(sealedTip.eventId)])
    }

    @Test func theKeyStoreIsEncryptedPrivateAndOpensOnlyWithItsMasterKey() throws {
        let keys = try Vault()
        var staged: [String: SymmetricKey] = [:]
        _ = keys.vault.seal(Self.identity, eventId: "e-1", staged: &staged)
        try keys.vault.store(staged)
        let bytes = try #require(FileManager.default.contents(atPath: keys.path))
        #expect(!bytes.isEmpty && ![UInt8](bytes).contains(Array("e-1".utf8)))
        let mode = try FileManager.default.attributesOfItem(atPath: keys.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(throws: KeyStoreError.exists(path: keys.path)) { try KeyStore.create(at: keys.path, master: keys.master) }
        let wrong = try MasterKey(hex: String(repeating: "f", count: 64), source: "test")
        #expect(throws: KeyStoreError.wrongMasterKey(path: keys.path)) { try KeyStore.open(at: keys.path, master: wrong) }
        #expect(throws: KeyStoreError.malformedMasterKey(source: "test")) { try MasterKey(hex: "abc", source: "test") }
        #expect(try KeyStore.open(at: keys.path, master: keys.master).key("e-1") != nil)
    }

    @Test func theStoredFormReadsVersionOneAndCarriesTheSealedIdentity() throws {
        var scenario = Scenario()
        var event = Self.tipOff(&scenario)
        let v2 = EventBinaryCodec.encode(event)
        #expect(v2.first == 2)
        // A version-1 record is the same bytes without the presence flag of the sealed identity.
        var v1 = Array(v2.dropLast())
        v1[0] = 1
        #expect(try EventBinaryCodec.decode(v1) == event)
        #expect(throws: EventDecodingError.self) { try EventBinaryCodec.decode(v2.dropLast()) }
        if case .tipOffReceived(var tip) = event.body {
            tip.reporterSealed = SealedReporter(keyId: "k-1", ciphertext: [0, 1, 2, 255])
            event.body = .tipOffReceived(tip)
        }
        let sealed = EventBinaryCodec.encode(event)
        #expect(try EventBinaryCodec.decode(sealed) == event)
        let view = try sealed.withUnsafeBytes { bytes in try Result { () throws(EventDecodingError) in try EventView(bytes) }.get() }
        #expect(view.type == .tipOffReceived)
        let destroyed = Event(eventId: "d-1", occurredAt: event.occurredAt, actor: Scenario.committee,
                              body: .reporterKeyDestroyed(ReporterKeyDestroyed(tipOffId: "JB-2024-0001", keyId: "k-1", reason: "期满")))
        #expect(try EventBinaryCodec.decode(EventBinaryCodec.encode(destroyed)) == destroyed)
        #expect(EventBinaryCodec.encode(destroyed)[1] == 13)
    }

    @Test func theInterchangeFormTakesAnIdentityButNeverASealedOne() throws {
        func document(_ reporter: String) throws -> JSONValue {
            try JSONParser.parse("""
            {"eventId":"e-1","type":"TipOffReceived","occurredAt":"2024-03-01T10:00:00+08:00",\
            "actor":{"organization":{"kind":"committee","id":"lx-aqw","name":"临湘市安委办"},"person":{"id":"p","name":"陈"}},\
            "data":{"tipOffId":"JB-2024-0001","channel":"hotline","summary":"s","reporterPseudonym":"p"\(reporter)}}
            """)
        }
        let good = try EventJSONDecoder.decodeInput(document(#","reporter":{"name":"欧阳锋华","idNumber":"11010519491231002x"}"#)).get()
        #expect(good.reporter == ReporterIdentity(name: "欧阳锋华", idNumber: "11010519491231002x"))
        // `decode` (no sealing behind it) refuses an identity.
        guard case .failure = EventJSONDecoder.decode(try document(#","reporter":{"name":"欧阳锋华"}"#)) else {
            Issue.record("decode took an identity it cannot seal")
            return
        }
        let cases: [(String, String)] = [
            (#","reporter":{}"#, "data.reporter"),
            (#","reporter":{"idNumber":"110105194912310021"}"#, "data.reporter.idNumber"),
            (#","reporter":{"phone":"12"}"#, "data.reporter.phone"),
            (#","reporter":{"bankAccount":"abc"}"#, "data.reporter.bankAccount"),
            (#","reporter":{"email":"a@b"}"#, "data.reporter.email"),
            (#","reporterSealed":{"keyId":"k","ciphertext":"AA=="}"#, "data.reporterSealed"),
        ]
        for (fragment, path) in cases {
            guard case .failure(let error) = EventJSONDecoder.decodeInput(try document(fragment)) else {
                Issue.record("accepted \(fragment)")
                continue
            }
            #expect(error.problems.map(\.path).contains(path), "\(fragment): \(error.problems)")
            for problem in error.problems {
                for value in ["110105194912310021", "abc", "a@b"] where problem.kind.message(.en).contains(value) {
                    Issue.record("\(path) repeats its value")
                }
            }
        }
    }
}
