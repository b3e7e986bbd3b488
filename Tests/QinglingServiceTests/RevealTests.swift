import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import QinglingAudit
import QinglingKeyStore
import QinglingLog
import QinglingWorkflow
import Testing

/// Reporters' identities through the service: sealed on `POST /events`, revealed by the
/// committee only (everyone else 404), each reveal audited with its reason; 410 once shredded.
@Suite struct RevealTests {
    static let name = "欧阳锋华", phone = "13912345678"

    static let tipOff = #"{"eventId":"t-2","type":"TipOffReceived","occurredAt":"2024-08-01T10:00:00+08:00","data":{"tipOffId":"JB-2024-0002","channel":"online","summary":"夜间偷运","reporterPseudonym":"群众乙","reporter":{"name":"\#(name)","phone":"\#(phone)"}}}"#

    static func county(withKeyStore: Bool) throws -> LedgerCounty {
        var county = try LedgerCounty()
        if withKeyStore {
            let master = try MasterKey(hex: String(repeating: "5a", count: 32), source: "test")
            county.vault = ReporterVault(keyStore: try KeyStore.create(at: county.directory + "/county.keystore", master: master))
        }
        return county
    }

    static func post(_ client: any TestClientProtocol, _ uri: String, _ token: String?, _ body: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: [.authorization: "Bearer \(token ?? "")", .contentType: "application/json"],
                                 body: ByteBuffer(string: body))
    }

    @Test func theCommitteeAloneRevealsEachRevealAuditedWithItsReason() async throws {
        var configured = try Self.county(withKeyStore: true)
        let logLines = RecordedLogLines()
        configured.logLines = logLines
        let county = configured
        try await county.run { client, tokens in
            let appended = try await Self.post(client, "/api/v1/events", tokens["dept.yjj"], Self.tipOff)
            #expect(appended.status == .ok, "\(String(buffer: appended.body))")
            let retried = try await Self.post(client, "/api/v1/events", tokens["dept.yjj"], Self.tipOff)
            #expect(retried.status == .ok, "\(String(buffer: retried.body))")
            let other = try await Self.post(client, "/api/v1/events", tokens["dept.yjj"], Self.tipOff.replacingOccurrences(of: Self.name, with: "别人"))
            #expect(other.status == .conflict)
            #expect(!String(buffer: other.body).contains(Self.name))

            for login in ["dept.yjj", "analyst", "archivist", "ent.one", "town.taolin"] {
                let refused = try await Self.post(client, "/api/v1/tipoffs/JB-2024-0002/reveal", tokens[login], #"{"reason":"看看"}"#)
                #expect(refused.status == .notFound, "\(login)")
            }
            #expect(try await Self.post(client, "/api/v1/tipoffs/JB-2024-0002/reveal", tokens["committee"], #"{"reason":"  "}"#).status == .badRequest)
            // A tip-off without a sealed identity is not found either.
            #expect(try await Self.post(client, "/api/v1/tipoffs/JB-2024-0001/reveal", tokens["committee"], #"{"reason":"核对"}"#).status == .notFound)
            let revealed = try await Self.post(client, "/api/v1/tipoffs/JB-2024-0002/reveal", tokens["committee"], #"{"reason":"奖励发放核对身份"}"#)
            #expect(revealed.status == .ok && revealed.headers[.cacheControl] == "no-store")
            let reporter = try #require(try LedgerCounty.object(revealed)["reporter"] as? [String: String])
            #expect(reporter == ["name": Self.name, "phone": Self.phone])

            // The tip-off as others read it carries the ciphertext only.
            let read = try await client.get("/api/v1/tipoffs/JB-2024-0002", tokens["dept.yjj"])
            #expect(String(buffer: read.body).contains("reporterSealed") && !String(buffer: read.body).contains(Self.name))

            // Shredded: gone for the committee too.
            #expect(try county.vault?.destroy(keyId: "t-2") == true)
            let gone = try await Self.post(client, "/api/v1/tipoffs/JB-2024-0002/reveal", tokens["committee"], #"{"reason":"再看"}"#)
            #expect(gone.status == .gone && !String(buffer: gone.body).contains(Self.name))
        }
        let reveals = try AuditTrail(directory: AuditTrail.directory(besideAccounts: county.accountsPath)).entries().map(\.entry)
            .filter { $0.kind == .reporterRevealed }
        #expect(reveals.map(\.by) == ["committee", "committee"])
        #expect(reveals.map(\.detail) == ["reason: 奖励发放核对身份", "reason: 再看"])
        #expect(reveals.allSatisfy { $0.subject == "JB-2024-0002" && !"\($0)".contains(Self.name) })

        // Nothing of the identity in the service's log lines (every level), though it logged.
        #expect(!logLines.all.isEmpty)
        #expect(!logLines.all.contains { $0.contains(Self.name) || $0.contains(Self.phone) })

        // Nothing of the identity under the log directory: raw bytes and decompressed records.
        let log = county.directory + "/log"
        for file in FileManager.default.enumerator(atPath: log)?.compactMap({ $0 as? String }) ?? [] {
            let bytes = [UInt8](FileManager.default.contents(atPath: log + "/" + file) ?? Data())
            #expect(!bytes.contains(Array(Self.name.utf8)) && !bytes.contains(Array(Self.phone.utf8)), "\(file)")
        }
        try LogReader(directory: log).forEach(from: 0) { record in
            #expect(!record.payload.contains(Array(Self.name.utf8)) && !record.payload.contains(Array(Self.phone.utf8)))
        }
    }

    @Test func withoutAKeyStoreAnIdentityIsRefusedAndNothingCanBeRevealed() async throws {
        let county = try Self.county(withKeyStore: false)
        try await county.run { client, tokens in
            let refused = try await Self.post(client, "/api/v1/events", tokens["dept.yjj"], Self.tipOff)
            #expect(refused.status == .unprocessableContent)
            let text = String(buffer: refused.body)
            #expect(text.contains("key store") || text.contains("密钥库"), "\(text)")
            #expect(!text.contains(Self.name) && !text.contains(Self.phone))
            #expect(try await Self.post(client, "/api/v1/tipoffs/JB-2024-0002/reveal", tokens["committee"], #"{"reason":"核对"}"#).status == .notFound)
        }
    }
}
