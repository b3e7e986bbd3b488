import Foundation
import Testing
import QinglingEvents
import QinglingLog
@testable import QinglingProjections
import QinglingSampleData
import QinglingWorkflow

func day(_ text: String) -> CalendarDate {
    guard let date = CalendarDate(text) else { fatalError("bad test date \(text)") }
    return date
}

/// Builds a log's worth of stored events by hand, each on a given business day, recorded ten
/// minutes after it happened unless told otherwise.
struct History {
    static let department = Actor(organization: OrganizationRef(kind: .department, id: "lx-yjj", name: "临湘市应急管理局"),
                                  person: PersonRef(id: "yjj-017", name: "李卫东"))
    static let verifier = Actor(organization: OrganizationRef(kind: .department, id: "lx-yjj", name: "临湘市应急管理局"),
                                person: PersonRef(id: "yjj-004", name: "易亮"))
    static let committee = Actor(organization: OrganizationRef(kind: .committee, id: "lx-aqw", name: "临湘市安委办"),
                                 person: PersonRef(id: "aqw-001", name: "陈主任"))
    static let town = Actor(organization: OrganizationRef(kind: .town, id: "430682107", name: "桃林镇"),
                            person: PersonRef(id: "tlz-002", name: "王芳"))
    static let enterprise = EnterpriseRef(creditCode: "91430682MA4L0C7A4X", name: "临湘市桃林烟花爆竹有限公司")

    private(set) var events: [StoredEvent] = []

    /// Adds an event by the department.
    mutating func add(_ date: String, _ body: EventBody, recordedOn: String? = nil) {
        add(date, History.department, body, recordedOn: recordedOn)
    }

    mutating func add(_ date: String, _ actor: Actor, _ body: EventBody, recordedOn: String? = nil) {
        let occurred = ShanghaiDateTime(date: day(date), hour: 10, minute: 0, second: 0) ?? ShanghaiDateTime(microseconds: 0)
        var recorded = occurred.microseconds + 600_000_000
        if let recordedOn { recorded = (ShanghaiDateTime(date: day(recordedOn), hour: 12, minute: 0, second: 0) ?? occurred).microseconds }
        recorded = max(recorded, (events.last?.recordedAt.microseconds ?? 0) + 1)
        let event = Event(eventId: "e-\(events.count)", occurredAt: occurred, actor: actor, body: body)
        events.append(StoredEvent(sequence: UInt64(events.count), recordedAt: ShanghaiDateTime(microseconds: recorded), event: event,
                                  hash: Array(repeating: UInt8(events.count & 0xFF), count: 32)))
    }

    var state: ProjectionState {
        var state = ProjectionState()
        for event in events {
            do { try state.apply(event) } catch { Issue.record("event \(event.sequence) does not fold: \(error)") }
        }
        return state
    }

    static func report(_ id: String, region: String = "桃林镇", industry: String = "烟花爆竹", discovered: String) -> EventBody {
        .hazardReported(HazardReported(hazardId: id, enterprise: enterprise, region: region, industry: industry, criterionClause: "第三条",
                                       description: "仓库超量储存", source: .departmentInspection, discoveredOn: day(discovered)))
    }

    static func supervise(_ id: String, deadline: String) -> EventBody {
        .hazardSupervised(HazardSupervised(
            hazardId: id, leadDepartment: DepartmentRef(id: "lx-yjj", name: "临湘市应急管理局"), supervisionLevel: .county, deadline: day(deadline),
            responsible: ResponsiblePersons(enterprisePrincipal: PersonRef(id: "ent-001", name: "刘建国"), actualController: nil,
                                            departmentOfficer: PersonRef(id: "yjj-017", name: "李卫东"), townOfficer: PersonRef(id: "tlz-002", name: "王芳"))))
    }

    static func extend(_ id: String, to deadline: String) -> EventBody {
        .deadlineExtended(DeadlineExtended(hazardId: id, newDeadline: day(deadline), reason: "设备到货延迟"))
    }

