import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import QinglingAccounts
import QinglingEvents
import QinglingKeyStore
import QinglingWorkflow
@testable import QinglingService
import Testing

/// A county with one account per role that records (the lead department, the enterprise, its
/// town, the committee) and one hazard, served over real HTTP on loopback.
private struct FormCounty {
    let directory = NSTemporaryDirectory() + "qingling-forms-\(UUID().uuidString)"
    static let password = "a long passphrase for tests"
    static let hazard = "LX-2024-0031"
    static let enterprise = Actor(organization: OrganizationRef(kind: .enterprise, id: "91430682MA4L0C7A47", name: "临湘市桃林烟花爆竹有限公司"),
                                  person: PersonRef(id: "ent-001", name: "刘建国"))
    static let department = Actor(organization: OrganizationRef(kind: .department, id: "lx-yjj", name: "临湘市应急管理局"),
                                  person: PersonRef(id: "yjj-017", name: "李卫东"))
    /// Logins and the actors they record as.
    static let actors: [(login: String, role: Role, actor: Actor)] = [
        ("li.weidong", .department, department),
        ("liu.jianguo", .enterprise, enterprise),
        ("huang.town", .town, Actor(organization: OrganizationRef(kind: .town, id: "430682107", name: "桃林镇人民政府"), person: PersonRef(id: "tl-005", name: "黄国强"))),
        ("zhou.aqw", .committee, Actor(organization: OrganizationRef(kind: .committee, id: "lx-aqw", name: "临湘市安全生产委员会办公室"), person: PersonRef(id: "aqw-002", name: "周敏"))),
    ]

    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let accounts = try AccountStore(path: accountsPath, reference: .linxiang, passwordCost: PasswordRules.minimumCost)
        for (login, role, actor) in Self.actors {
            try accounts.add(login: login, role: role, organizationId: actor.organization.id,
                             organizationName: role == .enterprise ? actor.organization.name : nil,
                             person: actor.person, password: Self.password, by: "local:test")
        }
    }

    var accountsPath: String { directory + "/accounts.sqlite" }
    var logPath: String { directory + "/log" }

    func application() throws -> some ApplicationProtocol {
        try QinglingService.application(ServiceConfiguration(logDirectory: logPath, accountsPath: accountsPath, port: 0), logger: Logger(label: "test"))
    }

    /// The enterprise's hazard, reported by the department in 2024; with `supervised`, supervised too.
    static func events(supervised: Bool) -> String {
        let report = #"{"eventId":"yjj-2024-0305-01","type":"HazardReported","occurredAt":"2024-03-05T09:30:00+08:00","data":{"hazardId":"LX-2024-0031","enterprise":{"creditCode":"91430682MA4L0C7A47","name":"临湘市桃林烟花爆竹有限公司"},"region":"桃林镇","industry":"烟花爆竹","criterionClause":"烟花爆竹生产经营单位重大事故隐患判定标准第三条","description":"成品仓库超量储存","source":"departmentInspection","discoveredOn":"2024-03-05"}}"#
        let supervise = #"{"eventId":"yjj-2024-0306-01","type":"HazardSupervised","occurredAt":"2024-03-06T10:00:00+08:00","data":{"hazardId":"LX-2024-0031","leadDepartment":{"id":"lx-yjj","name":"临湘市应急管理局"},"supervisionLevel":"county","deadline":"2024-03-31","responsible":{"departmentOfficer":{"id":"yjj-017","name":"李卫东"},"townOfficer":{"id":"tl-005","name":"黄国强"}}}}"#
        return supervised ? report + "\n" + supervise : report
    }
}

/// A browser signed in through the login form: its cookie and its pages' CSRF token.
private struct Browser {
    let client: any TestClientProtocol
    var cookie = ""
    var csrf = ""

