import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import QinglingAccounts
import QinglingEvents
import QinglingProjections
import QinglingReports
import QinglingWorkflow
@testable import QinglingService
import Testing

/// A county with hazards in two regions and one account per role, served over loopback.
private struct FiguresCounty {
    let directory = NSTemporaryDirectory() + "qingling-dashboard-\(UUID().uuidString)"
    static let password = "a long passphrase for tests"

    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let accounts = try AccountStore(path: accountsPath, reference: .linxiang, passwordCost: PasswordRules.minimumCost)
        let people: [(String, Role, String, String)] = [("dept", .department, "lx-yjj", "yjj-017"), ("office", .committee, "lx-aqw", "aqw-001"),
                                                        ("analyst", .analyst, "lx-aqw", "aqw-009"), ("archivist", .archivist, "lx-aqw", "aqw-010"),
                                                        ("taolin", .town, "430682107", "tl-005")]
        for (login, role, organization, person) in people {
            try accounts.add(login: login, role: role, organizationId: organization, person: PersonRef(id: person, name: "某" + person),
                             password: Self.password, by: "local:test")
        }
        try accounts.add(login: "boss", role: .enterprise, organizationId: "91430682MA4L0C7A47", organizationName: "临湘市桃林烟花爆竹有限公司",
                         person: PersonRef(id: "ent-001", name: "刘建国"), password: Self.password, by: "local:test")
    }

    var log: String { directory + "/log" }
    var accountsPath: String { directory + "/accounts.sqlite" }

    func application() throws -> some ApplicationProtocol {
        try QinglingService.application(ServiceConfiguration(logDirectory: log, accountsPath: accountsPath, port: 0), logger: Logger(label: "test"))
    }

    /// A hazard's report and supervision; `events`: one in 桃林镇 overdue from April 2024, one in
    /// 长安街道 overdue from July, one in 桃林镇 never supervised.
    static func report(_ id: String, region: String, on date: String) -> String {
        #"{"eventId":"r-\#(id)","type":"HazardReported","occurredAt":"\#(date)T09:30:00+08:00","data":{"hazardId":"\#(id)","enterprise":{"creditCode":"91430682MA4L0C7A47","name":"临湘市桃林烟花爆竹有限公司"},"region":"\#(region)","industry":"烟花爆竹","criterionClause":"第三条","description":"成品仓库超量储存","source":"departmentInspection","discoveredOn":"\#(date)"}}"#
    }

    static func supervise(_ id: String, on date: String, deadline: String) -> String {
        #"{"eventId":"s-\#(id)","type":"HazardSupervised","occurredAt":"\#(date)T10:00:00+08:00","data":{"hazardId":"\#(id)","leadDepartment":{"id":"lx-yjj","name":"临湘市应急管理局"},"supervisionLevel":"county","deadline":"\#(deadline)","responsible":{"departmentOfficer":{"id":"yjj-017","name":"李卫东"},"townOfficer":{"id":"tl-005","name":"黄国强"}}}}"#
    }

    static let events = [report("LX-2024-0001", region: "桃林镇", on: "2024-03-05"), supervise("LX-2024-0001", on: "2024-03-06", deadline: "2024-03-31"),
                         report("LX-2024-0002", region: "长安街道", on: "2024-04-10"), supervise("LX-2024-0002", on: "2024-04-11", deadline: "2024-06-30"),
                         report("LX-2024-0003", region: "桃林镇", on: "2024-05-02")].joined(separator: "\n")
}

private func body(_ response: TestResponse) -> String { String(buffer: response.body) }

private func token(_ client: some TestClientProtocol, _ login: String) async throws -> HTTPFields {
    let response = try await client.execute(uri: "/api/v1/login", method: .post, headers: [.contentType: "application/json"],
                                            body: ByteBuffer(string: #"{"login":"\#(login)","password":"\#(FiguresCounty.password)"}"#))
    let object = try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any])
    return [.authorization: "Bearer \(try #require(object["token"] as? String))"]
}

/// How often `needle` occurs in `text`.
private func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

