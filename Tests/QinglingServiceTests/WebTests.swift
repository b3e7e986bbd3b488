import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import QinglingAccounts
import QinglingEvents
import QinglingLog
import QinglingWorkflow
@testable import QinglingService
import Testing

/// A county with a department and two enterprises, its pages served over real HTTP on loopback.
private struct WebCounty {
    let directory = NSTemporaryDirectory() + "qingling-web-\(UUID().uuidString)"
    static let password = "a long passphrase for tests"
    static let hazard = "LX-2024-0031"

    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let accounts = try AccountStore(path: accountsPath, reference: .linxiang, passwordCost: PasswordRules.minimumCost)
        try accounts.add(login: "li.weidong", role: .department, organizationId: "lx-yjj", person: PersonRef(id: "yjj-017", name: "李卫东"), password: Self.password, by: "local:test")
        try accounts.add(login: "liu.jianguo", role: .enterprise, organizationId: "91430682MA4L0C7A47", organizationName: "临湘市桃林烟花爆竹有限公司",
                         person: PersonRef(id: "ent-001", name: "刘建国"), password: Self.password, by: "local:test")
        try accounts.add(login: "other.boss", role: .enterprise, organizationId: CreditCode.withCheckCharacter("91430682MA4PBX3D2") ?? "",
                         organizationName: "临湘市某化工有限公司", person: PersonRef(id: "ent-009", name: "某人"), password: Self.password, by: "local:test")
    }

    var accountsPath: String { directory + "/accounts.sqlite" }

    func application() throws -> some ApplicationProtocol {
        try QinglingService.application(ServiceConfiguration(logDirectory: directory + "/log", accountsPath: accountsPath, port: 0), logger: Logger(label: "test"))
    }

    /// A report whose description is hostile markup, and its supervision with a deadline long past.
    static func events(description: String) -> String {
        let report = #"{"eventId":"yjj-2024-0305-01","type":"HazardReported","occurredAt":"2024-03-05T09:30:00+08:00","data":{"hazardId":"LX-2024-0031","enterprise":{"creditCode":"91430682MA4L0C7A47","name":"临湘市桃林烟花爆竹有限公司"},"region":"桃林镇","industry":"烟花爆竹","criterionClause":"烟花爆竹生产经营单位重大事故隐患判定标准第三条","description":"DESCRIPTION","source":"departmentInspection","discoveredOn":"2024-03-05"}}"#
        let supervise = #"{"eventId":"yjj-2024-0306-01","type":"HazardSupervised","occurredAt":"2024-03-06T10:00:00+08:00","data":{"hazardId":"LX-2024-0031","leadDepartment":{"id":"lx-yjj","name":"临湘市应急管理局"},"supervisionLevel":"county","deadline":"2024-03-31","responsible":{"departmentOfficer":{"id":"yjj-017","name":"李卫东"},"townOfficer":{"id":"tl-005","name":"黄国强"}}}}"#
        return report.replacingOccurrences(of: "DESCRIPTION", with: description) + "\n" + supervise
    }
}

/// A browser's session: its cookie and the CSRF token its pages carry.
private struct Session {
    var cookie: String
    var csrf: String
    var headers: HTTPFields { [.cookie: cookie] }
}

private func body(_ response: TestResponse) -> String { String(buffer: response.body) }

private func formEncoded(_ fields: [(String, String)]) -> ByteBuffer {
    ByteBuffer(string: fields.map { "\($0)=\($1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&"))
}

/// The value of cookie `name` that `response` sets, if it does.
private func cookie(_ name: String, setBy response: TestResponse) -> String? {
    for header in response.headers[values: .setCookie] where header.hasPrefix(name + "=") {
        return String(header.dropFirst(name.count + 1).prefix { $0 != ";" })
    }
    return nil
}