    static func signIn(_ client: some TestClientProtocol, _ login: String) async throws -> Browser {
        let form = try await client.execute(uri: "/login", method: .get, headers: [:], body: nil)
        let token = try #require(Self.cookie("qingling_login", form))
        let signedIn = try await client.execute(uri: "/login", method: .post,
                                                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "qingling_login=\(token)"],
                                                body: Self.encoded([("csrf_token", token), ("login", login), ("password", FormCounty.password)]))
        var browser = Browser(client: client)
        browser.cookie = "qingling_session=" + (try #require(Self.cookie("qingling_session", signedIn)))
        let page = try await browser.get("/find")
        let start = try #require(page.text.range(of: #"name="csrf_token" value=""#))
        browser.csrf = String(page.text[start.upperBound...].prefix { $0 != "\"" })
        return browser
    }

    func get(_ uri: String) async throws -> (status: HTTPResponse.Status, text: String) {
        let response = try await client.execute(uri: uri, method: .get, headers: [.cookie: cookie], body: nil)
        return (response.status, String(buffer: response.body))
    }

    /// Posts a form with the session's CSRF token (unless `csrf` is false).
    func post(_ uri: String, _ fields: [(String, String)], csrf: Bool = true) async throws -> (status: HTTPResponse.Status, text: String, location: String?) {
        let response = try await client.execute(uri: uri, method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                                                body: Self.encoded((csrf ? [("csrf_token", self.csrf)] : []) + fields))
        return (response.status, String(buffer: response.body), response.headers[.location])
    }

    /// Appends JSON events through the API, as scripts do.
    func postEvents(_ json: String) async throws -> HTTPResponse.Status {
        try await client.execute(uri: "/api/v1/events", method: .post,
                                 headers: [.cookie: cookie, .contentType: "application/json", HTTPField.Name("X-CSRF-Token")!: csrf],
                                 body: ByteBuffer(string: json)).status
    }

    /// The events of the hazard, as `GET /api/v1/hazards/{id}` lists them.
    func events(of hazardId: String) async throws -> [[String: Any]] {
        let (_, text) = try await get("/api/v1/hazards/\(hazardId)")
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        return object?["events"] as? [[String: Any]] ?? []
    }

    static func encoded(_ fields: [(String, String)]) -> ByteBuffer {
        ByteBuffer(string: fields.map { "\($0)=\($1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&"))
    }

    static func cookie(_ name: String, _ response: TestResponse) -> String? {
        response.headers[values: .setCookie].first { $0.hasPrefix(name + "=") }.map { String($0.dropFirst(name.count + 1).prefix { $0 != ";" }) }
    }
}

/// The steps a page offers, by the links to their forms.
private func offeredSteps(_ html: String, hazardId: String) -> [String] {
    let prefix = "href=\"/hazards/\(hazardId)/"
    return html.components(separatedBy: prefix).dropFirst().map { String($0.prefix { $0 != "\"" }) }
}

/// A supervision's fields, with the deadline given.
private func supervision(deadline: String) -> [(String, String)] {
    [("leadDepartment", "lx-yjj"), ("supervisionLevel", "county"), ("deadline", deadline),
     ("principalName", "刘建国"), ("principalId", "ent-001"), ("officerName", "李卫东"), ("officerId", "yjj-017"),
     ("townOfficerName", "黄国强"), ("townOfficerId", "tl-005"),
     // Not a field of the form: the actor is always the account's.
     ("actor", "lx-zjj")]
}

