import Foundation
import QinglingWorkflow
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import QinglingAccounts
import QinglingEvents
@testable import QinglingService
import Testing

/// A county of five hazards, one tip-off and an account of every kind, for the ledger and the
/// tip-off routes, served over real HTTP on loopback.
///
/// | hazard | enterprise | region | industry | discovered | supervised (lead, deadline) | then |
/// |---|---|---|---|---|---|---|
/// | LX-2024-0001 | E1 | 桃林镇 | 烟花爆竹 | 2024-03-05 | 03-06 lx-yjj, 2024-03-31 | |
/// | LX-2024-0002 | E2 | 忠防镇 | 危险化学品 | 2024-03-10 | 03-11 lx-zjj, 2024-12-31 | |
/// | LX-2024-0003 | E1 | 桃林镇 | 烟花爆竹 | 2024-04-01 | | reported with tip-off JB-2024-0001 |
/// | LX-2024-0004 | E2 | 桃林镇 | 危险化学品 | 2024-05-01 | 05-02 lx-yjj, 2024-05-31 | withdrawn 06-01 |
/// | LX-2024-0005 | E2 | 忠防镇 | 烟花爆竹 | 2024-07-15 | | |
///
/// Tip-off JB-2024-0001 was received 2024-03-30; a penalty of E1 names it, and a reward was paid
/// for it.
struct LedgerCounty {
    let directory = NSTemporaryDirectory() + "qingling-ledger-\(UUID().uuidString)"
    /// The key store of reporters' identities the service is started with, if any.
    var vault: ReporterVault?
    /// Where the service's log lines go (the default handler when `nil`).
    var logLines: RecordedLogLines?
    static let password = "a long passphrase for tests"
    static let enterpriseOne = "91430682MA4L0C7A47"
    static let enterpriseTwo = CreditCode.withCheckCharacter("91430682MA4PBX3D2") ?? ""
    static let tipOffSummary = "来电反映桃林镇某烟花厂夜间违规生产"

