import Foundation
import HTTPTypes
import HummingbirdTesting
import QinglingAudit
import Testing

/// `GET /api/v1/tipoffs/{id}` and `GET /api/v1/rewards`: tip-off details for departments and the
/// committee only, each answer recorded once in the audit log, without what the tip-off says.
@Suite struct TipOffReadTests {
    /// The audit log's reads of tip-off details so far.
    static func reads(_ county: LedgerCounty) throws -> [AuditEntry] {
        try AuditTrail(directory: AuditTrail.directory(besideAccounts: county.accountsPath)).entries().map(\.entry).filter { $0.kind == .tipOffRead }
    }

    @Test func aTipOffIsItsReceiptHazardsPenaltiesAndRewardsForDepartmentsAndTheCommitteeOnly() async throws {
        let county = try LedgerCounty()
        try await county.run { client, tokens in
            let response = try await client.get("/api/v1/tipoffs/JB-2024-0001", tokens["dept.yjj"])
            #expect(response.status == .ok)
            let answer = try LedgerCounty.object(response)
            #expect(answer["tipOffId"] as? String == "JB-2024-0001")
            let received = try #require(answer["received"] as? [String: Any])
            #expect(received["type"] as? String == "TipOffReceived" && received["sequence"] as? Int == 4 && received["hash"] is String)
            let data = try #require(received["data"] as? [String: Any])
            #expect(data["summary"] as? String == LedgerCounty.tipOffSummary && data["reporterPseudonym"] as? String == "群众甲")
            #expect(answer["hazards"] as? [[String: String]] == [["hazardId": "LX-2024-0003", "status": "reported"]])
            let penalties = try #require(answer["penalties"] as? [[String: Any]])
            #expect(penalties.map { $0["eventId"] as? String } == ["p-1"])
            let rewards = try #require(answer["rewards"] as? [[String: Any]])
            #expect(rewards.map { $0["eventId"] as? String } == ["b-1"])
            #expect(try await client.get("/api/v1/tipoffs/JB-2024-0001", tokens["committee"]).status == .ok)
            // Everyone else: as if there were no such tip-off; and an unknown one is not found.
            for login in ["analyst", "archivist", "ent.one", "ent.two", "town.taolin", "town.zhongfang"] {
                let refused = try await client.get("/api/v1/tipoffs/JB-2024-0001", tokens[login])
                #expect(refused.status == .notFound, "\(login)")
                #expect(try LedgerCounty.object(refused)["error"] as? String == "not-found", "\(login)")
            }
            #expect(try await client.get("/api/v1/tipoffs/JB-2024-0999", tokens["dept.yjj"]).status == .notFound)
            // A hazard's id is not a tip-off's.
            #expect(try await client.get("/api/v1/tipoffs/LX-2024-0003", tokens["committee"]).status == .notFound)
        }
        // The two answers, and nothing else, were audited.
        let reads = try Self.reads(county)
        #expect(reads.map(\.by) == ["dept.yjj", "committee"])
        #expect(reads.allSatisfy { $0.subject == "JB-2024-0001" && $0.detail == "GET /api/v1/tipoffs/JB-2024-0001" && $0.address != nil })
        // What the tip-off says is in no entry (each record is one entry's JSON).
        let everything = try AuditTrail(directory: AuditTrail.directory(besideAccounts: county.accountsPath)).entries()
        #expect(!everything.contains { "\($0)".contains(LedgerCounty.tipOffSummary) || "\($0)".contains("群众甲") })
    }

    @Test func theRewardsPageAndItsDownloadsAreAuditedAsTheRouteIs() async throws {
        let county = try LedgerCounty()
        try await county.run { client, tokens in
            for uri in ["/analysis/rewards", "/analysis/rewards.csv?paidOnly=true", "/analysis/rewards.json"] {
                #expect(try await client.get(uri, tokens["committee"]).status == .ok, "\(uri)")
            }
            #expect(try await client.get("/analysis/rewards", tokens["analyst"]).status == .notFound)
            let reads = try Self.reads(county)
            #expect(reads.map(\.detail) == [
                "GET /analysis/rewards (tip-offs: 1)", "GET /analysis/rewards.csv?paidOnly=true (tip-offs: 1)", "GET /analysis/rewards.json (tip-offs: 1)",
            ])
            #expect(reads.allSatisfy { $0.by == "committee" })
        }
    }

    @Test func eachReadLeavesExactlyOneAuditEntry() async throws {
        let county = try LedgerCounty()
        try await county.run { client, tokens in
            for (number, (login, uri)) in [("dept.yjj", "/api/v1/tipoffs/JB-2024-0001"), ("dept.yjj", "/api/v1/tipoffs/JB-2024-0001"),
                                           ("committee", "/api/v1/rewards"), ("dept.yjj", "/api/v1/rewards?paidOnly=true&knownAt=2000-01-01")].enumerated() {
                #expect(try await client.get(uri, tokens[login]).status == .ok, "\(uri)")
                let reads = try Self.reads(county)
                #expect(reads.count == number + 1, "\(uri)")
                #expect(reads.last?.by == login, "\(uri)")
            }
            // Refused reads read nothing and leave nothing.
            #expect(try await client.get("/api/v1/rewards", tokens["analyst"]).status == .notFound)
            #expect(try await client.get("/api/v1/rewards?knownAt=never", tokens["committee"]).status == .badRequest)
            #expect(try Self.reads(county).count == 4)
            let details = try Self.reads(county).map(\.detail)
            // Nothing was recorded by 2000: that read showed no tip-off.
            #expect(details.suffix(2) == ["GET /api/v1/rewards (tip-offs: 1)", "GET /api/v1/rewards?knownAt=2000-01-01&paidOnly=true (tip-offs: 0)"])
            #expect(try Self.reads(county).suffix(2).allSatisfy { $0.subject == nil })
        }
    }

    @Test func aReadThatCannotBeAuditedIsRefused() async throws {
        let county = try LedgerCounty()
        try await county.run { client, tokens in
            // The audit log is gone after the sign-ins: nothing can be recorded.
            let audit = AuditTrail.directory(besideAccounts: county.accountsPath)
            try FileManager.default.removeItem(atPath: audit)
            _ = FileManager.default.createFile(atPath: audit, contents: Data("not a log".utf8))
            for uri in ["/api/v1/tipoffs/JB-2024-0001", "/api/v1/rewards"] {
                let response = try await client.get(uri, tokens["dept.yjj"])
                #expect(response.status == .serviceUnavailable, "\(uri)")
                let answer = try LedgerCounty.object(response)
                #expect(answer["error"] as? String == "audit-unavailable", "\(uri)")
                #expect(!String(buffer: response.body).contains(LedgerCounty.tipOffSummary))
            }
            // The ledger itself is no tip-off detail: it answers.
            #expect(try await client.get("/api/v1/hazards", tokens["dept.yjj"]).status == .ok)
        }
    }
}