@Suite struct WebFormTests {
    @Test func eachRoleIsOfferedExactlyTheStepsTheRulesAllowIt() async throws {
        let county = try FormCounty()
        try await county.application().test(.live) { client in
            let department = try await Browser.signIn(client, "li.weidong")
            #expect(try await department.postEvents(FormCounty.events(supervised: true)) == .ok)
            let store = try EventStore(readingFrom: county.logPath)
            let record = try #require(try store.hazard(FormCounty.hazard))
            let rules = WorkflowRules(reference: .linxiang)
            var offeredAny = Set<String>()
            for (login, _, actor) in FormCounty.actors {
                let browser = try await Browser.signIn(client, login)
                let page = try await browser.get("/hazards/\(FormCounty.hazard)")
                let offered = offeredSteps(page.text, hazardId: FormCounty.hazard)
                let allowed = rules.steps(by: actor, on: record).compactMap { StepForm(type: $0)?.rawValue }
                #expect(offered == allowed, "\(login)")
                offeredAny.formUnion(offered)
                for step in StepForm.allCases {
                    let form = try await browser.get("/hazards/\(FormCounty.hazard)/\(step.rawValue)")
                    #expect(form.status == (allowed.contains(step.rawValue) ? .ok : .forbidden), "\(login) \(step)")
                }
            }
            // The hazard is being rectified: the enterprise rectifies, the lead extends, the committee escalates.
            #expect(offeredAny == ["extend", "rectify", "withdraw", "escalate", "penalty"])
        }
    }

    @Test func aPostedSupervisionWritesOneEventAsTheAccountAndShowsOnTheFile() async throws {
        let county = try FormCounty()
        try await county.application().test(.live) { client in
            let department = try await Browser.signIn(client, "li.weidong")
            #expect(try await department.postEvents(FormCounty.events(supervised: false)) == .ok)
            let form = try await department.get("/hazards/\(FormCounty.hazard)/supervise")
            #expect(form.status == .ok)
            #expect(form.text.contains(#"<label for="f-deadline">"#) && form.text.contains(#"type="date""#))
            #expect(form.text.contains(#"<option value="lx-yjj" selected>临湘市应急管理局</option>"#))
            let posted = try await department.post("/hazards/\(FormCounty.hazard)/supervise", supervision(deadline: "2024-04-30"))
            #expect(posted.status == .seeOther && posted.location == "/hazards/\(FormCounty.hazard)")
            let events = try await department.events(of: FormCounty.hazard)
            #expect(events.count == 2)
            let actor = events.last?["actor"] as? [String: Any]
            #expect((actor?["organization"] as? [String: Any])?["id"] as? String == "lx-yjj")
            #expect((actor?["person"] as? [String: Any])?["id"] as? String == "yjj-017")
            #expect(events.last?["type"] as? String == "HazardSupervised")
            let file = try await department.get("/hazards/\(FormCounty.hazard)")
            #expect(file.text.contains("交办督办") && file.text.contains("2024-04-30"))
        }
    }

    @Test func aRefusedPostShowsTheRulesMessageKeepsTheInputAndWritesNothing() async throws {
        let county = try FormCounty()
        try await county.application().test(.live) { client in
            let department = try await Browser.signIn(client, "li.weidong")
            #expect(try await department.postEvents(FormCounty.events(supervised: false)) == .ok)
            let uri = "/hazards/\(FormCounty.hazard)/supervise"
            // A deadline before the discovery: the rule's own words, next to the deadline.
            let refused = try await department.post(uri, supervision(deadline: "2024-03-01"))
            #expect(refused.status == .unprocessableContent)
            let message = WorkflowViolation.Rule.deadlineNotAfterDiscovery(deadline: CalendarDate("2024-03-01") ?? WorkflowRules.earliestDate,
                                                                          discoveredOn: CalendarDate("2024-03-05") ?? WorkflowRules.earliestDate).message(.zh)
            #expect(refused.text.contains(#"<span class="error" id="f-deadline-error">\#(message)</span>"#))
            #expect(refused.text.contains(#"value="2024-03-01""#) && refused.text.contains(#"value="黄国强""#))
            // A date that is not one, an amount that is not one: refused before the rules.
            let invalid = try await department.post(uri, supervision(deadline: "2024-02-30"))
            #expect(invalid.status == .unprocessableContent && invalid.text.contains("「整改期限」不是有效的日期"))
            var unlisted = supervision(deadline: "2024-04-30")
            unlisted[0] = ("leadDepartment", "lx-nowhere")
            let notAChoice = try await department.post(uri, unlisted)
            #expect(notAChoice.status == .unprocessableContent && notAChoice.text.contains("「牵头部门」须从列表中选择"))
            #expect(try await department.events(of: FormCounty.hazard).count == 1)
        }
    }