    /// Login to role, for every account.
    static let logins: [(login: String, role: Role)] = [
        ("dept.yjj", .department), ("committee", .committee), ("analyst", .analyst), ("archivist", .archivist),
        ("ent.one", .enterprise), ("ent.two", .enterprise), ("town.taolin", .town), ("town.zhongfang", .town),
    ]

    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let accounts = try AccountStore(path: accountsPath, reference: .linxiang, passwordCost: PasswordRules.minimumCost)
        func add(_ login: String, _ role: Role, _ organization: String, _ name: String? = nil, person: String) throws {
            try accounts.add(login: login, role: role, organizationId: organization, organizationName: name,
                             person: PersonRef(id: person, name: "测试\(person)"), password: Self.password, by: "local:test")
        }
        try add("dept.yjj", .department, "lx-yjj", person: "yjj-001")
        try add("committee", .committee, "lx-aqw", person: "aqw-001")
        try add("analyst", .analyst, "lx-aqw", person: "aqw-002")
        try add("archivist", .archivist, "lx-aqw", person: "aqw-003")
        try add("ent.one", .enterprise, Self.enterpriseOne, "临湘市桃林烟花爆竹有限公司", person: "e1-001")
        try add("ent.two", .enterprise, Self.enterpriseTwo, "临湘市某化工有限公司", person: "e2-001")
        try add("town.taolin", .town, "430682107", person: "tl-001")
        try add("town.zhongfang", .town, "430682101", person: "zf-001")
    }

    var accountsPath: String { directory + "/accounts.sqlite" }

    func application() throws -> some ApplicationProtocol {
        let logger = logLines.map { lines in Logger(label: "test") { _ in RecordingLogHandler(lines: lines) } } ?? Logger(label: "test")
        return try QinglingService.application(ServiceConfiguration(logDirectory: directory + "/log", accountsPath: accountsPath, port: 0, vault: vault),
                                               logger: logger)
    }

    /// The county's events, every one recorded by the department lx-yjj.
    static var events: [String] {
        func event(_ id: String, _ type: String, _ date: String, _ data: String) -> String {
            #"{"eventId":"\#(id)","type":"\#(type)","occurredAt":"\#(date)T10:00:00+08:00","data":\#(data)}"#
        }
        func report(_ number: Int, _ code: String, _ name: String, _ region: String, _ industry: String, _ discovered: String, _ description: String,
                    tipOff: String? = nil) -> String {
            let tip = tipOff.map { #","tipOffId":"\#($0)""# } ?? ""
            return event("r-\(number)", "HazardReported", discovered,
                         #"{"hazardId":"LX-2024-000\#(number)","enterprise":{"creditCode":"\#(code)","name":"\#(name)"},"region":"\#(region)","industry":"\#(industry)","criterionClause":"第三条","description":"\#(description)","source":"departmentInspection","discoveredOn":"\#(discovered)"\#(tip)}"#)
        }
        func supervise(_ number: Int, _ date: String, _ lead: String, _ leadName: String, _ deadline: String) -> String {
            event("s-\(number)", "HazardSupervised", date,
                  #"{"hazardId":"LX-2024-000\#(number)","leadDepartment":{"id":"\#(lead)","name":"\#(leadName)"},"supervisionLevel":"county","deadline":"\#(deadline)","responsible":{"departmentOfficer":{"id":"off-\#(number)","name":"某官员"},"townOfficer":{"id":"town-\#(number)","name":"某镇干部"}}}"#)
        }
        let one = (enterpriseOne, "临湘市桃林烟花爆竹有限公司"), two = (enterpriseTwo, "临湘市某化工有限公司")
        return [
            report(1, one.0, one.1, "桃林镇", "烟花爆竹", "2024-03-05", "成品仓库超量储存"),
            supervise(1, "2024-03-06", "lx-yjj", "临湘市应急管理局", "2024-03-31"),
            report(2, two.0, two.1, "忠防镇", "危险化学品", "2024-03-10", "储罐区未设置泄漏报警"),
            supervise(2, "2024-03-11", "lx-zjj", "临湘市住房和城乡建设局", "2024-12-31"),
            event("t-1", "TipOffReceived", "2024-03-30", #"{"tipOffId":"JB-2024-0001","channel":"hotline","summary":"\#(tipOffSummary)","reporterPseudonym":"群众甲"}"#),
            report(3, one.0, one.1, "桃林镇", "烟花爆竹", "2024-04-01", "夜间违规生产", tipOff: "JB-2024-0001"),
            report(4, two.0, two.1, "桃林镇", "危险化学品", "2024-05-01", "装卸区无静电接地"),
            supervise(4, "2024-05-02", "lx-yjj", "临湘市应急管理局", "2024-05-31"),
            event("w-4", "HazardWithdrawn", "2024-06-01", #"{"hazardId":"LX-2024-0004","reason":"经复核不构成重大隐患"}"#),
            event("p-1", "PenaltyImposed", "2024-04-10",
                  #"{"enterprise":{"creditCode":"\#(one.0)","name":"\#(one.1)"},"kind":"warning","amountFen":0,"legalBasis":"安全生产法","caseNumber":"罚-2024-01","hazardIds":["LX-2024-0003"],"tipOffId":"JB-2024-0001"}"#),
            event("b-1", "RewardPaid", "2024-04-20", #"{"tipOffId":"JB-2024-0001","amountFen":200000}"#),
            report(5, two.0, two.1, "忠防镇", "烟花爆竹", "2024-07-15", "药物总库防雷失效"),
        ]
    }

    /// Signs every account in and, unless told not to (a restart), records the county's events;
    /// runs `body` with the client and each login's bearer token.
    func run(appending: Bool = true, _ body: @escaping @Sendable (any TestClientProtocol, [String: String]) async throws -> Void) async throws {
        try await application().test(.live) { client in
            var tokens: [String: String] = [:]
            for (login, _) in Self.logins {
                let response = try await client.execute(uri: "/api/v1/login", method: .post, headers: [.contentType: "application/json"],
                                                        body: ByteBuffer(string: #"{"login":"\#(login)","password":"\#(Self.password)"}"#))
                tokens[login] = try #require(try Self.object(response)["token"] as? String)
            }
            guard appending else { return try await body(client, tokens) }
            let appended = try await client.execute(uri: "/api/v1/events", method: .post,
                                                    headers: [.authorization: "Bearer \(tokens["dept.yjj"] ?? "")", .contentType: "application/x-ndjson"],
                                                    body: ByteBuffer(string: Self.events.joined(separator: "\n")))
            #expect(appended.status == .ok, "\(String(buffer: appended.body))")
            try await body(client, tokens)
        }
    }

    /// The answer's JSON object.
    static func object(_ response: TestResponse) throws -> [String: Any] {
        let body = String(buffer: response.body)
        return try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any], "\(body)")
    }
}

extension TestClientProtocol {
    /// `GET uri` as the holder of `token`.
    func get(_ uri: String, _ token: String?) async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: [.authorization: "Bearer \(token ?? "")"])
    }
}

/// Every log line a service wrote, at every level, with its metadata, as text.
final class RecordedLogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}

/// A log handler that keeps every line (trace and up) in `lines`.
struct RecordingLogHandler: LogHandler {
    let lines: RecordedLogLines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        lines.append("\(level) \(message) \(self.metadata.merging(metadata ?? [:]) { $1 })")
    }
}