@Suite struct DashboardTests {
    private func served(_ test: @escaping @Sendable (any TestClientProtocol, FiguresCounty) async throws -> Void) async throws {
        let county = try FiguresCounty()
        try await county.application().test(.live) { client in
            let office = try await token(client, "office")
            let appended = try await client.execute(uri: "/api/v1/events", method: .post, headers: office + [HTTPField(name: .contentType, value: "application/json")],
                                                    body: ByteBuffer(string: FiguresCounty.events))
            #expect(appended.status == .ok, "\(body(appended))")
            try await test(client, county)
        }
    }

    @Test func eachRoleSeesTheFiguresOfItsScopeAndNoMore() async throws {
        try await served { client, _ in
            for uri in ["/dashboard", "/analysis/stats?period=2024", "/analysis/stats.csv?period=2024"] {
                let anonymous = try await client.execute(uri: uri, method: .get)
                #expect(anonymous.status == .seeOther && anonymous.headers[.location] == "/login", "\(uri)")
            }
            for login in ["boss", "archivist"] {
                let headers = try await token(client, login)
                for uri in ["/dashboard", "/analysis/stats?period=2024", "/analysis/stats.csv?period=2024", "/analysis/overdue"] {
                    let response = try await client.execute(uri: uri, method: .get, headers: headers)
                    #expect(response.status == .notFound, "\(login) \(uri)")
                    #expect(body(response).contains("未找到"))
                }
            }
            let town = try await token(client, "taolin")
            #expect(try await client.execute(uri: "/dashboard", method: .get, headers: town).status == .notFound)
            #expect(try await client.execute(uri: "/analysis/ranking?quarter=2024Q2", method: .get, headers: town).status == .notFound)
            let own = body(try await client.execute(uri: "/analysis/stats?period=2024&by=region&asOf=2024-12-31", method: .get, headers: town))
            #expect(own.contains("<td class=\"nowrap\">桃林镇</td>") && !own.contains("长安街道") && !own.contains(">合计</td>"))
            let alerts = body(try await client.execute(uri: "/analysis/overdue?asOf=2024-12-31", method: .get, headers: town))
            #expect(alerts.contains("LX-2024-0001") && !alerts.contains("LX-2024-0002"))
            let analyst = try await token(client, "analyst")
            #expect(try await client.execute(uri: "/analysis/rewards", method: .get, headers: analyst).status == .notFound)
            #expect(try await client.execute(uri: "/analysis/rewards", method: .get, headers: try await token(client, "dept")).status == .ok)
            let dashboard = try await client.execute(uri: "/dashboard?period=2024&asOf=2024-12-31", method: .get, headers: analyst)
            #expect(dashboard.status == .ok)
            // The dashboard runs the live script (on /api/v1/events/changes), and only it may.
            #expect(body(dashboard).contains(#"<script src="/assets/dashboard.js""#))
            #expect(dashboard.headers[.contentSecurityPolicy]?.contains("script-src 'self'; connect-src 'self'") == true)
            // A department's too: the changes carry nothing of the events.
            let department = try await client.execute(uri: "/dashboard", method: .get, headers: try await token(client, "dept"))
            #expect(department.status == .ok && body(department).contains(#"<script src="/assets/dashboard.js""#))
            let plain = try await client.execute(uri: "/analysis/stats?period=2024", method: .get, headers: analyst)
            #expect(plain.headers[.contentSecurityPolicy]?.contains("script-src") == false)
        }
    }