    @Test func aForgedStepOrAFormWithoutItsTokenIsRefusedAndWritesNothing() async throws {
        let county = try FormCounty()
        try await county.application().test(.live) { client in
            let department = try await Browser.signIn(client, "li.weidong")
            #expect(try await department.postEvents(FormCounty.events(supervised: true)) == .ok)
            let enterprise = try await Browser.signIn(client, "liu.jianguo")
            // Not offered to an enterprise: supervising, closing; refused with the 403 page.
            let supervise = try await enterprise.post("/hazards/\(FormCounty.hazard)/supervise", supervision(deadline: "2024-04-30"))
            #expect(supervise.status == .forbidden && supervise.text.contains("无权操作"))
            let close = try await enterprise.post("/hazards/\(FormCounty.hazard)/close", [("note", "已整改")])
            #expect(close.status == .forbidden)
            // Offered, but posted without the session's token.
            let rectify = [("completedOn", "2024-03-20"), ("measures", "清理超量成品"), ("funds", "1500.50")]
            let noToken = try await enterprise.post("/hazards/\(FormCounty.hazard)/rectify", rectify, csrf: false)
            #expect(noToken.status == .forbidden && noToken.text.contains("表单已失效"))
            #expect(try await department.events(of: FormCounty.hazard).count == 2)
            // With it: written, as the enterprise's person, the funds in fen.
            let done = try await enterprise.post("/hazards/\(FormCounty.hazard)/rectify", rectify)
            #expect(done.status == .seeOther)
            let last = try #require(try await department.events(of: FormCounty.hazard).last)
            #expect((last["data"] as? [String: Any])?["fundsFen"] as? Int == 150050)
            #expect(((last["actor"] as? [String: Any])?["person"] as? [String: Any])?["id"] as? String == "ent-001")
        }
    }

