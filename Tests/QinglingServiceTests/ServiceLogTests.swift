import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import QinglingService
import Testing

/// What the service's own log (swift-log, standard error) never holds: a password, a token, a
/// request body.
struct ServiceLogTests {
    @Test func noPasswordTokenOrBodyReachesTheServiceLog() async throws {
        var county = try LedgerCounty()
        let lines = RecordedLogLines()
        county.logLines = lines
        let wrongPassword = "a wrong passphrase tried"
        let description = "日志中不应出现的隐患描述"
        try await county.run { client, tokens in
            let refused = try await client.execute(uri: "/api/v1/login", method: .post, headers: [.contentType: "application/json"],
                                                   body: ByteBuffer(string: #"{"login":"dept.yjj","password":"\#(wrongPassword)"}"#))
            #expect(refused.status == .unauthorized)
            // A refused append, an append, a request with a bogus token, a logout.
            let token = try #require(tokens["dept.yjj"])
            let report = LedgerCounty.events[0].replacingOccurrences(of: "LX-2024-0001", with: "LX-2024-0099")
                .replacingOccurrences(of: #""eventId":""#, with: #""eventId":"again-"#)
            for body in [report.replacingOccurrences(of: "桃林镇", with: "不存在镇"), report] {
                _ = try await client.execute(uri: "/api/v1/events", method: .post, headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                                             body: ByteBuffer(string: body.replacingOccurrences(of: #""description":""#, with: #""description":"\#(description)"#)))
            }
            let bogus = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(token)x"])
            #expect(bogus.status == .unauthorized)
            #expect(try await client.execute(uri: "/api/v1/logout", method: .post, headers: [.authorization: "Bearer \(token)"]).status == .noContent)
            let secrets = [LedgerCounty.password, wrongPassword, description] + tokens.values
            let leaked = lines.all.filter { line in secrets.contains { line.contains($0) } }
            #expect(leaked.isEmpty, "\(leaked)")
            #expect(lines.all.contains { $0.contains("dept.yjj") }, "the failed login is logged, by login: \(lines.all)")
        }
    }
}