    @Test func downloadsAreTheCommandLinesBytesAndBadOptionsShowTheFormWithAMessage() async throws {
        try await served { client, county in
            let analyst = try await token(client, "analyst")
            let page = body(try await client.execute(uri: "/analysis/stats?period=2024Q2&by=both&asOf=2024-12-31&knownAt=", method: .get, headers: analyst))
            #expect(page.contains(#"href="/analysis/stats.csv?asOf=2024-12-31&amp;by=both&amp;period=2024Q2""#))
            let csv = try await client.execute(uri: "/analysis/stats.csv?asOf=2024-12-31&by=both&period=2024Q2", method: .get, headers: analyst)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.headers[.contentDisposition] == #"attachment; filename="stats.csv""#)
            let store = try EventStore(readingFrom: county.log)
            let state = try ProjectionStore.state(of: store, knownAt: Int64.max)
            let period = try #require(Period("2024Q2"))
            let expected = Report.statistics(state, period: period, grouping: .regionAndIndustry,
                                             knowledge: Knowledge(asOf: CalendarDate("2024-12-31"), knownAt: nil), reference: .linxiang)
            #expect(Array(csv.body.readableBytesView) == Array(expected.render(.csv, .zh).utf8))
            let json = try await client.execute(uri: "/analysis/stats.json?asOf=2024-12-31&by=both&period=2024Q2", method: .get, headers: analyst)
            #expect(body(json) == expected.render(.json, .en))
            let api = try await client.execute(uri: "/api/v1/stats?asOf=2024-12-31&by=both&period=2024Q2", method: .get, headers: analyst)
            #expect(body(api) == body(json))
            // A bad option: the form again, what was typed kept, the message in Chinese, no table.
            let refused = try await client.execute(uri: "/analysis/stats?period=2024Q5&by=region", method: .get, headers: analyst)
            #expect(refused.status == .badRequest)
            #expect(body(refused).contains("统计期应写作") && body(refused).contains(#"value="2024Q5""#) && !body(refused).contains("<table"))
            let early = body(try await client.execute(uri: "/analysis/stats?period=2025&asOf=2024-12-31", method: .get, headers: analyst))
            #expect(early.contains("晚于截止日 2024-12-31"))
        }
    }

    @Test func theChartsDrawOneBarGroupPerRowAndTheTrendIsTheMonthsStatistics() async throws {
        try await served { client, _ in
            let office = try await token(client, "office")
            let html = body(try await client.execute(uri: "/dashboard?period=2024&asOf=2024-12-31", method: .get, headers: office))
            let regions = try #require(html.range(of: #"<section aria-labelledby="s-regions""#)).upperBound
            let regionPart = String(html[regions...]).components(separatedBy: #"<section aria-labelledby="s-trend""#)[0]
            let svg = regionPart.components(separatedBy: "</svg>")[0], table = regionPart.components(separatedBy: "</svg>")[1]
            let rows = count("<tr>", in: table.components(separatedBy: "<tbody>")[1]) - 1  // less the total
            #expect(rows == ReferenceData.linxiang.regions.count)
            #expect(count(#"<g class="bar-group">"#, in: svg) == rows)
            #expect(count(#"<rect class="bar "#, in: svg) == rows * 3)
            #expect(svg.contains("<title id=\"region-chart-title\">") && svg.contains("桃林镇 期末逾期：1"))
            // The trend: each month's open and overdue are the month's statistics at its end.
            let trend = html.components(separatedBy: #"<section aria-labelledby="s-trend""#)[1].components(separatedBy: #"aria-labelledby="t-industries""#)[0]
            #expect(count(#"<g class="bar-group">"#, in: trend) == DashboardPage.trendMonths)
            for (month, open, overdue) in [("2024-03", 1, 0), ("2024-04", 2, 1), ("2024-05", 3, 1), ("2024-07", 3, 2)] {
                let stats = try JSONSerialization.jsonObject(with: Data(body(try await client.execute(
                    uri: "/api/v1/stats?period=\(month)&by=total&asOf=2024-12-31", method: .get, headers: office)).utf8)) as? [String: Any]
                let total = try #require(stats?["total"] as? [String: Any])
                #expect(total["openAtEnd"] as? Int == open && total["overdueAtEnd"] as? Int == overdue, "\(month)")
                #expect(trend.contains("<td class=\"nowrap\">\(month)</td><td class=\"nowrap\">\(open)</td><td class=\"nowrap\">\(overdue)</td>"), "\(month)")
            }
        }
    }
}

private func + (fields: HTTPFields, more: [HTTPField]) -> HTTPFields {
    var fields = fields
    fields.append(contentsOf: more)
    return fields
}