    static func rectify(_ id: String, on date: String) -> EventBody {
        .hazardRectified(HazardRectified(hazardId: id, completedOn: day(date), measures: "清理超量产品", fundsFen: 100))
    }

    static func verify(_ id: String, _ outcome: VerificationOutcome = .passed) -> EventBody {
        .hazardVerified(HazardVerified(hazardId: id, outcome: outcome, findings: outcome == .passed ? "整改到位" : "未整改到位"))
    }

    static func close(_ id: String) -> EventBody { .hazardClosed(HazardClosed(hazardId: id, note: "同意销号")) }
    static func reopen(_ id: String, deadline: String) -> EventBody { .hazardReopened(HazardReopened(hazardId: id, reason: "复发", newDeadline: day(deadline))) }
    static func withdraw(_ id: String) -> EventBody { .hazardWithdrawn(HazardWithdrawn(hazardId: id, reason: "经复核不属于重大事故隐患")) }

    static func escalate(_ level: EscalationLevel, _ ids: [String]) -> EventBody {
        .escalationIssued(EscalationIssued(level: level, target: OrganizationRef(kind: .department, id: "lx-yjj", name: "临湘市应急管理局"), hazardIds: ids))
    }

    static func penalty(_ kind: PenaltyKind = .fine, fen: Int64 = 500_000, hazards: [String] = [], tipOff: String? = nil) -> EventBody {
        .penaltyImposed(PenaltyImposed(enterprise: enterprise, kind: kind, amountFen: fen, legalBasis: "安全生产法第一百零二条",
                                       caseNumber: "临应急罚〔2024〕1号", hazardIds: hazards, tipOffId: tipOff))
    }

    /// A hazard closed on time: reported, supervised with a deadline, rectified, verified, closed.
    mutating func closedHazard(_ id: String, discovered: String, deadline: String, verified: String, closed: String, region: String = "桃林镇") {
        add(discovered, History.town, Self.report(id, region: region, discovered: discovered))
        add(discovered, Self.supervise(id, deadline: deadline))
        add(verified, History.town, Self.rectify(id, on: verified))
        add(verified, History.verifier, Self.verify(id))
        add(closed, Self.close(id))
    }
}

/// A log in a fresh directory (removed with it), written through the event store from
/// generated Linxiang events, a slice at a time, each recorded ten minutes after its last event.
final class GeneratedLog {
    let directory = NSTemporaryDirectory() + "qingling-projections-\(UUID().uuidString)"
    let events: [Event]
    private let clock: SimulatedClock
    private let writer: EventStore

    init(seed: UInt64, hazardsPerYear: Int) throws {
        events = LinxiangGenerator(seed: seed, hazardsPerYear: hazardsPerYear, until: day("2026-11-20")).events()
        clock = SimulatedClock(microseconds: events.first?.occurredAt.microseconds ?? 0)
        writer = try EventStore(appendingTo: directory, reference: .linxiang, options: LogOptions(clock: clock))
    }

    deinit {
        try? writer.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Appends `slice` as one batch.
    func append(_ slice: ArraySlice<Event>) throws {
        clock.set(microseconds: (slice.last?.occurredAt.microseconds ?? 0) + 600_000_000)
        _ = try writer.append(slice.map { EventStore.Input(event: $0) })
    }

    /// A store reading the log.
    func store() throws -> EventStore { try EventStore(readingFrom: directory) }
}

extension CheckpointReader {
    /// A reader of a copy of `bytes` at `fileOffset`, the copy kept for the rest of the test
    /// process (a reader does not own its bytes; the tests' are a few kilobytes).
    init(testing bytes: [UInt8], at fileOffset: Int = 0) {
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
        copy.copyBytes(from: bytes)
        self.init(UnsafeRawBufferPointer(rebasing: copy[..<bytes.count]), at: fileOffset)
    }
}