    @Test func anEnterpriseReportsForItselfOnlyAndTheHazardIsNumberedForIt() async throws {
        let county = try FormCounty()
        try await county.application().test(.live) { client in
            let enterprise = try await Browser.signIn(client, "liu.jianguo")
            let form = try await enterprise.get("/report")
            #expect(form.status == .ok && form.text.contains("临湘市桃林烟花爆竹有限公司") && !form.text.contains(#"name="creditCode""#))
            let today = String(form.text.components(separatedBy: #"name="discoveredOn" type="date" value=""#).dropFirst().first?.prefix(10) ?? "")
            let year = try #require(Int(today.prefix(4)))
            let fields = [("region", "桃林镇"), ("industry", "烟花爆竹"), ("criterionClause", "判定标准第三条"), ("description", "库房超量"),
                          ("source", "selfCheck"), ("discoveredOn", today), ("creditCode", "91430682MA4PBX3D2X")]
            let posted = try await enterprise.post("/report", fields)
            let id = "LX-\(year)-0001"
            #expect(posted.status == .seeOther && posted.location == "/hazards/\(id)")
            let events = try await enterprise.events(of: id)
            let data = events.first?["data"] as? [String: Any]
            #expect((data?["enterprise"] as? [String: Any])?["creditCode"] as? String == "91430682MA4L0C7A47")
            // A region that is not on the list is refused next to it, and nothing is written.
            let refused = try await enterprise.post("/report", [("region", "火星")] + fields.dropFirst())
            #expect(refused.status == .unprocessableContent && refused.text.contains("「所在区域」须从列表中选择"))
            #expect(try await enterprise.events(of: "LX-\(year)-0002").isEmpty)
        }
    }
}

@Suite struct WebTipOffFormTests {
    @Test func aDepartmentReceivesATipOffAndRewardsOnlyAConfirmedOne() async throws {
        let county = try FormCounty()
        try await county.application().test(.live) { client in
            let department = try await Browser.signIn(client, "li.weidong")
            let received = try await department.post("/tip-off", [("channel", "hotline"), ("summary", "仓库夜间违规储存"), ("reporterPseudonym", "热心群众甲")])
            #expect(received.status == .seeOther)
            let id = try #require(received.location?.components(separatedBy: "recorded=").last)
            #expect(id.hasPrefix("JB-") && id.hasSuffix("-0001"))
            #expect(try await department.get(received.location ?? "").text.contains("已受理举报 \(id)。"))
            // Not yet confirmed by a hazard or a penalty: not on the reward's list, refused if posted.
            let reward = try await department.get("/reward")
            #expect(reward.status == .ok && !reward.text.contains(#"<option value="\#(id)""#))
            let refused = try await department.post("/reward", [("tipOffId", id), ("amount", "500")])
            #expect(refused.status == .unprocessableContent && refused.text.contains("「举报编号」须从列表中选择"))
            let enterprise = try await Browser.signIn(client, "liu.jianguo")
            #expect(try await enterprise.get("/tip-off").status == .forbidden)
            #expect(try await enterprise.post("/tip-off", [("channel", "hotline"), ("summary", "x"), ("reporterPseudonym", "y")]).status == .forbidden)
            // A hazard reported on that tip-off confirms it: now on the list, and the reward is written.
            let form = try await department.get("/report")
            #expect(form.text.contains(#"<option value="\#(id)">\#(id)</option>"#))
            let today = String(form.text.components(separatedBy: #"name="discoveredOn" type="date" value=""#).dropFirst().first?.prefix(10) ?? "")
            let reported = try await department.post("/report", [
                ("creditCode", "91430682MA4L0C7A47"), ("enterpriseName", "临湘市桃林烟花爆竹有限公司"), ("region", "桃林镇"),
                ("industry", "烟花爆竹"), ("criterionClause", "判定标准第三条"), ("description", "夜间违规储存"),
                ("source", "tipOff"), ("discoveredOn", today), ("tipOffId", id),
            ])
            #expect(reported.status == .seeOther)
            #expect(try await department.get("/reward").text.contains(#"<option value="\#(id)">"#))
            let paid = try await department.post("/reward", [("tipOffId", id), ("amount", "500")])
            #expect(paid.status == .seeOther && paid.location == "/reward?recorded=\(id)")
            let log = try await Browser.signIn(client, "zhou.aqw").get("/api/v1/events")
            #expect(log.text.components(separatedBy: "\"TipOffReceived\"").count == 2)
            #expect(log.text.contains(#""type":"RewardPaid""#) && log.text.contains(#""amountFen":50000"#))
        }
    }

    @Test func aPenaltyMayNameATipOffReceivedAndOnlySuch() async throws {
        let county = try FormCounty()
        try await county.application().test(.live) { client in
            let department = try await Browser.signIn(client, "li.weidong")
            #expect(try await department.postEvents(FormCounty.events(supervised: true)) == .ok)
            let penalty = "/hazards/\(FormCounty.hazard)/penalty"
            #expect(try await department.get(penalty).text.contains(#"name="tipOffId""#) == false)  // none received yet
            let received = try await department.post("/tip-off", [("channel", "hotline"), ("summary", "仓库夜间违规储存"), ("reporterPseudonym", "热心群众甲")])
            let id = try #require(received.location?.components(separatedBy: "recorded=").last)
            #expect(try await department.get(penalty).text.contains(#"<option value="\#(id)">\#(id)</option>"#))
            let fields = [("kind", "warning"), ("legalBasis", "安全生产法第一百零二条"), ("caseNumber", "临应急罚〔2024〕12号")]
            let office = try await Browser.signIn(client, "zhou.aqw")
            let before = try await office.get("/api/v1/events").text.components(separatedBy: "\n").filter { !$0.isEmpty }.count
            let refused = try await department.post(penalty, fields + [("tipOffId", "JB-1999-0001")])
            #expect(refused.status == .unprocessableContent && refused.text.contains("须从列表中选择"))
            #expect(try await office.get("/api/v1/events").text.components(separatedBy: "\n").filter { !$0.isEmpty }.count == before)
            let imposed = try await department.post(penalty, fields + [("tipOffId", id)])
            #expect(imposed.status == .seeOther)
            let log = try await office.get("/api/v1/events").text
            #expect(log.contains(#""type":"PenaltyImposed""#) && log.contains(#""tipOffId":"\#(id)""#))
        }
    }
}

@Suite struct FormReaderTests {
    @Test func amountsInYuanAreReadAsWholeFenOrRefused() {
        #expect(FormReader.fen(yuan: "1500") == 150_000)
        #expect(FormReader.fen(yuan: "1500.5") == 150_050)
        #expect(FormReader.fen(yuan: "0.05") == 5)
        for refused in ["", "-1", "1.005", "1.", ".5", "1,500", "１５", "1e3", "9999999999999"] {
            #expect(FormReader.fen(yuan: refused) == nil, "\(refused)")
        }
    }
}

extension Browser {
    /// Posts a form as `multipart/form-data`, with the session's CSRF token and `files` in field `files`.
    func postMultipart(_ uri: String, _ fields: [(String, String)], files: [[UInt8]]) async throws -> (status: HTTPResponse.Status, text: String, location: String?) {
        let boundary = "qingling-test-boundary-7MA4WxkTrZu0gW"
        var body: [UInt8] = []
        for (name, value) in [("csrf_token", csrf)] + fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        for (index, file) in files.enumerated() {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"files\"; filename=\"f\(index)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
            body += file + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        let response = try await client.execute(uri: uri, method: .post,
                                                headers: [.cookie: cookie, .contentType: "multipart/form-data; boundary=\(boundary)"],
                                                body: ByteBuffer(bytes: body))
        return (response.status, String(buffer: response.body), response.headers[.location])
    }
}

/// Evidence files posted with the forms of the steps that carry them.
@Suite struct WebFormFileTests {
    @Test func aRectificationPostedWithPhotosCarriesThemAndAWrongFileWritesNothing() async throws {
        let county = try FormCounty()
        try await county.application().test(.live) { client in
            let department = try await Browser.signIn(client, "li.weidong")
            #expect(try await department.postEvents(FormCounty.events(supervised: true)) == .ok)
            let enterprise = try await Browser.signIn(client, "liu.jianguo")
            let form = try await enterprise.get("/hazards/\(FormCounty.hazard)/rectify")
            #expect(form.text.contains(#"enctype="multipart/form-data""#) && form.text.contains(#"name="files" type="file" multiple"#))
            #expect(!(try await department.get("/hazards/\(FormCounty.hazard)/extend")).text.contains(#"type="file""#))
            let rectify = [("completedOn", "2024-03-20"), ("measures", "清理超量成品"), ("funds", "1500.50"), ("caption", "整改后库房")]
            let gif = try await enterprise.postMultipart("/hazards/\(FormCounty.hazard)/rectify", rectify, files: [Array("GIF89a....".utf8)])
            #expect(gif.status == .unprocessableContent && gif.text.contains("第 1 个文件不是 JPEG、PNG 或 PDF 文件"), "\(gif.text)")
            #expect(try await department.events(of: FormCounty.hazard).count == 2)
            let photo: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + [UInt8](repeating: 0x31, count: 2_000)
            let report = Array("%PDF-1.7\n".utf8) + [UInt8](repeating: 0x32, count: 900)
            let done = try await enterprise.postMultipart("/hazards/\(FormCounty.hazard)/rectify", rectify, files: [photo, report])
            #expect(done.status == .seeOther, "\(done.text)")
            let last = try #require(try await department.events(of: FormCounty.hazard).last)
            let data = try #require(last["data"] as? [String: Any])
            #expect(data["fundsFen"] as? Int == 150050)
            let attachments = try #require(data["attachments"] as? [[String: Any]])
            #expect(attachments.map { $0["mediaType"] as? String } == ["image/jpeg", "application/pdf"])
            #expect(attachments.map { $0["size"] as? Int } == [photo.count, report.count])
            #expect(attachments.allSatisfy { $0["caption"] as? String == "整改后库房" })
            let hash = try #require(attachments.first?["sha256"] as? String)
            let page = try await enterprise.get("/hazards/\(FormCounty.hazard)")
            #expect(page.text.contains(#"<img src="/api/v1/attachments/\#(hash)""#))
            let file = try await client.execute(uri: "/api/v1/attachments/\(hash)", method: .get, headers: [.cookie: enterprise.cookie], body: nil)
            #expect(file.status == .ok && Array(file.body.readableBytesView) == photo)
        }
    }
}

/// The tip-off form's reporter fields (举报人保密): sealed when the service has a key store,
/// refused without one, and never sent back in a page.
@Suite struct WebReporterFormTests {
    static let name = "欧阳锋华", phone = "13912345678"
    static let fields = [("channel", "hotline"), ("summary", "仓库夜间违规储存"), ("reporterPseudonym", "热心群众甲")]

    @Test func theFormSealsTheIdentityAndNeverShowsItAgain() async throws {
        let county = try FormCounty()
        let master = try MasterKey(hex: String(repeating: "3c", count: 32), source: "test")
        let vault = ReporterVault(keyStore: try KeyStore.create(at: county.directory + "/county.keystore", master: master))
        let application = try QinglingService.application(
            ServiceConfiguration(logDirectory: county.logPath, accountsPath: county.accountsPath, port: 0, vault: vault), logger: Logger(label: "test"))
        try await application.test(.live) { client in
            let department = try await Browser.signIn(client, "li.weidong")
            #expect(try await department.get("/tip-off").text.contains(#"name="reporterName""#))
            // A bad phone number: named, its value not repeated, the other identity fields not sent back.
            let bad = try await department.post("/tip-off", Self.fields + [("reporterName", Self.name), ("reporterPhone", "call-秘密")])
            #expect(bad.status == .unprocessableContent && bad.text.contains("举报人电话"))
            #expect(!bad.text.contains("秘密") && !bad.text.contains(Self.name))
            let received = try await department.post("/tip-off", Self.fields + [("reporterName", Self.name), ("reporterPhone", Self.phone)])
            #expect(received.status == .seeOther)
            let id = try #require(received.location?.components(separatedBy: "recorded=").last)
            let office = try await Browser.signIn(client, "zhou.aqw")
            let log = try await office.get("/api/v1/events").text
            #expect(log.contains("reporterSealed") && !log.contains(Self.name) && !log.contains(Self.phone))
            let stored = try #require(try await office.get("/api/v1/tipoffs/\(id)").text.components(separatedBy: "\"data\":").dropFirst().first)
            #expect(stored.contains("\"reporterSealed\""))
        }
    }

    @Test func withoutAKeyStoreTheIdentityIsRefused() async throws {
        let county = try FormCounty()
        try await county.application().test(.live) { client in
            let department = try await Browser.signIn(client, "li.weidong")
            let refused = try await department.post("/tip-off", Self.fields + [("reporterName", Self.name)])
            #expect(refused.status == .unprocessableContent && refused.text.contains("密钥库"), "\(refused.text.prefix(400))")
            #expect(!refused.text.contains(Self.name))
        }
    }
}
