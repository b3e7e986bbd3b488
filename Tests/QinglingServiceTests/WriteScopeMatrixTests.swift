import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import QinglingAccounts
import QinglingEvents
@testable import QinglingService
import Testing

/// Every role × every event type × a hazard of the account's own organisation and of another,
/// through `POST /events`: what `domain.md` allows is appended (200); a refusal about who acts is
/// 403; a hazard outside a narrow account's scope is refused as if it did not exist (422); the
/// read-only roles are refused (403). Nothing refused is written. Then every read route × every
/// role.
@Suite struct WriteScopeMatrixTests {
    /// Which hazards a case acts on: family A is enterprise E1's, in 桃林镇, led by lx-yjj (the
    /// department account's); family B is E2's, in 忠防镇, led by lx-zjj.
    enum Family: String, CaseIterable { case own = "A", other = "B" }

    static let password = "a long passphrase for tests"
    static let enterpriseOne = "91430682MA4L0C7A47"
    static let enterpriseTwo = CreditCode.withCheckCharacter("91430682MA4PBX3D2") ?? ""

    /// The statuses a case's hazard is brought to before the case's event.
    enum Stage: Int { case none, reported, rectifying, awaitingVerification, verified, closed }

    static let types: [(EventType, Stage)] = [
        (.hazardReported, .none), (.hazardSupervised, .reported), (.deadlineExtended, .rectifying), (.hazardRectified, .rectifying),
        (.hazardVerified, .awaitingVerification), (.hazardClosed, .verified), (.hazardReopened, .closed), (.hazardWithdrawn, .rectifying),
        (.escalationIssued, .rectifying), (.penaltyImposed, .rectifying), (.tipOffReceived, .none), (.rewardPaid, .none),
    ]

    static let roles: [(login: String, role: Role)] = [
        ("ent.one", .enterprise), ("town.taolin", .town), ("dept.yjj", .department), ("committee", .committee),
        ("analyst", .analyst), ("archivist", .archivist),
    ]

    /// What `domain.md` and the workflow say of `role` recording `type` on a hazard of `family`.
    static func expected(_ role: Role, _ type: EventType, _ family: Family) -> HTTPResponse.Status {
        let own = family == .own
        switch role {
        case .analyst, .archivist:
            return .forbidden
        case .enterprise, .town:
            switch type {
            case .hazardReported: return own ? .ok : .forbidden  // another enterprise's; another town's region
            case .hazardRectified: return own ? .ok : .unprocessableContent  // out of scope: as if missing
            case .deadlineExtended, .hazardClosed, .hazardWithdrawn: return own ? .forbidden : .unprocessableContent
            default: return .forbidden
            }
        case .department:
            switch type {
            case .deadlineExtended, .hazardClosed, .hazardWithdrawn: return own ? .ok : .forbidden  // the lead department only
            case .hazardRectified, .escalationIssued: return .forbidden
            default: return .ok
            }
        case .committee:
            return type == .hazardRectified || type == .penaltyImposed ? .forbidden : .ok
        }
    }