/// The value of the hidden `csrf_token` field of a page.
private func csrfField(_ html: String) -> String? {
    guard let start = html.range(of: #"name="csrf_token" value=""#) else { return nil }
    return String(html[start.upperBound...].prefix { $0 != "\"" })
}

/// Opens the login form and posts it; the answer and, when signed in, the session.
private func signIn(_ client: some TestClientProtocol, _ login: String, password: String = WebCounty.password) async throws -> (TestResponse, Session?) {
    let form = try await client.execute(uri: "/login", method: .get)
    #expect(form.status == .ok)
    let token = try #require(cookie("qingling_login", setBy: form))
    #expect(csrfField(body(form)) == token)
    let response = try await client.execute(uri: "/login", method: .post,
                                            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "qingling_login=\(token)"],
                                            body: formEncoded([("csrf_token", token), ("login", login), ("password", password)]))
    guard let session = cookie("qingling_session", setBy: response) else { return (response, nil) }
    let home = try await client.execute(uri: "/find", method: .get, headers: [.cookie: "qingling_session=\(session)"])
    return (response, Session(cookie: "qingling_session=\(session)", csrf: try #require(csrfField(body(home)))))
}

@Suite struct WebTests {
    @Test func aPageWithoutASessionSendsTheBrowserToTheLoginForm() async throws {
        let county = try WebCounty()
        try await county.application().test(.live) { client in
            for uri in ["/", "/reminders", "/hazards/\(WebCounty.hazard)", "/find"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .seeOther, "\(uri)")
                #expect(response.headers[.location] == "/login", "\(uri)")
            }
            let stylesheet = try await client.execute(uri: "/assets/qingling.css", method: .get)
            #expect(stylesheet.status == .ok && body(stylesheet).contains("@media print"))
        }
    }

    @Test func aWrongPasswordShowsTheFormAgainWithTheLoginTypedAndAMessage() async throws {
        let county = try WebCounty()
        try await county.application().test(.live) { client in
            let (refused, none) = try await signIn(client, "li.weidong", password: "not the password")
            #expect(refused.status == .unauthorized && none == nil)
            let html = body(refused)
            #expect(html.contains("登录名或密码错误"))
            #expect(html.contains(#"value="li.weidong""#))
            #expect(!html.contains("not the password"))
            let (granted, session) = try await signIn(client, "li.weidong")
            #expect(granted.status == .seeOther && granted.headers[.location] == "/")
            let setCookie = granted.headers[values: .setCookie].first { $0.hasPrefix("qingling_session=") } ?? ""
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"))
            // The header names who is signed in: person, organisation, role.
            let page = try await client.execute(uri: "/find", method: .get, headers: try #require(session).headers)
            #expect(body(page).contains("李卫东") && body(page).contains("临湘市应急管理局") && body(page).contains("行业主管部门"))
            // The lookup form leads to the file, its number one segment of the path whatever it holds.
            let found = try await client.execute(uri: "/find?id=LX-2024-0031%2F..%20%E9%9A%90", method: .get, headers: try #require(session).headers)
            #expect(found.status == .seeOther && found.headers[.location] == "/hazards/LX-2024-0031%2F..%20%E9%9A%90")
        }
    }

    @Test func anOversizeLoginFormIsAPage413NotAnError() async throws {
        let county = try WebCounty()
        try await county.application().test(.live) { client in
            let form = try await client.execute(uri: "/login", method: .get)
            let token = try #require(cookie("qingling_login", setBy: form))
            let response = try await client.execute(uri: "/login", method: .post,
                                                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "qingling_login=\(token)"],
                                                    body: formEncoded([("csrf_token", token), ("login", String(repeating: "x", count: 70_000)), ("password", "p")]))
            #expect(response.status == .contentTooLarge)
            #expect(body(response).contains("提交内容过大"))
        }
    }

    @Test func anotherEnterprisesHazardIsTheSamePlain404AsAnUnknownOne() async throws {
        let county = try WebCounty()
        try await county.application().test(.live) { client in
            let department = try #require(try await signIn(client, "li.weidong").1)
            var write = department.headers
            write[.contentType] = "application/json"
            write[HTTPField.Name("X-CSRF-Token")!] = department.csrf
            #expect(try await client.execute(uri: "/api/v1/events", method: .post, headers: write,
                                             body: ByteBuffer(string: WebCounty.events(description: "成品仓库超量储存"))).status == .ok)
            let own = try #require(try await signIn(client, "liu.jianguo").1)
            let file = try await client.execute(uri: "/hazards/\(WebCounty.hazard)", method: .get, headers: own.headers)
            #expect(file.status == .ok)
            #expect(body(file).contains("成品仓库超量储存") && body(file).contains("临湘市应急管理局") && body(file).contains("2024-03-31"))
            let reminders = try await client.execute(uri: "/reminders", method: .get, headers: own.headers)
            #expect(body(reminders).contains(#"<a href="/hazards/LX-2024-0031">LX-2024-0031</a>"#))
            let other = try #require(try await signIn(client, "other.boss").1)
            let hidden = try await client.execute(uri: "/hazards/\(WebCounty.hazard)", method: .get, headers: other.headers)
            let unknown = try await client.execute(uri: "/hazards/LX-2024-9999", method: .get, headers: other.headers)
            #expect(hidden.status == .notFound && unknown.status == .notFound)
            #expect(body(hidden) == body(unknown))
            #expect(hidden.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(!body(hidden).contains("成品仓库"))
        }
    }

    @Test func aFormWithoutItsCSRFTokenIsRefusedAndChangesNothing() async throws {
        let county = try WebCounty()
        try await county.application().test(.live) { client in
            let session = try #require(try await signIn(client, "li.weidong").1)
            var form = session.headers
            form[.contentType] = "application/x-www-form-urlencoded"
            let forged = try await client.execute(uri: "/logout", method: .post, headers: form, body: formEncoded([("csrf_token", "forged")]))
            #expect(forged.status == .forbidden && body(forged).contains("表单已失效"))
            let missing = try await client.execute(uri: "/logout", method: .post, headers: form, body: ByteBuffer())
            #expect(missing.status == .forbidden)
            #expect(try await client.execute(uri: "/find", method: .get, headers: session.headers).status == .ok)
            // A login form posted without the cookie of its page (another site's) is refused too.
            let crossSite = try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                     body: formEncoded([("csrf_token", "x"), ("login", "li.weidong"), ("password", WebCounty.password)]))
            #expect(crossSite.status == .forbidden && cookie("qingling_session", setBy: crossSite) == nil)
            let logout = try await client.execute(uri: "/logout", method: .post, headers: form, body: formEncoded([("csrf_token", session.csrf)]))
            #expect(logout.status == .seeOther && logout.headers[.location] == "/login")
            #expect(try await client.execute(uri: "/find", method: .get, headers: session.headers).headers[.location] == "/login")
        }
    }

    @Test func aHostileDescriptionIsShownAsTextNeverAsMarkup() async throws {
        let county = try WebCounty()
        let hostile = #"<script>alert(\"x\")</script><img src=x onerror=alert(1)>"#
        try await county.application().test(.live) { client in
            let department = try #require(try await signIn(client, "li.weidong").1)
            var write = department.headers
            write[.contentType] = "application/json"
            write[HTTPField.Name("X-CSRF-Token")!] = department.csrf
            #expect(try await client.execute(uri: "/api/v1/events", method: .post, headers: write,
                                             body: ByteBuffer(string: WebCounty.events(description: hostile))).status == .ok)
            let file = try await client.execute(uri: "/hazards/\(WebCounty.hazard)", method: .get, headers: department.headers)
            let html = body(file)
            #expect(file.status == .ok)
            #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"))
            #expect(!html.contains("<script") && !html.contains("<img"))
            #expect(file.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
        }
    }

    @Test func aLogOnTheSimulatedClockIsServedAndRecordsAtTheRealTime() async throws {
        // As `qingling demo` leaves it: created on the simulated clock, its last record in 2024.
        let county = try WebCounty()
        let simulated = SimulatedClock(microseconds: try #require(ShanghaiDateTime("2024-03-01T08:00:00+08:00")).microseconds)
        try EventStore(appendingTo: county.directory + "/log", reference: .linxiang, options: LogOptions(clock: simulated)).close()
        let today = ShanghaiDateTime(microseconds: Int64(Date().timeIntervalSince1970 * 1_000_000)).date.description
        try await county.application().test(.live) { client in
            let department = try #require(try await signIn(client, "li.weidong").1)
            var write = department.headers
            write[.contentType] = "application/json"
            write[HTTPField.Name("X-CSRF-Token")!] = department.csrf
            #expect(try await client.execute(uri: "/api/v1/events", method: .post, headers: write,
                                             body: ByteBuffer(string: WebCounty.events(description: "成品仓库超量储存"))).status == .ok)
            let hazard = try await client.execute(uri: "/api/v1/hazards/\(WebCounty.hazard)", method: .get, headers: department.headers)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(body(hazard).utf8)) as? [String: Any])
            let recorded = (object["events"] as? [[String: Any]] ?? []).compactMap { $0["recordedAt"] as? String }
            #expect(recorded.count == 2 && recorded.allSatisfy { $0 >= today }, "\(recorded)")
        }
        #expect(try LogMetadata.read(directory: county.directory + "/log").clock == .simulated)
    }

    @Test func missingTemplatesAreAClearErrorAtStart() throws {
        let empty = NSTemporaryDirectory() + "qingling-no-templates-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        #expect(throws: WebTemplateError.missing(file: "login.mustache", searched: [empty])) { try WebTemplates.load(directory: empty) }
        _ = try WebTemplates.load()
    }
}
