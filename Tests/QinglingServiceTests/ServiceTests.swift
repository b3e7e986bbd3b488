import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import QinglingAccounts
import QinglingArchive
import QinglingAudit
import QinglingEvents
import QinglingLog
import QinglingProjections
import QinglingReports
import QinglingWorkflow
@testable import QinglingService
import Testing

/// A county with a log and four accounts, served over real HTTP on loopback.
private struct County {
    let directory = NSTemporaryDirectory() + "qingling-service-\(UUID().uuidString)"
    static let password = "a long passphrase for tests"

    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let accounts = try AccountStore(path: accountsPath, reference: .linxiang, passwordCost: PasswordRules.minimumCost)
        try accounts.add(login: "li.weidong", role: .department, organizationId: "lx-yjj", person: PersonRef(id: "yjj-017", name: "李卫东"), password: Self.password, by: "local:test")
        try accounts.add(login: "liu.jianguo", role: .enterprise, organizationId: "91430682MA4L0C7A47", organizationName: "临湘市桃林烟花爆竹有限公司",
                         person: PersonRef(id: "ent-001", name: "刘建国"), password: Self.password, by: "local:test")
        try accounts.add(login: "other.boss", role: .enterprise, organizationId: Self.otherEnterprise, organizationName: "临湘市某化工有限公司",
                         person: PersonRef(id: "ent-009", name: "某人"), password: Self.password, by: "local:test")
        try accounts.add(login: "zhao.min", role: .analyst, organizationId: "lx-aqw", person: PersonRef(id: "aqw-009", name: "赵敏"), password: Self.password, by: "local:test")
        try accounts.add(login: "wang.fang", role: .town, organizationId: "430682101", person: PersonRef(id: "zf-002", name: "王芳"), password: Self.password, by: "local:test")
    }

    static let otherEnterprise = CreditCode.withCheckCharacter("91430682MA4PBX3D2") ?? ""

    var log: String { directory + "/log" }
    var accountsPath: String { directory + "/accounts.sqlite" }

    func application(signingKeyPath: String? = nil, behindTLS: Bool = false, trustedProxies: [String] = []) throws -> some ApplicationProtocol {
        try QinglingService.application(ServiceConfiguration(logDirectory: log, accountsPath: accountsPath, port: 0, behindTLS: behindTLS,
                                                             signingKeyPath: signingKeyPath, trustedProxies: trustedProxies),
                                        logger: Logger(label: "test"))
    }

    static let report = #"{"eventId":"yjj-2024-0305-01","type":"HazardReported","occurredAt":"2024-03-05T09:30:00+08:00","data":{"hazardId":"LX-2024-0031","enterprise":{"creditCode":"91430682MA4L0C7A47","name":"临湘市桃林烟花爆竹有限公司"},"region":"桃林镇","industry":"烟花爆竹","criterionClause":"烟花爆竹生产经营单位重大事故隐患判定标准第三条","description":"成品仓库超量储存","source":"departmentInspection","discoveredOn":"2024-03-05"}}"#
}

/// Signs in and returns the bearer token and the CSRF token.
private func signIn(_ client: some TestClientProtocol, _ login: String, password: String = County.password) async throws -> (token: String, csrf: String, cookie: String?) {
    let response = try await client.execute(uri: "/api/v1/login", method: .post, headers: [.contentType: "application/json"],
                                            body: ByteBuffer(string: #"{"login":"\#(login)","password":"\#(password)"}"#))
    #expect(response.status == .ok)
    let object = try json(response)
    return (try #require(object["token"] as? String), try #require(object["csrfToken"] as? String), response.headers[.setCookie])
}

/// What a request of new events comes to, for comparisons.
private enum RequestAppendedFixture {
    static func appended(_ sequences: [UInt64]) -> RequestAppended {
        RequestAppended(sequences.map { EventStore.AppendReport.Outcome.written($0) })
    }
}

private func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)", .contentType: "application/json"] }

private func + (fields: HTTPFields, more: [HTTPField]) -> HTTPFields {
    var all = fields
    all.append(contentsOf: more)
    return all
}

private func json(_ response: TestResponse) throws -> [String: Any] {
    let body = String(buffer: response.body)
    return try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any], "\(body)")
}

/// Reads `path` over a socket of its own (the test client waits for a whole body; a stream has
/// none) until what was read satisfies `done`, or 20 s have passed; returns what was read.
private func readStream(port: Int, path: String, headers: [String], until done: @escaping @Sendable (String) -> Bool) async -> String {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async {
            var text = ""
            defer { continuation.resume(returning: text) }
            let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard socket >= 0 else { return }
            defer { close(socket) }
            var timeout = timeval(tv_sec: 20, tv_usec: 0)
            setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { return }
            let request = "GET \(path) HTTP/1.1\r\nHost: localhost\r\n" + headers.map { $0 + "\r\n" }.joined() + "\r\n"
            _ = request.utf8CString.withUnsafeBufferPointer { send(socket, $0.baseAddress, $0.count - 1, 0) }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            var received: [UInt8] = []
            while !done(text) {
                let count = recv(socket, &buffer, buffer.count, 0)
                guard count > 0 else { return }
                received += buffer[0..<count]
                text = String(decoding: received, as: UTF8.self)
            }
        }
    }
}