    @Test func everyRoleEveryEventTypeOwnAndOtherHazard() async throws {
        let directory = NSTemporaryDirectory() + "qingling-matrix-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let accounts = try AccountStore(path: directory + "/accounts.sqlite", reference: .linxiang, passwordCost: PasswordRules.minimumCost)
        func add(_ login: String, _ role: Role, _ organization: String, _ name: String? = nil, person: String) throws {
            try accounts.add(login: login, role: role, organizationId: organization, organizationName: name,
                             person: PersonRef(id: person, name: "测试\(person)"), password: Self.password, by: "local:test")
        }
        try add("ent.one", .enterprise, Self.enterpriseOne, "临湘市桃林烟花爆竹有限公司", person: "e1-001")
        try add("ent.two", .enterprise, Self.enterpriseTwo, "临湘市某化工有限公司", person: "e2-001")
        try add("town.taolin", .town, "430682107", person: "tl-001")
        try add("dept.yjj", .department, "lx-yjj", person: "yjj-001")
        try add("committee", .committee, "lx-aqw", person: "aqw-001")
        try add("analyst", .analyst, "lx-aqw", person: "aqw-002")
        try add("archivist", .archivist, "lx-aqw", person: "aqw-003")
        let app = try QinglingService.application(ServiceConfiguration(logDirectory: directory + "/log", accountsPath: directory + "/accounts.sqlite", port: 0),
                                                  logger: Logger(label: "test"))
        try await app.test(.live) { client in
            var tokens: [String: String] = [:]
            for login in ["ent.one", "ent.two", "town.taolin", "dept.yjj", "committee", "analyst", "archivist"] {
                let response = try await client.execute(uri: "/api/v1/login", method: .post, headers: [.contentType: "application/json"],
                                                        body: ByteBuffer(string: #"{"login":"\#(login)","password":"\#(Self.password)"}"#))
                let object = try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any])
                tokens[login] = try #require(object["token"] as? String)
            }
            func post(_ login: String, _ events: [String]) async throws -> TestResponse {
                let headers: HTTPFields = [.authorization: "Bearer \(tokens[login] ?? "")", .contentType: "application/x-ndjson"]
                return try await client.execute(uri: "/api/v1/events", method: .post, headers: headers, body: ByteBuffer(string: events.joined(separator: "\n")))
            }

            // One hazard (and tip-off) per case, brought to its stage by the committee and, for
            // rectifications, the hazard's own enterprise.
            var cases: [(login: String, role: Role, type: EventType, family: Family, event: String)] = []
            var byCommittee: [String] = [], byEnterprise: [Family: [String]] = [:], afterRectification: [String] = []
            var number = 100
            for (login, role) in Self.roles {
                for (type, stage) in Self.types {
                    for family in Family.allCases {
                        number += 1
                        let seed = Seed(family: family, hazardId: "LX-2024-\(String(format: "%04d", number))", tipOffId: "JB-2024-\(String(format: "%04d", number))")
                        if type == .rewardPaid {
                            byCommittee += [seed.tipOff(), seed.report(withTipOff: true)]
                        } else if stage.rawValue >= Stage.reported.rawValue {
                            byCommittee.append(seed.report(withTipOff: false))
                        }
                        if stage.rawValue >= Stage.rectifying.rawValue { byCommittee.append(seed.supervise()) }
                        if stage.rawValue >= Stage.awaitingVerification.rawValue { byEnterprise[family, default: []].append(seed.rectify()) }
                        if stage.rawValue >= Stage.verified.rawValue { afterRectification.append(seed.verify()) }
                        if stage.rawValue >= Stage.closed.rawValue { afterRectification.append(seed.close()) }
                        cases.append((login, role, type, family, seed.event(type)))
                    }
                }
            }
            #expect(try await post("committee", byCommittee).status == .ok)
            #expect(try await post("ent.one", byEnterprise[.own] ?? []).status == .ok)
            #expect(try await post("ent.two", byEnterprise[.other] ?? []).status == .ok)
            #expect(try await post("committee", afterRectification).status == .ok)
            let seeded = byCommittee.count + (byEnterprise[.own]?.count ?? 0) + (byEnterprise[.other]?.count ?? 0) + afterRectification.count

            var appended = 0
            for test in cases {
                let response = try await post(test.login, [test.event])
                let expected = Self.expected(test.role, test.type, test.family)
                #expect(response.status == expected, "\(test.login) \(test.type.rawValue) on \(test.family): \(String(buffer: response.body))")
                if response.status == .ok { appended += 1 }
                if expected == .forbidden, response.status == .forbidden {
                    let code = try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any]
                    #expect(["forbidden", "read-only"].contains(code?["error"] as? String), "\(test.login) \(test.type.rawValue)")
                }
            }
            // Nothing refused was written.
            let head = try await client.execute(uri: "/api/v1/head", method: .get, headers: [.authorization: "Bearer \(tokens["analyst"] ?? "")"])
            let size = try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: head.body).utf8)) as? [String: Any])["size"] as? Int
            #expect(size == seeded + appended)
            #expect(appended == cases.filter { Self.expected($0.role, $0.type, $0.family) == .ok }.count)

            // Every read route × every role: a narrow account sees its own hazard only (another's
            // answers 404, as a missing one does); the whole log is the county office's.
            let ownHazard = "LX-2024-0103", otherHazard = "LX-2024-0104"  // seeded: family A and B
            let seededTipOff = "JB-2024-0123"  // received and reported with (ent.one's reward case, family A)
            for (login, role) in Self.roles {
                let narrow = role == .enterprise || role == .town
                let office = [.committee, .analyst, .archivist].contains(role)
                let county = [.department, .committee, .analyst].contains(role)  // the county's figures
                let tipOffs = [.department, .committee].contains(role)
                func allowed(_ yes: Bool) -> HTTPResponse.Status { yes ? .ok : .notFound }
                let routes: [(String, HTTPResponse.Status)] = [
                    ("/api/v1/me", .ok),
                    ("/api/v1/hazards/\(ownHazard)", .ok),
                    ("/api/v1/hazards/\(otherHazard)", allowed(!narrow)),
                    ("/api/v1/hazards/LX-2024-9999", .notFound),
                    ("/api/v1/hazards?q=\(ownHazard)", .ok),
                    ("/api/v1/tipoffs/\(seededTipOff)", allowed(tipOffs)),
                    ("/api/v1/stats?period=2024&by=both", allowed(county || role == .town)),
                    ("/api/v1/overdue", allowed(county || role == .town)),
                    ("/api/v1/targets", allowed(county)),
                    ("/api/v1/ranking?quarter=2024Q1", allowed(county)),
                    ("/api/v1/penalties", allowed(county)),
                    ("/api/v1/rewards", allowed(tipOffs)),
                    ("/api/v1/trace?hazard=\(ownHazard)", allowed(role != .archivist)),
                    ("/api/v1/trace?hazard=\(otherHazard)", allowed(county)),
                    ("/api/v1/trace?enterprise=\(Self.enterpriseOne)", allowed(county || role == .enterprise)),
                    ("/api/v1/trace?person=yjj-001", allowed(county)),
                    ("/api/v1/reminders", allowed([.enterprise, .town, .department, .committee].contains(role))),
                    ("/api/v1/attachments/\(String(repeating: "0", count: 64))", .notFound),
                    ("/api/v1/head", allowed(office)),
                    ("/api/v1/events?limit=1", allowed(office)),
                    ("/metrics", allowed(office)),
                ]
                for (uri, expected) in routes {
                    let response = try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer \(tokens[login] ?? "")"])
                    #expect(response.status == expected, "\(login) GET \(uri)")
                }
                // The ledger lists another organisation's hazard only to those who may read it.
                let listed = try await client.execute(uri: "/api/v1/hazards?q=\(otherHazard)", method: .get, headers: [.authorization: "Bearer \(tokens[login] ?? "")"])
                let total = try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: listed.body).utf8)) as? [String: Any])["total"] as? Int
                #expect(total == (narrow ? 0 : 1), "\(login) GET /api/v1/hazards?q=\(otherHazard)")
                // The streams never end: only their refusals are read here (ServiceTests reads them).
                if !office {
                    let stream = try await client.execute(uri: "/api/v1/events/stream", method: .get, headers: [.authorization: "Bearer \(tokens[login] ?? "")"])
                    #expect(stream.status == .notFound, "\(login) GET /api/v1/events/stream")
                }
                if !county {
                    let changes = try await client.execute(uri: "/api/v1/events/changes", method: .get, headers: [.authorization: "Bearer \(tokens[login] ?? "")"])
                    #expect(changes.status == .notFound, "\(login) GET /api/v1/events/changes")
                }
            }
        }
    }

    /// The events of one case's hazard, with the actor left to the account.
    struct Seed {
        let family: Family
        let hazardId: String
        let tipOffId: String

        var enterprise: (code: String, name: String) {
            family == .own ? (WriteScopeMatrixTests.enterpriseOne, "临湘市桃林烟花爆竹有限公司") : (WriteScopeMatrixTests.enterpriseTwo, "临湘市某化工有限公司")
        }
        var region: String { family == .own ? "桃林镇" : "忠防镇" }
        var lead: (id: String, name: String) { family == .own ? ("lx-yjj", "临湘市应急管理局") : ("lx-zjj", "临湘市住房和城乡建设局") }

        private func event(_ type: String, _ suffix: String, on date: String, _ data: String) -> String {
            #"{"eventId":"\#(hazardId)-\#(suffix)","type":"\#(type)","occurredAt":"\#(date)T10:00:00+08:00","data":\#(data)}"#
        }

        func report(withTipOff: Bool) -> String {
            let tip = withTipOff ? #","tipOffId":"\#(tipOffId)""# : ""
            return event("HazardReported", "report", on: "2024-03-05", #"{"hazardId":"\#(hazardId)","enterprise":{"creditCode":"\#(enterprise.code)","name":"\#(enterprise.name)"},"region":"\#(region)","industry":"烟花爆竹","criterionClause":"第三条","description":"超量储存","source":"departmentInspection","discoveredOn":"2024-03-05"\#(tip)}"#)
        }
        func tipOff() -> String {
            event("TipOffReceived", "tip", on: "2024-03-04", #"{"tipOffId":"\#(tipOffId)","channel":"hotline","summary":"来电反映","reporterPseudonym":"群众甲"}"#)
        }
        func supervise() -> String {
            event("HazardSupervised", "supervise", on: "2024-03-06", #"{"hazardId":"\#(hazardId)","leadDepartment":{"id":"\#(lead.id)","name":"\#(lead.name)"},"supervisionLevel":"county","deadline":"2024-04-30","responsible":{"departmentOfficer":{"id":"off-\#(hazardId)","name":"某官员"},"townOfficer":{"id":"town-\#(hazardId)","name":"某镇干部"}}}"#)
        }
        func rectify() -> String {
            event("HazardRectified", "rectify", on: "2024-03-20", #"{"hazardId":"\#(hazardId)","completedOn":"2024-03-20","measures":"已整改","fundsFen":100000}"#)
        }
        func verify() -> String {
            event("HazardVerified", "verify", on: "2024-03-25", #"{"hazardId":"\#(hazardId)","outcome":"passed","findings":"整改到位"}"#)
        }
        func close() -> String {
            event("HazardClosed", "close", on: "2024-03-26", #"{"hazardId":"\#(hazardId)","note":"准予销号"}"#)
        }

        /// The case's own event, dated 2024-04-01.
        func event(_ type: EventType) -> String {
            let on = "2024-04-01"
            switch type {
            case .hazardReported: return report(withTipOff: false)
            case .hazardSupervised: return supervise()
            case .deadlineExtended: return event("DeadlineExtended", "case", on: on, #"{"hazardId":"\#(hazardId)","newDeadline":"2024-05-31","reason":"需定制设备"}"#)
            case .hazardRectified: return event("HazardRectified", "case", on: on, #"{"hazardId":"\#(hazardId)","completedOn":"2024-04-01","measures":"已整改","fundsFen":100000}"#)
            case .hazardVerified: return event("HazardVerified", "case", on: on, #"{"hazardId":"\#(hazardId)","outcome":"passed","findings":"整改到位"}"#)
            case .hazardClosed: return event("HazardClosed", "case", on: on, #"{"hazardId":"\#(hazardId)","note":"准予销号"}"#)
            case .hazardReopened: return event("HazardReopened", "case", on: on, #"{"hazardId":"\#(hazardId)","reason":"回头看复发","newDeadline":"2024-06-30"}"#)
            case .hazardWithdrawn: return event("HazardWithdrawn", "case", on: on, #"{"hazardId":"\#(hazardId)","reason":"经复核不构成重大隐患"}"#)
            case .escalationIssued:
                return event("EscalationIssued", "case", on: on, #"{"level":"letter","target":{"kind":"enterprise","id":"\#(enterprise.code)","name":"\#(enterprise.name)"},"hazardIds":["\#(hazardId)"],"reason":"逾期未整改"}"#)
            case .penaltyImposed:
                return event("PenaltyImposed", "case", on: on, #"{"enterprise":{"creditCode":"\#(enterprise.code)","name":"\#(enterprise.name)"},"kind":"warning","amountFen":0,"legalBasis":"安全生产法","caseNumber":"罚-\#(hazardId)","hazardIds":["\#(hazardId)"]}"#)
            case .tipOffReceived: return tipOff()
            case .rewardPaid: return event("RewardPaid", "case", on: on, #"{"tipOffId":"\#(tipOffId)","amountFen":200000}"#)
            case .reporterKeyDestroyed:
                return event("ReporterKeyDestroyed", "case", on: on, #"{"tipOffId":"\#(tipOffId)","keyId":"k","reason":"期满"}"#)
            }
        }
    }
}
