import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// `GET /api/v1/hazards`: the ledger of `LedgerCounty`, by role, filter, order and page.
@Suite struct HazardLedgerTests {
    /// `/api/v1/hazards?` with `query` percent-encoded.
    static func uri(_ query: String) -> String {
        "/api/v1/hazards?" + (query.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "+"))) ?? query)
    }

    /// The answer to `query` as `token`'s holder, and its hazards' ids.
    static func ledger(_ client: some TestClientProtocol, _ token: String?, _ query: String) async throws -> (answer: [String: Any], ids: [String]) {
        let response = try await client.get(uri(query), token)
        #expect(response.status == .ok, "\(query): \(String(buffer: response.body))")
        let answer = try LedgerCounty.object(response)
        let rows = try #require(answer["hazards"] as? [[String: Any]], "\(query)")
        return (answer, rows.compactMap { $0["hazardId"] as? String })
    }

    static func ids(_ numbers: Int...) -> [String] { numbers.map { "LX-2024-000\($0)" } }

    @Test func eachRoleListsExactlyItsScopeAndPagingNeverShowsAForeignHazard() async throws {
        try await LedgerCounty().run { client, tokens in
            let expected: [String: [String]] = [
                "dept.yjj": Self.ids(1, 2, 3, 4, 5), "committee": Self.ids(1, 2, 3, 4, 5), "analyst": Self.ids(1, 2, 3, 4, 5),
                "archivist": Self.ids(1, 2, 3, 4, 5), "ent.one": Self.ids(1, 3), "ent.two": Self.ids(2, 4, 5),
                "town.taolin": Self.ids(1, 3, 4), "town.zhongfang": Self.ids(2, 5),
            ]
            for (login, own) in expected {
                let (answer, ids) = try await Self.ledger(client, tokens[login], "")
                #expect(ids == own, "\(login)")
                #expect(answer["total"] as? Int == own.count && answer["page"] as? Int == 1 && answer["pageSize"] as? Int == 50, "\(login)")
                // One hazard a page, every page and one past the last: the same hazards, once each.
                var paged: [String] = []
                for page in 1...(own.count + 1) {
                    let (pageAnswer, pageIds) = try await Self.ledger(client, tokens[login], "pageSize=1&page=\(page)")
                    #expect(pageAnswer["total"] as? Int == own.count, "\(login) page \(page)")
                    paged += pageIds
                }
                #expect(paged == own, "\(login)")
                // A filter or a search cannot reach past the scope either.
                #expect(try await Self.ledger(client, tokens[login], "q=LX-2024").ids == own, "\(login)")
                #expect(try await Self.ledger(client, tokens[login], "region=忠防镇").ids == own.filter { ["LX-2024-0002", "LX-2024-0005"].contains($0) },
                        "\(login)")
            }
        }
    }

    @Test func everyFilterKeepsWhatTheEventsInViewSay() async throws {
        try await LedgerCounty().run { client, tokens in
            let analyst = tokens["analyst"]
            // As of 2024-06-30, LX-2024-0005 (discovered 2024-07-15) is not in view yet.
            let at = "asOf=2024-06-30&"
            for (query, expected) in [
                ("", Self.ids(1, 2, 3, 4)),
                ("region=桃林镇", Self.ids(1, 3, 4)), ("region=430682107", Self.ids(1, 3, 4)),
                ("industry=烟花爆竹", Self.ids(1, 3)), ("industry=危险化学品&region=忠防镇", Self.ids(2)),
                ("status=rectifying", Self.ids(1, 2)), ("status=reported,withdrawn", Self.ids(3, 4)),
                ("status=reported&status=withdrawn", Self.ids(3, 4)), ("status=closed", []),
                ("overdue=true", Self.ids(1)), ("overdue=false", Self.ids(2, 3, 4)),
                ("department=lx-zjj", Self.ids(2)), ("department=lx-yjj", Self.ids(1, 4)), ("department=lx-jtj", []),
                ("q=化工", Self.ids(2, 4)), ("q=泄漏", Self.ids(2)), ("q=lx-2024-0003", Self.ids(3)), ("q=ma4l0c7a47", Self.ids(1, 3)),
                ("q=化工&status=rectifying", Self.ids(2)), ("region=", Self.ids(1, 2, 3, 4)),
            ] {
                #expect(try await Self.ledger(client, analyst, at + query).ids == expected, "\(query)")
            }
            // The rows: every field from the events.
            let rows = try #require(try await Self.ledger(client, analyst, at + "sort=hazardId").answer["hazards"] as? [[String: Any]])
            let first = rows[0], third = rows[2]
            #expect(first["status"] as? String == "rectifying" && first["region"] as? String == "桃林镇" && first["industry"] as? String == "烟花爆竹")
            #expect(first["discoveredOn"] as? String == "2024-03-05" && first["deadline"] as? String == "2024-03-31")
            #expect(first["enterprise"] as? [String: String] == ["creditCode": LedgerCounty.enterpriseOne, "name": "临湘市桃林烟花爆竹有限公司"])
            #expect(first["leadDepartment"] as? [String: String] == ["id": "lx-yjj", "name": "临湘市应急管理局"])
            #expect(first["overdue"] as? Bool == true && first["daysOverdue"] as? Int == 91)  // 2024-03-31 to 2024-06-30
            #expect(third["status"] as? String == "reported" && third["deadline"] is NSNull && third["leadDepartment"] is NSNull)
            #expect(third["overdue"] as? Bool == false && third["daysOverdue"] as? Int == 0)
            #expect(rows[3]["status"] as? String == "withdrawn" && rows[3]["overdue"] as? Bool == false)
            // Before its supervision, a hazard has no lead department, deadline or overdue days.
            let early = try await Self.ledger(client, analyst, "asOf=2024-03-05")
            #expect(early.ids == Self.ids(1) && early.answer["asOf"] as? String == "2024-03-05")
            let row = try #require((early.answer["hazards"] as? [[String: Any]])?.first)
            #expect(row["status"] as? String == "reported" && row["leadDepartment"] is NSNull && row["deadline"] is NSNull)
            // Without asOf: today, when every deadline of 2024 has passed but the withdrawn one's.
            #expect(try await Self.ledger(client, analyst, "overdue=true").ids == Self.ids(1, 2))
        }
    }

    @Test func afterARestartTheLogIsReadAndNewAppendsFoldOverIt() async throws {
        let county = try LedgerCounty()
        try await county.run { _, _ in }
        try await county.run(appending: false) { client, tokens in
            // LX-2024-0003 was reported before the restart, and is supervised after it.
            let supervise = #"{"eventId":"s-3","type":"HazardSupervised","occurredAt":"2024-04-02T10:00:00+08:00","data":{"hazardId":"LX-2024-0003","leadDepartment":{"id":"lx-xf","name":"临湘市消防救援大队"},"supervisionLevel":"county","deadline":"2024-04-30","responsible":{"departmentOfficer":{"id":"off-3","name":"某官员"},"townOfficer":{"id":"town-3","name":"某镇干部"}}}}"#
            let appended = try await client.execute(uri: "/api/v1/events", method: .post,
                                                    headers: [.authorization: "Bearer \(tokens["dept.yjj"] ?? "")", .contentType: "application/json"],
                                                    body: ByteBuffer(string: supervise))
            #expect(appended.status == .ok)
            let analyst = tokens["analyst"]
            let rows = try #require(try await Self.ledger(client, analyst, "asOf=2024-06-30").answer["hazards"] as? [[String: Any]])
            #expect(rows.compactMap { ($0["enterprise"] as? [String: String])?["creditCode"] }
                    == [LedgerCounty.enterpriseOne, LedgerCounty.enterpriseTwo, LedgerCounty.enterpriseOne, LedgerCounty.enterpriseTwo])
            #expect(rows.map { ($0["leadDepartment"] as? [String: String])?["id"] } == ["lx-yjj", "lx-zjj", "lx-xf", "lx-yjj"])
            #expect(try await Self.ledger(client, analyst, "asOf=2024-06-30&q=泄漏").ids == Self.ids(2))
            #expect(try await Self.ledger(client, analyst, "department=lx-xf").ids == Self.ids(3))
            #expect(try await Self.ledger(client, tokens["ent.one"], "").ids == Self.ids(1, 3))
        }
    }

    @Test func sortsAreStableAndPagesFollowThem() async throws {
        try await LedgerCounty().run { client, tokens in
            let analyst = tokens["analyst"]
            for (sort, expected) in [
                ("hazardId", Self.ids(1, 2, 3, 4, 5)), ("-hazardId", Self.ids(5, 4, 3, 2, 1)),
                ("discoveredOn", Self.ids(1, 2, 3, 4, 5)), ("-discoveredOn", Self.ids(5, 4, 3, 2, 1)),
                // No deadline last either way, those by id.
                ("deadline", Self.ids(1, 4, 2, 3, 5)), ("-deadline", Self.ids(2, 4, 1, 3, 5)),
                // In the lifecycle's order; equal statuses by id, ascending either way.
                ("status", Self.ids(3, 5, 1, 2, 4)), ("-status", Self.ids(4, 1, 2, 3, 5)),
            ] {
                #expect(try await Self.ledger(client, analyst, "sort=\(sort)").ids == expected, "\(sort)")
                var paged: [String] = []
                for page in 1...3 { paged += try await Self.ledger(client, analyst, "sort=\(sort)&pageSize=2&page=\(page)").ids }
                #expect(paged == expected, "\(sort) paged")
            }
            let last = try await Self.ledger(client, analyst, "pageSize=2&page=3")
            #expect(last.ids == Self.ids(5) && last.answer["total"] as? Int == 5 && last.answer["page"] as? Int == 3 && last.answer["pageSize"] as? Int == 2)
            #expect(try await Self.ledger(client, analyst, "page=4&pageSize=2").ids.isEmpty)
            #expect(try await Self.ledger(client, analyst, "page=9223372036854775807&pageSize=500").ids.isEmpty)
        }
    }

    @Test func aBadParameterIsNamedWithTheValuesItTakes() async throws {
        try await LedgerCounty().run { client, tokens in
            let analyst = tokens["analyst"]
            for (query, parameter, mentions) in [
                ("region=火星", "region", "桃林镇 (430682107)"), ("industry=采矿", "industry", "烟花爆竹"),
                ("status=open", "status", "awaiting-verification"), ("status=reported,open", "status", "withdrawn"),
                ("overdue=yes", "overdue", "true or false"), ("department=lx-none", "department", "lx-zjj"),
                ("sort=name", "sort", "discoveredOn"), ("sort=--deadline", "sort", "descending"),
                ("page=0", "page", "from 1"), ("page=x", "page", "from 1"), ("pageSize=501", "pageSize", "1 to 500"), ("pageSize=0", "pageSize", "1 to 500"),
                ("asOf=2024-13-01", "asOf", "YYYY-MM-DD"), ("region=桃林镇&region=忠防镇", "region", "once"),
                ("q=" + String(repeating: "隐", count: 201), "q", "200 characters"),
            ] {
                let response = try await client.get(Self.uri(query), analyst)
                #expect(response.status == .badRequest, "\(query)")
                let answer = try LedgerCounty.object(response)
                #expect(answer["error"] as? String == "bad-request", "\(query)")
                let problems = try #require(answer["problems"] as? [[String: Any]], "\(query)")
                #expect(problems.count == 1 && problems.first?["rule"] as? String == parameter, "\(query)")
                #expect((problems.first?["message"] as? String)?.contains(mentions) == true, "\(query): \(problems)")
                #expect((answer["message"] as? String)?.contains(parameter) == true, "\(query)")
            }
            // Every bad parameter at once, each named.
            let response = try await client.get(Self.uri("region=x&status=y&pageSize=z"), analyst)
            let problems = try LedgerCounty.object(response)["problems"] as? [[String: Any]]
            #expect(problems?.compactMap { $0["rule"] as? String } == ["region", "status", "pageSize"])
            #expect(try await client.get(Self.uri(""), nil).status == .unauthorized)
        }
    }
}