@Suite struct ServiceTests {
    @Test func nothingButLoginAndHealthAnswersWithoutASession() async throws {
        let county = try County()
        try await county.application().test(.live) { client in
            #expect(try await client.execute(uri: "/api/v1/healthz", method: .get).status == .ok)
            for (uri, method) in [("/api/v1/me", HTTPRequest.Method.get), ("/api/v1/events", .post), ("/api/v1/hazards/LX-2024-0031", .get), ("/api/v1/logout", .post)] {
                do {
                    let response = try await client.execute(uri: uri, method: method, headers: [.authorization: "Bearer forged"], body: ByteBuffer(string: "[]"))
                    #expect(response.status == .unauthorized, "\(uri)")
                    #expect(try json(response)["error"] as? String == "unauthorized")
                }
            }
            do {
                let response = try await client.execute(uri: "/api/v1/login", method: .post, headers: [.contentType: "application/json"],
                                     body: ByteBuffer(string: #"{"login":"li.weidong","password":"wrong password"}"#))
                #expect(response.status == .unauthorized)
                #expect(try json(response)["error"] as? String == "bad-credentials")
            }
        }
    }

    @Test func theActorOfAnEventIsTheSignedInPerson() async throws {
        let county = try County()
        try await county.application().test(.live) { client in
            let (token, _, _) = try await signIn(client, "li.weidong")
            do {
                let response = try await client.execute(uri: "/api/v1/me", method: .get, headers: bearer(token))
                #expect(try json(response)["role"] as? String == "department")
            }
            // Someone else's name as the actor is refused and writes nothing.
            let forged = County.report.replacingOccurrences(of: #""data""#, with: #""actor":{"organization":{"kind":"committee","id":"lx-aqw","name":"临湘市安全生产委员会办公室"},"person":{"id":"aqw-001","name":"谢卫平"}},"data""#)
            do {
                let response = try await client.execute(uri: "/api/v1/events", method: .post, headers: bearer(token), body: ByteBuffer(string: forged))
                #expect(response.status == .forbidden)
                let problems = try json(response)["problems"] as? [[String: Any]]
                #expect(problems?.first?["rule"] as? String == "actor")
            }
            // Without an actor, the account's is recorded.
            do {
                let response = try await client.execute(uri: "/api/v1/events", method: .post, headers: bearer(token), body: ByteBuffer(string: County.report))
                #expect(response.status == .ok)
                let answer = try json(response)
                #expect(answer["appended"] as? Int == 1)
                #expect(answer["firstSequence"] as? Int == 0)
            }
            // A retry is answered without writing again.
            do {
                let response = try await client.execute(uri: "/api/v1/events", method: .post, headers: bearer(token), body: ByteBuffer(string: County.report))
                let answer = try json(response)
                #expect(answer["appended"] as? Int == 0)
                #expect(answer["alreadyInLog"] as? Int == 1)
            }
            do {
                let response = try await client.execute(uri: "/api/v1/hazards/LX-2024-0031", method: .get, headers: bearer(token))
                #expect(response.status == .ok)
                let events = try json(response)["events"] as? [[String: Any]] ?? []
                let actor = events.first?["actor"] as? [String: Any]
                #expect((actor?["person"] as? [String: Any])?["id"] as? String == "yjj-017")
                #expect((actor?["organization"] as? [String: Any])?["id"] as? String == "lx-yjj")
            }
        }
    }

    @Test func readOnlyAccountsWriteNothingAndRefusalsSayWhy() async throws {
        let county = try County()
        try await county.application().test(.live) { client in
            let (analyst, _, _) = try await signIn(client, "zhao.min")
            do {
                let response = try await client.execute(uri: "/api/v1/events", method: .post, headers: bearer(analyst), body: ByteBuffer(string: County.report))
                #expect(response.status == .forbidden)
                #expect(try json(response)["error"] as? String == "read-only")
            }
            let (department, _, _) = try await signIn(client, "li.weidong")
            let closeUnknown = #"{"eventId":"c-1","type":"HazardClosed","occurredAt":"2024-04-03T16:00:00+08:00","data":{"hazardId":"LX-2024-0099","note":"同意销号"}}"#
            do {
                let response = try await client.execute(uri: "/api/v1/events", method: .post, headers: bearer(department) + [HTTPField(name: .acceptLanguage, value: "en")],
                                     body: ByteBuffer(string: County.report + "\n" + closeUnknown))
                #expect(response.status == .unprocessableContent)
                let problems = try json(response)["problems"] as? [[String: Any]] ?? []
                #expect(problems.count == 1)
                #expect((problems.first?["message"] as? String)?.contains("LX-2024-0099") == true)
            }
            do {
                let response = try await client.execute(uri: "/api/v1/hazards/LX-2024-0031", method: .get, headers: bearer(department))
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func aHazardOutsideTheReadersScopeDoesNotExist() async throws {
        let county = try County()
        try await county.application().test(.live) { client in
            let (department, _, _) = try await signIn(client, "li.weidong")
            #expect(try await client.execute(uri: "/api/v1/events", method: .post, headers: bearer(department), body: ByteBuffer(string: County.report)).status == .ok)
            let (enterprise, _, _) = try await signIn(client, "liu.jianguo")
            #expect(try await client.execute(uri: "/api/v1/hazards/LX-2024-0031", method: .get, headers: bearer(enterprise)).status == .ok)
            // 忠防镇's town is not 桃林镇's: the hazard is not there for it.
            let (town, _, _) = try await signIn(client, "wang.fang")
            do {
                let response = try await client.execute(uri: "/api/v1/hazards/LX-2024-0031", method: .get, headers: bearer(town))
                #expect(response.status == .notFound)
                #expect(try json(response)["error"] as? String == "not-found")
            }
        }
    }

    @Test func aCookieSessionWritesOnlyWithItsCSRFTokenAndEndsAtLogout() async throws {
        let county = try County()
        try await county.application().test(.live) { client in
            let (token, csrf, setCookie) = try await signIn(client, "li.weidong")
            let cookieHeader = try #require(setCookie)
            #expect(cookieHeader.contains("HttpOnly"))
            #expect(cookieHeader.contains("SameSite=Strict"))
            let cookie: HTTPFields = [.cookie: "qingling_session=\(token)", .contentType: "application/json"]
            #expect(try await client.execute(uri: "/api/v1/me", method: .get, headers: cookie).status == .ok)
            do {
                let response = try await client.execute(uri: "/api/v1/events", method: .post, headers: cookie, body: ByteBuffer(string: County.report))
                #expect(response.status == .forbidden)
                #expect(try json(response)["error"] as? String == "csrf")
            }
            var withToken = cookie
            withToken[HTTPField.Name("X-CSRF-Token")!] = csrf
            #expect(try await client.execute(uri: "/api/v1/events", method: .post, headers: withToken, body: ByteBuffer(string: County.report)).status == .ok)
            #expect(try await client.execute(uri: "/api/v1/logout", method: .post, headers: bearer(token), body: ByteBuffer()).status == .noContent)
            #expect(try await client.execute(uri: "/api/v1/me", method: .get, headers: bearer(token)).status == .unauthorized)
        }
    }

    @Test func signInsFailedSignInsAndSignOutsAreAudited() async throws {
        let county = try County()
        try await county.application().test(.live) { client in
            let wrong = try await client.execute(uri: "/api/v1/login", method: .post, headers: [.contentType: "application/json"],
                                                 body: ByteBuffer(string: #"{"login":"li.weidong","password":"not the password"}"#))
            #expect(wrong.status == .unauthorized)
            let (token, _, _) = try await signIn(client, "li.weidong")
            #expect(try await client.execute(uri: "/api/v1/logout", method: .post, headers: bearer(token), body: ByteBuffer()).status == .noContent)
        }
        let audit = AuditTrail(directory: AuditTrail.directory(besideAccounts: county.accountsPath))
        let entries = try audit.entries().map(\.entry).filter { !$0.by.hasPrefix("local:") }
        #expect(entries.map(\.kind) == [.signInFailed, .signedIn, .signedOut])
        #expect(entries.allSatisfy { $0.by == "li.weidong" && $0.address != nil })
        // The password tried is in no field (each record is one entry's JSON).
        #expect(!entries.contains { "\($0)".contains("not the password") })
    }

    @Test func aSignInThatCannotBeAuditedIsRefused() async throws {
        let county = try County()
        let audit = AuditTrail.directory(besideAccounts: county.accountsPath)
        try FileManager.default.removeItem(atPath: audit)
        FileManager.default.createFile(atPath: audit, contents: Data("not a log".utf8))
        try await county.application().test(.live) { client in
            let response = try await client.execute(uri: "/api/v1/login", method: .post, headers: [.contentType: "application/json"],
                                                    body: ByteBuffer(string: #"{"login":"li.weidong","password":"\#(County.password)"}"#))
            #expect(response.status == .serviceUnavailable)
            #expect(try json(response)["error"] as? String == "audit-unavailable")
            #expect(response.headers[.setCookie] == nil)
        }
    }

    @Test func theEventStreamSendsTheBacklogThenEachNewEventAndResumes() async throws {
        let county = try County()
        try await county.application().test(.live) { client in
            let port = try #require(client.port)
            let writer = try await signIn(client, "li.weidong").token
            #expect(try await client.execute(uri: "/api/v1/events", method: .post, headers: bearer(writer), body: ByteBuffer(string: County.report)).status == .ok)
            let analyst = try await signIn(client, "zhao.min").token
            async let live = readStream(port: port, path: "/api/v1/events/stream", headers: ["Authorization: Bearer \(analyst)"]) { $0.contains("id: 1\n") }
            try await Task.sleep(for: .milliseconds(300))
            let second = County.report.replacingOccurrences(of: "LX-2024-0031", with: "LX-2024-0032").replacingOccurrences(of: "yjj-2024-0305-01", with: "yjj-2024-0305-02")
            #expect(try await client.execute(uri: "/api/v1/events", method: .post, headers: bearer(writer), body: ByteBuffer(string: second)).status == .ok)
            let text = await live
            #expect(text.lowercased().contains("content-type: text/event-stream"))
            let zero = try #require(text.range(of: "id: 0\nevent: event\ndata: {"))
            let one = try #require(text.range(of: "id: 1\nevent: event\ndata: {"))
            #expect(zero.lowerBound < one.lowerBound)
            #expect(text.contains("LX-2024-0032"))

            // A reconnecting client names the last event it has, and gets only the later ones.
            let resumed = await readStream(port: port, path: "/api/v1/events/stream",
                                           headers: ["Authorization: Bearer \(analyst)", "Last-Event-ID: 0"]) { $0.contains("id: 1\n") }
            #expect(resumed.contains("id: 1\n") && !resumed.contains("id: 0\n"))

            // Only the county office follows the whole log; a bad position is a bad request.
            let enterprise = try await signIn(client, "liu.jianguo").token
            #expect(try await client.execute(uri: "/api/v1/events/stream", method: .get, headers: bearer(enterprise)).status == .notFound)
            #expect(try await client.execute(uri: "/api/v1/events/stream?after=x", method: .get, headers: bearer(analyst)).status == .badRequest)
        }
    }

    @Test func theChangesStreamTellsTheDashboardRolesTheLogsLengthAndNothingMore() async throws {
        let county = try County()
        try await county.application().test(.live) { client in
            let port = try #require(client.port)
            let writer = try await signIn(client, "li.weidong").token
            #expect(try await client.execute(uri: "/api/v1/events", method: .post, headers: bearer(writer), body: ByteBuffer(string: County.report)).status == .ok)
            // A department (who does not read the log itself) follows its length from the start.
            async let live = readStream(port: port, path: "/api/v1/events/changes?after=0", headers: ["Authorization: Bearer \(writer)"]) { $0.contains("data: 2\n") }
            try await Task.sleep(for: .milliseconds(300))
            let second = County.report.replacingOccurrences(of: "LX-2024-0031", with: "LX-2024-0032").replacingOccurrences(of: "yjj-2024-0305-01", with: "yjj-2024-0305-02")
            #expect(try await client.execute(uri: "/api/v1/events", method: .post, headers: bearer(writer), body: ByteBuffer(string: second)).status == .ok)
            let text = await live
            #expect(text.lowercased().contains("content-type: text/event-stream"))
            #expect(text.contains("id: 1\nevent: length\ndata: 2\n\n"))
            // It had the first event (after=0): the length 1 is not sent again, nor any event.
            #expect(!text.contains("data: 1\n") && !text.contains("LX-2024") && !text.contains("event: event"))
            // An enterprise and a town have no dashboard.
            for login in ["liu.jianguo", "wang.fang"] {
                let token = try await signIn(client, login).token
                #expect(try await client.execute(uri: "/api/v1/events/changes", method: .get, headers: bearer(token)).status == .notFound, "\(login)")
            }
        }
    }

    @Test func theHeadIsSignedWhenAKeyIsGivenAndTheSignatureVerifies() async throws {
        let county = try County()
        try LogWriter(directory: county.log).close()
        let keyPath = county.directory + "/keys/signing.key"
        let publicKey = try SigningKeys.generate(privateKeyPath: keyPath, logDirectory: county.log)
        try await county.application(signingKeyPath: keyPath).test(.live) { client in
            let analyst = try await signIn(client, "zhao.min").token
            let writer = try await signIn(client, "li.weidong").token
            for expected in [0, 1] as [UInt64] {
                let response = try await client.execute(uri: "/api/v1/head", method: .get, headers: bearer(analyst))
                #expect(response.status == .ok)
                let object = try json(response)
                let signedObject = try #require(object["signedHead"] as? [String: Any])
                let bytes = try JSONSerialization.data(withJSONObject: signedObject)
                let signed = try SignedHead.decode(Array(bytes), path: "GET /head")
                #expect(signed.problems(publicKey: publicKey).isEmpty)
                #expect(signed.statement.size == expected && object["size"] as? Int == Int(expected))
                #expect(signed.statement.chainHead.hexString == object["chainHead"] as? String)
                if expected == 0 {
                    #expect(try await client.execute(uri: "/api/v1/events", method: .post, headers: bearer(writer), body: ByteBuffer(string: County.report)).status == .ok)
                }
            }
        }
        // A key that is not the log's is refused at start.
        let other = county.directory + "/keys/other.key"
        let elsewhere = county.directory + "/elsewhere"
        try LogWriter(directory: elsewhere).close()
        _ = try SigningKeys.generate(privateKeyPath: other, logDirectory: elsewhere)
        #expect {
            _ = try county.application(signingKeyPath: other)
        } throws: { error in
            guard case .signingKey = error as? ServiceStartError else { return false }
            return true
        }
    }

    @Test func requestsAppendedTogetherAreEachAllOrNothingAndInOrder() async throws {
        let county = try County()
        let ledger = try LiveLedger(directory: county.log, reference: .linxiang)
        let actor = Actor(organization: OrganizationRef(kind: .department, id: "lx-yjj", name: "临湘市应急管理局"), person: PersonRef(id: "yjj-017", name: "李卫东"))
        func inputs(_ body: String) -> [EventStore.Input] { EventSubmission(body: Array(body.utf8), actor: actor, language: .en).inputs }
        func report(_ number: Int) -> String {
            County.report.replacingOccurrences(of: "LX-2024-0031", with: "LX-2024-00\(number)").replacingOccurrences(of: "yjj-2024-0305-01", with: "yjj-2024-0305-\(number)")
        }
        let supervisesNothing = #"{"eventId":"bad-1","type":"HazardClosed","occurredAt":"2024-03-06T09:30:00+08:00","data":{"hazardId":"LX-2024-0099","note":"x"}}"#
        // Three requests, the middle one refused: the others are appended, in order, each whole.
        let results = await ledger.append(requests: [inputs(report(41) + "\n" + report(42)), inputs(report(43) + "\n" + supervisesNothing), inputs(report(44))],
                                          hiding: [])
        #expect(try results[0].get() == RequestAppendedFixture.appended([0, 1]))
        guard case .failure(.refused(let violations)) = results[1] else { Issue.record("the middle request was not refused: \(results[1])"); return }
        #expect(violations.map(\.eventId) == ["bad-1"])
        #expect(try results[2].get().written == [2])
        // A retry in a group is answered as one, with no new sequence.
        let again = await ledger.append(requests: [inputs(report(44)), inputs(report(45))], hiding: [])
        #expect(try again[0].get().retries == 1 && again[0].get().written.isEmpty)
        #expect(try again[1].get().written == [3])
        #expect(await ledger.eventCount == 4)
        // The projections folded from the bytes written equal a rebuild from the log.
        let live = try await ledger.query { state, _ in state }.get()
        let (rebuilt, _) = try ProjectionStore.load(try EventStore(readingFrom: county.log), rebuild: true, save: false)
        #expect(live == rebuilt)
        #expect(try await ledger.close() == nil)
    }

    @Test func figuresAreTheCommandLinesReportsScopedByRole() async throws {
        let county = try County()
        try await county.application().test(.live) { client in
            let writer = try await signIn(client, "li.weidong").token
            #expect(try await client.execute(uri: "/api/v1/events", method: .post, headers: bearer(writer), body: ByteBuffer(string: County.report)).status == .ok)
            let analyst = try await signIn(client, "zhao.min").token
            let town = try await signIn(client, "wang.fang").token  // 忠防镇; the hazard is 桃林镇's
            let enterprise = try await signIn(client, "liu.jianguo").token
            let stats = try await client.execute(uri: "/api/v1/stats?period=2024&by=region&asOf=2024-12-31", method: .get, headers: bearer(analyst))
            #expect(stats.status == .ok)
            // The very report the command line prints with --format json, from the log.
            let store = try EventStore(readingFrom: county.log)
            let (state, _) = try ProjectionStore.load(store, save: false)
            let expected = Report.statistics(state, period: .year(2024), grouping: .region, knowledge: Knowledge(asOf: CalendarDate("2024-12-31")), reference: .linxiang)
            #expect(String(buffer: stats.body) == expected.render(.json, .en))
            // A town: its region's row only, and no county total.
            let own = try json(try await client.execute(uri: "/api/v1/stats?period=2024&by=both&asOf=2024-12-31", method: .get, headers: bearer(town)))
            let rows = try #require(own["rows"] as? [[String: Any]])
            #expect(rows.allSatisfy { $0["region"] as? String == "忠防镇" } && own["total"] == nil)
            let alerts = try json(try await client.execute(uri: "/api/v1/overdue?asOf=2024-12-31", method: .get, headers: bearer(town)))
            #expect((alerts["unsupervised"] as? [Any])?.isEmpty == true)
            let countyAlerts = try json(try await client.execute(uri: "/api/v1/overdue?asOf=2024-12-31", method: .get, headers: bearer(analyst)))
            #expect((countyAlerts["unsupervised"] as? [[String: Any]])?.first?["hazardId"] as? String == "LX-2024-0031")
            // Who may see what.
            for (token, uri, status) in [(enterprise, "/api/v1/stats?period=2024", HTTPResponse.Status.notFound), (town, "/api/v1/targets", .notFound),
                                         (analyst, "/api/v1/rewards", .notFound), (writer, "/api/v1/rewards", .ok), (analyst, "/api/v1/penalties", .ok),
                                         (analyst, "/api/v1/ranking?quarter=2024Q1", .ok), (analyst, "/api/v1/targets?asOf=2024-12-31", .ok),
                                         (analyst, "/api/v1/stats?period=20x4", .badRequest), (analyst, "/api/v1/ranking?quarter=2024", .badRequest),
                                         (analyst, "/api/v1/stats?period=2024&knownAt=yesterday", .badRequest)] {
                #expect(try await client.execute(uri: uri, method: .get, headers: bearer(token)).status == status, "\(uri)")
            }
        }
    }

    @Test func aKeptAnswerIsNeverOlderThanTheLogNorAnotherScopes() async throws {
        let county = try County()
        try await county.application().test(.live) { client in
            let writer = try await signIn(client, "li.weidong").token
            let analyst = try await signIn(client, "zhao.min").token
            let town = try await signIn(client, "wang.fang").token
            let uri = "/api/v1/stats?period=2024&by=region&asOf=2024-12-31"
            func expected() throws -> String {
                let (state, _) = try ProjectionStore.load(try EventStore(readingFrom: county.log), save: false)
                return Report.statistics(state, period: .year(2024), grouping: .region, knowledge: Knowledge(asOf: CalendarDate("2024-12-31")), reference: .linxiang)
                    .render(.json, .en)
            }
            #expect(try await client.execute(uri: "/api/v1/events", method: .post, headers: bearer(writer), body: ByteBuffer(string: County.report)).status == .ok)
            let first = String(buffer: try await client.execute(uri: uri, method: .get, headers: bearer(analyst)).body)
            #expect(first == (try expected()))
            #expect(String(buffer: try await client.execute(uri: uri, method: .get, headers: bearer(analyst)).body) == first)
            // The same question from a town is its region's answer, not the county's kept one.
            let own = String(buffer: try await client.execute(uri: uri, method: .get, headers: bearer(town)).body)
            #expect(own != first && !own.contains("桃林镇"))
            // A second hazard: the next answer counts it.
            let second = County.report.replacingOccurrences(of: "yjj-2024-0305-01", with: "yjj-2024-0305-02").replacingOccurrences(of: "LX-2024-0031", with: "LX-2024-0032")
            #expect(try await client.execute(uri: "/api/v1/events", method: .post, headers: bearer(writer), body: ByteBuffer(string: second)).status == .ok)
            let after = String(buffer: try await client.execute(uri: uri, method: .get, headers: bearer(analyst)).body)
            #expect(after != first)
            #expect(after == (try expected()))
        }
    }

    @Test func theAnswerCacheGivesOnlyAnswersOfTheLogAsItStands() {
        let cache = AnswerCache()
        let key = AnswerCache.Key(route: "stats", query: "period=2024", scope: "", today: CalendarDate(daysSinceEpoch: 20_000))
        cache.keep("five", for: key, logLength: 5)
        #expect(cache.answer(key, logLength: 5) == "five")
        #expect(cache.answer(key, logLength: 6) == nil)
        var other = key
        other.scope = "桃林镇"
        #expect(cache.answer(other, logLength: 5) == nil)
        cache.keep("six", for: key, logLength: 6)
        cache.keep("five again", for: key, logLength: 5)  // computed before the log grew: not kept
        #expect(cache.answer(key, logLength: 6) == "six")
        #expect(cache.answer(key, logLength: 5) == nil)
        for number in 0..<AnswerCache.capacity { cache.keep("\(number)", for: AnswerCache.Key(route: "overdue", query: "\(number)", scope: "", today: key.today), logLength: 6) }
        #expect(cache.answer(key, logLength: 6) == nil)  // emptied when full
    }

    @Test func remindersAreEachOrganisationsOwnDuties() async throws {
        let county = try County()
        let supervise = #"{"eventId":"yjj-2024-0306-01","type":"HazardSupervised","occurredAt":"2024-03-06T10:00:00+08:00","data":{"hazardId":"LX-2024-0031","leadDepartment":{"id":"lx-yjj","name":"临湘市应急管理局"},"supervisionLevel":"county","deadline":"2024-03-31","responsible":{"departmentOfficer":{"id":"yjj-017","name":"李卫东"},"townOfficer":{"id":"tl-005","name":"黄国强"}}}}"#
        try await county.application().test(.live) { client in
            let department = try await signIn(client, "li.weidong").token
            #expect(try await client.execute(uri: "/api/v1/events", method: .post, headers: bearer(department),
                                             body: ByteBuffer(string: County.report + "\n" + supervise)).status == .ok)
            func reminders(_ login: String) async throws -> (HTTPResponse.Status, [[String: Any]]) {
                let token = try await signIn(client, login).token
                let response = try await client.execute(uri: "/api/v1/reminders", method: .get, headers: bearer(token))
                guard response.status == .ok else { return (response.status, []) }
                return (response.status, try #require(try json(response)["reminders"] as? [[String: Any]]))
            }
            // Today the hazard is long past its deadline of 2024-03-31.
            let lead = try await reminders("li.weidong")
            #expect(lead.1.map { $0["duty"] as? String } == ["follow-up"] && lead.1.first?["hazardId"] as? String == "LX-2024-0031")
            #expect(lead.1.first?["overdue"] as? Bool == true && lead.1.first?["since"] as? String == "2024-03-31")
            let own = try await reminders("liu.jianguo")
            #expect(own.1.map { $0["duty"] as? String } == ["rectify"])
            #expect(try await reminders("other.boss").1.isEmpty)
            #expect(try await reminders("wang.fang").1.isEmpty)  // 忠防镇; the hazard is 桃林镇's
            #expect(try await reminders("zhao.min").0 == .notFound)
        }
    }

    @Test func remindersTellWhatIsDueSoonAwaitsVerificationOrCallsOnTheCommittee() async throws {
        let county = try County()
        let accounts = try AccountStore(path: county.accountsPath, reference: .linxiang, passwordCost: PasswordRules.minimumCost)
        try accounts.add(login: "chen.wei", role: .committee, organizationId: "lx-aqw", person: PersonRef(id: "aqw-001", name: "陈伟"),
                         password: County.password, by: "local:test")
        // Days in Asia/Shanghai, as the service counts them: the log's clock is the system's.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "Asia/Shanghai"))
        func day(_ offset: Int) -> String {
            let date = calendar.date(byAdding: .day, value: offset, to: Date()) ?? Date()
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
        }
        let yesterday = day(-1), dueIn5Days = day(5)
        let recentId = "LX-\(yesterday.prefix(4))-0033"  // a hazard's number carries the year it was found
        // LX-2024-0031 long overdue (supervised, deadline 2024-03-31); LX-2024-0032 never
        // supervised; LX-YYYY-0033 reported and supervised yesterday, due in five days.
        let overdue = #"{"eventId":"yjj-2024-0306-01","type":"HazardSupervised","occurredAt":"2024-03-06T10:00:00+08:00","data":{"hazardId":"LX-2024-0031","leadDepartment":{"id":"lx-yjj","name":"临湘市应急管理局"},"supervisionLevel":"county","deadline":"2024-03-31","responsible":{"departmentOfficer":{"id":"yjj-017","name":"李卫东"},"townOfficer":{"id":"tl-005","name":"黄国强"}}}}"#
        let unsupervised = County.report.replacingOccurrences(of: "LX-2024-0031", with: "LX-2024-0032").replacingOccurrences(of: "yjj-2024-0305-01", with: "yjj-2024-0305-02")
        let recent = County.report.replacingOccurrences(of: "LX-2024-0031", with: recentId).replacingOccurrences(of: "yjj-2024-0305-01", with: "yjj-recent-01")
            .replacingOccurrences(of: "2024-03-05T09:30:00+08:00", with: yesterday + "T09:00:00+08:00").replacingOccurrences(of: #""discoveredOn":"2024-03-05""#, with: #""discoveredOn":"\#(yesterday)""#)
        let superviseRecent = #"{"eventId":"yjj-recent-02","type":"HazardSupervised","occurredAt":"\#(yesterday)T10:00:00+08:00","data":{"hazardId":"\#(recentId)","leadDepartment":{"id":"lx-yjj","name":"临湘市应急管理局"},"supervisionLevel":"county","deadline":"\#(dueIn5Days)","responsible":{"departmentOfficer":{"id":"yjj-017","name":"李卫东"},"townOfficer":{"id":"tl-005","name":"黄国强"}}}}"#
        let rectifyRecent = #"{"eventId":"ent-recent-03","type":"HazardRectified","occurredAt":"\#(yesterday)T11:00:00+08:00","data":{"hazardId":"\#(recentId)","completedOn":"\#(yesterday)","measures":"清理超量成品","fundsFen":5000}}"#
        try await county.application().test(.live) { client in
            let department = try await signIn(client, "li.weidong").token
            let events = [County.report, overdue, unsupervised, recent, superviseRecent].joined(separator: "\n")
            let appended = try await client.execute(uri: "/api/v1/events", method: .post, headers: bearer(department), body: ByteBuffer(string: events))
            #expect(appended.status == .ok, "\(String(buffer: appended.body))")
            func reminders(_ login: String) async throws -> [String] {
                let token = try await signIn(client, login).token
                let response = try await client.execute(uri: "/api/v1/reminders", method: .get, headers: bearer(token))
                #expect(response.status == .ok)
                let found = try #require(try json(response)["reminders"] as? [[String: Any]])
                return found.map { "\($0["duty"] ?? "") \($0["hazardId"] ?? "") \(($0["overdue"] as? Bool) == true ? "overdue" : "due") \($0["since"] ?? "")" }
            }
            // Due within seven days: the enterprise must rectify it, its lead department follow it up.
            #expect(try await reminders("liu.jianguo") == ["rectify LX-2024-0031 overdue 2024-03-31", "rectify \(recentId) due \(dueIn5Days)"])
            #expect(try await reminders("li.weidong") == ["follow-up LX-2024-0031 overdue 2024-03-31", "follow-up \(recentId) due \(dueIn5Days)"])
            // The committee escalates what is long overdue and supervises what no one has.
            #expect(try await reminders("chen.wei") == ["escalate LX-2024-0031 overdue 2024-03-31", "supervise LX-2024-0032 overdue 2024-03-05"])
            // Rectified, it awaits the lead department's verification.
            let enterprise = try await signIn(client, "liu.jianguo").token
            let rectified = try await client.execute(uri: "/api/v1/events", method: .post, headers: bearer(enterprise), body: ByteBuffer(string: rectifyRecent))
            #expect(rectified.status == .ok, "\(String(buffer: rectified.body))")
            let afterRectification = (try await reminders("liu.jianguo"), try await reminders("li.weidong"))
            #expect(afterRectification.0 == ["rectify LX-2024-0031 overdue 2024-03-31"], "\(afterRectification.0)")
            #expect(afterRectification.1 == ["follow-up LX-2024-0031 overdue 2024-03-31", "verify \(recentId) due \(yesterday)"], "\(afterRectification.1)")
        }
    }

    @Test func traceIsTheCommandLinesScopedToWhatTheCallerSees() async throws {
        let county = try County()
        try await county.application().test(.live) { client in
            let writer = try await signIn(client, "li.weidong").token
            #expect(try await client.execute(uri: "/api/v1/events", method: .post, headers: bearer(writer), body: ByteBuffer(string: County.report)).status == .ok)
            let analyst = try await signIn(client, "zhao.min").token
            let answer = try await client.execute(uri: "/api/v1/trace?hazard=LX-2024-0031&asOf=2024-12-31", method: .get, headers: bearer(analyst))
            #expect(answer.status == .ok)
            let store = try EventStore(readingFrom: county.log)
            let lookup = TraceLookup(store: store, asOf: try #require(CalendarDate("2024-12-31")))
            let trace = try #require(try lookup.hazard("LX-2024-0031"))
            let expected = Report.trace([trace], penalties: nil, facts: Report.traceFacts(asOf: lookup.asOf, knownAt: nil) + Report.hazardFacts(trace),
                                        oneHazard: true, links: { _ in true }, findings: { _ in true })
            #expect(String(buffer: answer.body) == expected.render(.json, .en))
            let own = try await signIn(client, "liu.jianguo").token
            let other = try await signIn(client, "other.boss").token
            let town = try await signIn(client, "wang.fang").token
            for (token, uri, status) in [(own, "/api/v1/trace?hazard=LX-2024-0031", HTTPResponse.Status.ok),
                                         (own, "/api/v1/trace?enterprise=91430682MA4L0C7A47", .ok),
                                         (other, "/api/v1/trace?hazard=LX-2024-0031", .notFound),
                                         (other, "/api/v1/trace?enterprise=91430682MA4L0C7A47", .notFound),
                                         (town, "/api/v1/trace?hazard=LX-2024-0031", .notFound),
                                         (own, "/api/v1/trace?person=yjj-017", .notFound),
                                         (analyst, "/api/v1/trace?person=yjj-017", .ok),
                                         (analyst, "/api/v1/trace?organization=lx-yjj", .ok),
                                         (analyst, "/api/v1/trace?hazard=LX-2024-0099", .notFound),
                                         (analyst, "/api/v1/trace", .badRequest),
                                         (analyst, "/api/v1/trace?hazard=LX-2024-0031&person=yjj-017", .badRequest)] {
                #expect(try await client.execute(uri: uri, method: .get, headers: bearer(token)).status == status, "\(uri)")
            }
        }
    }

    @Test func aLoginBodyIsReadByTheStrictReader() async throws {
        let county = try County()
        try await county.application().test(.live) { client in
            @Sendable func login(_ client: some TestClientProtocol, _ body: ByteBuffer) async throws -> HTTPResponse.Status {
                try await client.execute(uri: "/api/v1/login", method: .post, headers: [.contentType: "application/json"], body: body).status
            }
            let right = try await login(client, ByteBuffer(string: #"{"login":"li.weidong","password":"\#(County.password)"}"#))
            #expect(right == .ok)
            for wrong in [#"{"login":"li.weidong","login":"zhao.min","password":"\#(County.password)"}"#,  // a duplicate key
                          #"{"login":"li.weidong","password":"\#(County.password)","role":"committee"}"#,    // another member
                          #"{"login":"li.weidong","password":12345678901234}"#,                               // not a string
                          #"{"login":"li.weidong","password":"\#(County.password)",}"#,                      // a trailing comma
                          #"["li.weidong","\#(County.password)"]"#] {
                let status = try await login(client, ByteBuffer(string: wrong))
                #expect(status == .badRequest, "\(wrong)")
            }
            var notUTF8 = ByteBuffer(string: #"{"login":"li.weidong","password":""#)
            notUTF8.writeBytes([0xC3, 0x28])
            notUTF8.writeString(#""}"#)
            let undecodable = try await login(client, notUTF8)
            #expect(undecodable == .badRequest)
            let tooLarge = try await login(client, ByteBuffer(string: #"{"login":"\#(String(repeating: "x", count: 70_000))","password":"p"}"#))
            #expect(tooLarge == .contentTooLarge)
        }
    }

    @Test func failedLoginsAreThrottledPerLoginWhateverThePassword() async throws {
        let county = try County()
        try await county.application().test(.live) { client in
            for _ in 0..<5 {
                let wrong = try await client.execute(uri: "/api/v1/login", method: .post, headers: [.contentType: "application/json"],
                                                     body: ByteBuffer(string: #"{"login":"li.weidong","password":"not the password"}"#))
                #expect(wrong.status == .unauthorized)
            }
            let right = try await client.execute(uri: "/api/v1/login", method: .post, headers: [.contentType: "application/json"],
                                                 body: ByteBuffer(string: #"{"login":"li.weidong","password":"\#(County.password)"}"#))
            #expect(right.status == .tooManyRequests)
            #expect(Int(right.headers[.retryAfter] ?? "") ?? 0 > 0)
            #expect(try json(right)["error"] as? String == "too-many-failures")
            // Another login from the same address is not yet held back.
            _ = try await signIn(client, "zhao.min")
        }
    }

    @Test func failedLoginsAreThrottledPerClientAsATrustedProxyForwardsIt() async throws {
        /// A login through `client` with `X-Forwarded-For: forwarded`.
        @Sendable func login(_ client: some TestClientProtocol, _ login: String, _ password: String, forwardedFor forwarded: String) async throws -> HTTPResponse.Status {
            try await client.execute(uri: "/api/v1/login", method: .post, headers: [.contentType: "application/json", .xForwardedFor: forwarded],
                                     body: ByteBuffer(string: #"{"login":"\#(login)","password":"\#(password)"}"#)).status
        }
        /// As many failed logins as an address may make, each for another login (none reaches the per-login limit).
        @Sendable func failFromOneAddress(_ client: some TestClientProtocol, forwardedFor forwarded: String) async throws {
            for attempt in 0..<ServiceLimits.failuresPerAddress {
                #expect(try await login(client, "nobody.\(attempt)", "not the password", forwardedFor: forwarded) == .unauthorized)
            }
        }
        // Without a trusted proxy the header is the client's word: every attempt is the peer's.
        let direct = try County()
        try await direct.application().test(.live) { client in
            try await failFromOneAddress(client, forwardedFor: "203.0.113.5")
            #expect(try await login(client, "li.weidong", County.password, forwardedFor: "198.51.100.7") == .tooManyRequests)
        }
        // Behind a trusted proxy (the test client's loopback address), each client is its own.
        let proxied = try County()
        try await proxied.application(trustedProxies: ["127.0.0.1", "::1"]).test(.live) { client in
            try await failFromOneAddress(client, forwardedFor: "203.0.113.5")
            #expect(try await login(client, "li.weidong", County.password, forwardedFor: "203.0.113.5") == .tooManyRequests)
            // What the client wrote left of the address the proxy appended changes nothing.
            #expect(try await login(client, "li.weidong", County.password, forwardedFor: "198.51.100.7, 203.0.113.5") == .tooManyRequests)
            #expect(try await login(client, "li.weidong", County.password, forwardedFor: "198.51.100.7") == .ok)
        }
        let audit = AuditTrail(directory: AuditTrail.directory(besideAccounts: proxied.accountsPath))
        let entries = try audit.entries().map(\.entry)
        #expect(entries.filter { $0.kind == .signInFailed }.allSatisfy { $0.address == "203.0.113.5" })
        #expect(entries.filter { $0.kind == .signedIn }.map(\.address) == ["198.51.100.7"])
    }

    @Test func aNewPasswordOrADisabledAccountEndsTheSessionsBegunBefore() async throws {
        let county = try County()
        try await county.application().test(.live) { client in
            let (department, _, _) = try await signIn(client, "li.weidong")
            let (analyst, _, _) = try await signIn(client, "zhao.min")
            // Both accounts read (and kept, `AccountCache`) before they change.
            for token in [department, analyst] {
                #expect(try await client.execute(uri: "/api/v1/me", method: .get, headers: bearer(token)).status == .ok)
            }
            // `qingling users` runs in another process: another handle on the same file.
            let accounts = try AccountStore(path: county.accountsPath, reference: .linxiang, passwordCost: PasswordRules.minimumCost)
            try accounts.setPassword("li.weidong", "another long passphrase", by: "local:test")
            try accounts.disable("zhao.min", by: "local:test")
            #expect(try await client.execute(uri: "/api/v1/me", method: .get, headers: bearer(department)).status == .unauthorized)
            #expect(try await client.execute(uri: "/api/v1/me", method: .get, headers: bearer(analyst)).status == .unauthorized)
            _ = try await signIn(client, "li.weidong", password: "another long passphrase")
        }
    }

    @Test func aHazardsFileNamesNoHazardOutsideTheReadersScope() async throws {
        let county = try County()
        let accounts = try AccountStore(path: county.accountsPath, reference: .linxiang, passwordCost: PasswordRules.minimumCost)
        try accounts.add(login: "chen.wei", role: .committee, organizationId: "lx-aqw", person: PersonRef(id: "aqw-001", name: "陈伟"),
                         password: County.password, by: "local:test")
        try await county.application().test(.live) { client in
            let department = try await signIn(client, "li.weidong").token
            // LX-2024-0031: 刘建国's enterprise, in 桃林镇; LX-2024-0032: another enterprise, in 忠防镇.
            let other = County.report.replacingOccurrences(of: "LX-2024-0031", with: "LX-2024-0032").replacingOccurrences(of: "yjj-2024-0305-01", with: "yjj-2024-0305-02")
                .replacingOccurrences(of: "91430682MA4L0C7A47", with: County.otherEnterprise).replacingOccurrences(of: "临湘市桃林烟花爆竹有限公司", with: "临湘市某化工有限公司")
                .replacingOccurrences(of: "桃林镇", with: "忠防镇")
            for report in [County.report, other] {
                #expect(try await client.execute(uri: "/api/v1/events", method: .post, headers: bearer(department), body: ByteBuffer(string: report)).status == .ok)
            }
            let committee = try await signIn(client, "chen.wei").token
            let escalation = #"{"eventId":"aqw-2024-0401","type":"EscalationIssued","occurredAt":"2024-04-01T09:00:00+08:00","data":{"level":"letter","target":{"kind":"department","id":"lx-yjj","name":"临湘市应急管理局"},"hazardIds":["LX-2024-0031","LX-2024-0032"],"reason":"整改迟缓"}}"#
            #expect(try await client.execute(uri: "/api/v1/events", method: .post, headers: bearer(committee), body: ByteBuffer(string: escalation)).status == .ok)
            /// The escalation in the file of `hazard` as `login` reads it.
            func escalationIn(_ hazard: String, by login: String) async throws -> (event: [String: Any], body: String) {
                let (token, _, _) = try await signIn(client, login)
                let response = try await client.execute(uri: "/api/v1/hazards/\(hazard)", method: .get, headers: bearer(token))
                #expect(response.status == .ok)
                let events = try #require(try json(response)["events"] as? [[String: Any]])
                return (try #require(events.first { $0["type"] as? String == "EscalationIssued" }), String(buffer: response.body))
            }
            // The enterprise and the town each see the escalation naming only their own hazard,
            // marked as shown in part and without the hash of the whole event.
            for (hazard, login, hidden) in [("LX-2024-0031", "liu.jianguo", "LX-2024-0032"), ("LX-2024-0032", "wang.fang", "LX-2024-0031")] {
                let (event, body) = try await escalationIn(hazard, by: login)
                #expect((event["data"] as? [String: Any])?["hazardIds"] as? [String] == [hazard])
                #expect(event["shownInPart"] as? Bool == true)
                #expect(event["hash"] == nil)
                #expect(!body.contains(hidden))
            }
            // The county's readers see it whole, with its hash.
            let (whole, _) = try await escalationIn("LX-2024-0031", by: "zhao.min")
            #expect((whole["data"] as? [String: Any])?["hazardIds"] as? [String] == ["LX-2024-0031", "LX-2024-0032"])
            #expect(whole["shownInPart"] == nil)
            #expect((whole["hash"] as? String)?.count == 64)
        }
    }

    @Test func aRefusalTellsAnEnterpriseNoMoreOfAnotherEnterprisesHazardThanARead() async throws {
        let county = try County()
        try await county.application().test(.live) { client in
            let (department, _, _) = try await signIn(client, "li.weidong")
            #expect(try await client.execute(uri: "/api/v1/events", method: .post, headers: bearer(department), body: ByteBuffer(string: County.report)).status == .ok)
            let (other, _, _) = try await signIn(client, "other.boss")
            func rectify(_ hazardId: String) -> String {
                #"{"eventId":"x-\#(hazardId)","type":"HazardRectified","occurredAt":"2024-04-01T11:00:00+08:00","expectedVersion":5,"data":{"hazardId":"\#(hazardId)","completedOn":"2024-03-31","measures":"清理","fundsFen":100}}"#
            }
            let hidden = try await client.execute(uri: "/api/v1/events", method: .post, headers: bearer(other), body: ByteBuffer(string: rectify("LX-2024-0031")))
            let missing = try await client.execute(uri: "/api/v1/events", method: .post, headers: bearer(other), body: ByteBuffer(string: rectify("LX-2024-0032")))
            #expect(hidden.status == missing.status)
            let hiddenText = String(buffer: hidden.body).replacingOccurrences(of: "0031", with: "0032")
            #expect(hiddenText == String(buffer: missing.body))
            #expect(!String(buffer: hidden.body).contains("91430682MA4L0C7A47"))
        }
    }

    @Test func aBodyOverTheLimitIsRefusedUnread() async throws {
        let county = try County()
        try await county.application().test(.live) { client in
            let (token, _, _) = try await signIn(client, "li.weidong")
            let tooLarge = try await client.execute(uri: "/api/v1/events", method: .post, headers: bearer(token),
                                                    body: ByteBuffer(repeating: UInt8(ascii: " "), count: ServiceLimits.bodyBytes + 1))
            #expect(tooLarge.status == .contentTooLarge)
            #expect(try json(tooLarge)["error"] as? String == "too-large")
            // Nothing was written; the same session goes on.
            #expect(try await client.execute(uri: "/api/v1/events", method: .post, headers: bearer(token), body: ByteBuffer(string: County.report)).status == .ok)
            let head = try json(try await client.execute(uri: "/api/v1/head", method: .get, headers: bearer(try await signIn(client, "zhao.min").token)))
            #expect(head["size"] as? Int == 1)
        }
    }

    @Test func aConflictWithTheLogIs409() async throws {
        let county = try County()
        try await county.application().test(.live) { client in
            let (token, _, _) = try await signIn(client, "li.weidong")
            #expect(try await client.execute(uri: "/api/v1/events", method: .post, headers: bearer(token), body: ByteBuffer(string: County.report)).status == .ok)
            // The same event id with other content, and a step expecting another version.
            let reused = County.report.replacingOccurrences(of: "成品仓库超量储存", with: "另一处隐患")
            let stale = #"{"eventId":"yjj-2024-0306-01","type":"HazardSupervised","occurredAt":"2024-03-06T10:00:00+08:00","expectedVersion":3,"data":{"hazardId":"LX-2024-0031","leadDepartment":{"id":"lx-yjj","name":"临湘市应急管理局"},"supervisionLevel":"county","deadline":"2024-04-30","responsible":{"departmentOfficer":{"id":"yjj-017","name":"李卫东"},"townOfficer":{"id":"tl-002","name":"张强"}}}}"#
            for (body, eventId) in [(reused, "yjj-2024-0305-01"), (stale, "yjj-2024-0306-01")] {
                let response = try await client.execute(uri: "/api/v1/events", method: .post, headers: bearer(token), body: ByteBuffer(string: body))
                #expect(response.status == .conflict, "\(eventId)")
                let answer = try json(response)
                #expect(answer["error"] as? String == "conflict")
                let problem = try #require((answer["problems"] as? [[String: Any]])?.first)
                #expect(problem["eventId"] as? String == eventId && problem["rule"] as? String == "workflow")
            }
        }
    }

    @Test func theSessionCookieIsSecureBehindTLSOnly() async throws {
        for behindTLS in [false, true] {
            let county = try County()
            try await county.application(behindTLS: behindTLS).test(.live) { client in
                let cookie = try #require(try await signIn(client, "li.weidong").cookie)
                #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
                #expect(cookie.contains("Secure") == behindTLS)
            }
        }
    }

    @Test func oneRequestHoldsBoundedEventsAndAnswersBoundedProblems() async throws {
        let county = try County()
        try await county.application().test(.live) { client in
            let (department, _, _) = try await signIn(client, "li.weidong")
            let tooMany = try await client.execute(uri: "/api/v1/events", method: .post, headers: bearer(department),
                                                   body: ByteBuffer(string: String(repeating: "{}\n", count: 10_001)))
            #expect(tooMany.status == .contentTooLarge)
            #expect(try json(tooMany)["error"] as? String == "too-many-events")
            let many = try await client.execute(uri: "/api/v1/events", method: .post, headers: bearer(department),
                                                body: ByteBuffer(string: String(repeating: "{}\n", count: 300)))
            #expect(many.status == .unprocessableContent)
            let answer = try json(many)
            #expect((answer["problems"] as? [Any])?.count == 100)
            #expect((answer["message"] as? String)?.contains("not listed") == true)
        }
    }

    @Test func theStoredActorIsTheAccountsOwnBytes() async throws {
        let county = try County()
        try await county.application().test(.live) { client in
            let (department, _, _) = try await signIn(client, "li.weidong")
            // U+F9E1 is a compatibility form of 李 (U+674E): equal as Swift compares, not as bytes.
            let claimed = County.report.replacingOccurrences(of: #""data""#, with: #""actor":{"organization":{"kind":"department","id":"lx-yjj","name":"临湘市应急管理局"},"person":{"id":"yjj-017","name":"\#u{F9E1}卫东"}},"data""#)
            #expect(try await client.execute(uri: "/api/v1/events", method: .post, headers: bearer(department), body: ByteBuffer(string: claimed)).status == .ok)
            let file = try await client.execute(uri: "/api/v1/hazards/LX-2024-0031", method: .get, headers: bearer(department))
            let bytes = Data(String(buffer: file.body).utf8)
            #expect(bytes.range(of: Data("\u{F9E1}".utf8)) == nil)
            #expect(bytes.range(of: Data(#""name":"李卫东""#.utf8)) != nil)
        }
    }

    @Test func loginTakesJSONOnlyAndBearerInAnyCaseAndMetricsAreForTheOffice() async throws {
        let county = try County()
        try await county.application().test(.live) { client in
            let form = try await client.execute(uri: "/api/v1/login", method: .post, headers: [.contentType: "text/plain"],
                                                body: ByteBuffer(string: #"{"login":"li.weidong","password":"\#(County.password)","x":"="}"#))
            #expect(form.status == .unsupportedMediaType)
            let (department, _, _) = try await signIn(client, "li.weidong")
            #expect(try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "bearer \(department)"]).status == .ok)
            #expect(try await client.execute(uri: "/api/v1/events", method: .post, headers: bearer(department), body: ByteBuffer(string: County.report)).status == .ok)
            #expect(try await client.execute(uri: "/metrics", method: .get, headers: bearer(department)).status == .notFound)
            let (analyst, _, _) = try await signIn(client, "zhao.min")
            let metrics = try await client.execute(uri: "/metrics", method: .get, headers: bearer(analyst))
            #expect(metrics.status == .ok)
            #expect(String(buffer: metrics.body).contains("qingling_events_appended_total 1"))
            #expect(String(buffer: metrics.body).contains(#"qingling_logins_total{outcome="success"} 2"#))
            // Every request counted by route, method and status, the refused ones too.
            let text = String(buffer: metrics.body)
            #expect(text.contains(#"qingling_http_requests_total{route="/api/v1/events",method="POST",status="200"} 1"#), "\(text)")
            #expect(text.contains(#"qingling_http_requests_total{route="/api/v1/login",method="POST",status="415"} 1"#), "\(text)")
            #expect(text.contains(#"qingling_http_requests_total{route="/metrics",method="GET",status="404"} 1"#), "\(text)")
            #expect(text.contains(#"qingling_http_request_duration_seconds_count{route="/api/v1/events",method="POST",status="200"} 1"#), "\(text)")
        }
    }

    @Test func everyErrorAnswerHasTheOneShape() async throws {
        let county = try County()
        try await county.application().test(.live) { client in
            let (department, _, _) = try await signIn(client, "li.weidong")
            for (uri, method, status) in [("/api/v1/nothing-here", HTTPRequest.Method.get, HTTPResponse.Status.notFound),
                                          ("/api/v1/logout", .get, .notFound), ("/api/v1/me", .delete, .notFound)] {
                let response = try await client.execute(uri: uri, method: method, headers: bearer(department), body: ByteBuffer())
                #expect(response.status.code / 100 == 4, "\(uri)")
                #expect(response.status == status || response.status == .methodNotAllowed, "\(uri): \(response.status)")
                #expect(try json(response)["error"] is String, "\(uri)")
            }
        }
    }

    @Test func theCountyOfficeFollowsTheLogByHeadAndEventsAfter() async throws {
        let county = try County()
        try await county.application().test(.live) { client in
            let (department, _, _) = try await signIn(client, "li.weidong")
            let second = County.report.replacingOccurrences(of: "yjj-2024-0305-01", with: "yjj-2024-0305-02")
                .replacingOccurrences(of: "LX-2024-0031", with: "LX-2024-0032")
            #expect(try await client.execute(uri: "/api/v1/events", method: .post, headers: bearer(department),
                                             body: ByteBuffer(string: County.report + "\n" + second)).status == .ok)
            #expect(try await client.execute(uri: "/api/v1/events?after=0", method: .get, headers: bearer(department)).status == .notFound)
            #expect(try await client.execute(uri: "/api/v1/head", method: .get, headers: bearer(department)).status == .notFound)
            let (analyst, _, _) = try await signIn(client, "zhao.min")
            let head = try json(try await client.execute(uri: "/api/v1/head", method: .get, headers: bearer(analyst)))
            #expect(head["size"] as? Int == 2)
            #expect(head["lastSequence"] as? Int == 1)
            #expect((head["chainHead"] as? String)?.count == 64)
            let all = String(buffer: try await client.execute(uri: "/api/v1/events", method: .get, headers: bearer(analyst)).body)
            #expect(all.split(separator: "\n").count == 2)
            let after = String(buffer: try await client.execute(uri: "/api/v1/events?after=0", method: .get, headers: bearer(analyst)).body)
            let lines = after.split(separator: "\n")
            #expect(lines.count == 1)
            #expect(lines.first?.contains(#""sequence":1"#) == true)
            #expect(lines.first?.contains("LX-2024-0032") == true)
            #expect(String(buffer: try await client.execute(uri: "/api/v1/events?after=1", method: .get, headers: bearer(analyst)).body).isEmpty)
            #expect(try await client.execute(uri: "/api/v1/events?after=x", method: .get, headers: bearer(analyst)).status == .badRequest)
        }
    }

    @Test func theOpenAPIDocumentNamesExactlyTheRoutesServed() async throws {
        let county = try County()
        let served = try await county.application().test(.live) { client in
            let response = try await client.execute(uri: "/api/v1/openapi.json", method: .get)
            #expect(response.status == .ok)
            return try json(response)
        }
        #expect(served["openapi"] as? String == "3.1.0")
        let paths = served["paths"] as? [String: [String: Any]] ?? [:]
        let documented = Set(paths.flatMap { path, methods in methods.keys.map { "\($0.uppercased()) \(path)" } })
        let router = QinglingService.router(ledger: try LiveLedger(directory: county.log, reference: .linxiang),
                                            accounts: try AccountStore(path: county.accountsPath, reference: .linxiang), metrics: ServiceMetrics(),
                                            configuration: ServiceConfiguration(logDirectory: county.log, accountsPath: county.accountsPath))
        let routed = Set(router.routes.map { "\($0.method) \($0.path)".replacingOccurrences(of: "/:id", with: "/{id}") })
        #expect(routed == documented, "routed, not documented: \(routed.subtracting(documented)); documented, not routed: \(documented.subtracting(routed))")
    }
}
