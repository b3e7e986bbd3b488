import Foundation
import QinglingEvents
import QinglingLog
@testable import QinglingWorkflow

/// A fresh directory removed when the test is done.
final class TemporaryLog {
    let path: String
    init() { path = NSTemporaryDirectory() + "qingling-workflow-\(UUID().uuidString)" }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// An event store on a simulated clock at the end of 2026.
    func store() throws -> EventStore {
        try EventStore(appendingTo: path, reference: .linxiang,
                       options: LogOptions(clock: SimulatedClock(microseconds: ShanghaiTime.startOfYear(2027))))
    }
}

/// Builds valid events for one hazard's life, step by step.
struct Scenario {
    static let enterprise = EnterpriseRef(creditCode: CreditCode.withCheckCharacter("91430682MA4L0C7A4") ?? "", name: "临湘市桃林烟花爆竹有限公司")
    static let company = Actor(organization: OrganizationRef(kind: .enterprise, id: enterprise.creditCode, name: enterprise.name),
                               person: PersonRef(id: "ent-001", name: "刘建国"))
    static let department = Actor(organization: OrganizationRef(kind: .department, id: "lx-yjj", name: "临湘市应急管理局"),
                                  person: PersonRef(id: "yjj-017", name: "李卫东"))
    static let otherDepartment = Actor(organization: OrganizationRef(kind: .department, id: "lx-zjj", name: "临湘市住房和城乡建设局"),
                                       person: PersonRef(id: "zjj-003", name: "周敏"))
    static let committee = Actor(organization: OrganizationRef(kind: .committee, id: "lx-aqw", name: "临湘市安委办"),
                                 person: PersonRef(id: "aqw-001", name: "陈主任"))
    static let town = Actor(organization: OrganizationRef(kind: .town, id: "430682107", name: "桃林镇"),
                            person: PersonRef(id: "tlz-002", name: "王芳"))

    var counter = 0
    var day = CalendarDate(year: 2024, month: 3, day: 5) ?? CalendarDate(daysSinceEpoch: 0)

    /// The next event: a fresh id, a day later than the previous one.
    mutating func event(_ actor: Actor, _ body: EventBody, expectedVersion: Int? = nil) -> Event {
        counter += 1
        day = day.adding(days: 1)
        let time = ShanghaiDateTime(date: day, hour: 10, minute: 0, second: 0) ?? ShanghaiDateTime(microseconds: 0)
        return Event(eventId: "t-\(counter)", occurredAt: time, actor: actor, expectedVersion: expectedVersion, body: body)
    }

    func report(_ id: String = "LX-2024-0001", tipOff: String? = nil, source: HazardSource = .departmentInspection) -> EventBody {
        .hazardReported(HazardReported(hazardId: id, enterprise: Self.enterprise, region: "桃林镇", industry: "烟花爆竹",
                                       criterionClause: "烟花爆竹重大事故隐患判定标准第三条", description: "仓库超量储存",
                                       source: source, discoveredOn: day, tipOffId: tipOff))
    }

    func supervise(_ id: String = "LX-2024-0001", deadlineInDays: Int = 30) -> EventBody {
        .hazardSupervised(HazardSupervised(
            hazardId: id, leadDepartment: DepartmentRef(id: "lx-yjj", name: "临湘市应急管理局"), supervisionLevel: .county,
            deadline: day.adding(days: deadlineInDays),
            responsible: ResponsiblePersons(enterprisePrincipal: PersonRef(id: "ent-001", name: "刘建国"), actualController: nil,
                                            departmentOfficer: PersonRef(id: "yjj-017", name: "李卫东"),
                                            townOfficer: PersonRef(id: "tlz-002", name: "王芳"))))
    }

    func rectify(_ id: String = "LX-2024-0001") -> EventBody {
        .hazardRectified(HazardRectified(hazardId: id, completedOn: day, measures: "清理超量产品", fundsFen: 1_250_000))
    }

    func verify(_ id: String = "LX-2024-0001", _ outcome: VerificationOutcome = .passed) -> EventBody {
        .hazardVerified(HazardVerified(hazardId: id, outcome: outcome, findings: outcome == .passed ? "整改到位" : "未整改到位"))
    }

    func close(_ id: String = "LX-2024-0001") -> EventBody { .hazardClosed(HazardClosed(hazardId: id, note: "同意销号")) }
}

extension EventStore {
    /// Appends events as one batch, returning the outcomes or the refusals.
    @discardableResult
    func add(_ events: [Event]) throws -> AppendReport {
        try append(events.enumerated().map { Input(line: $0.offset + 1, event: $0.element) })
    }

    /// The violations an append of `events` is refused with (empty when accepted).
    func violations(_ events: [Event]) throws -> [WorkflowViolation] {
        do {
            try add(events)
            return []
        } catch let StoreError.refused(violations) {
            return violations
        }
    }

    /// The rules an append of `events` breaks, in input order (empty when accepted).
    func refusals(_ events: [Event]) throws -> [WorkflowViolation.Rule] {
        try violations(events).map(\.rule)
    }
}

/// A small seeded generator (xorshift64*), so that a property test's random cuts repeat.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }
    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
}
