import Foundation
import QinglingAccounts
import QinglingEvents
import QinglingProjections
import QinglingWorkflow

/// The accounts `qingling demo --serve` creates: one per role, each for an organisation and a
/// person of the demo data, with a password generated for this demo and printed once.
struct DemoAccounts {
    struct Entry {
        var login: String
        var role: Role
        var organizationId: String
        var organizationName: String?
        var person: PersonRef
        var password: String
    }

    var entries: [Entry]

    /// The cast, from the first overdue hazard of an enterprise (by id) as of the log's last
    /// business date, one still being rectified if there is one, so that the enterprise, its
    /// town and its lead department have reminders (`GET /reminders`: to rectify, to follow
    /// up; else the department's to verify).
    init(store: EventStore, reference: ReferenceData) throws(ProjectionError) {
        let (state, _) = try ProjectionStore.load(store)
        let latest = state.latestBusinessDate ?? CalendarDate(daysSinceEpoch: 0)
        let alerts = OverdueAlerts(state, on: latest)
        var chosen: HazardRecord?
        do throws(StoreError) {
            let rectifying = alerts.overdue.filter(\.awaitsRectification)
            for id in (rectifying.map(\.hazardId).sorted() + alerts.overdue.map(\.hazardId).sorted()) {
                if let record = try store.hazard(id), record.report.enterprise != nil, record.supervision != nil {
                    chosen = record
                    break
                }
            }
        } catch {
            throw .store(error)
        }
        let enterprise = chosen?.report.enterprise
        let responsible = chosen?.supervision?.responsible
        let office = reference.committee.id
        entries = []
        if let enterprise {
            entries.append(Entry(login: "demo.enterprise", role: .enterprise, organizationId: enterprise.creditCode, organizationName: enterprise.name,
                                 person: responsible?.enterprisePrincipal ?? PersonRef(id: "demo-ent-01", name: "演示企业负责人"), password: Self.password()))
        }
        if let region = chosen.flatMap({ reference.region(named: $0.report.region) }) {
            entries.append(Entry(login: "demo.town", role: .town, organizationId: region.code, organizationName: nil,
                                 person: responsible?.townOfficer ?? PersonRef(id: "demo-town-01", name: "演示属地干部"), password: Self.password()))
        }
        if let lead = chosen?.supervision?.leadDepartment {
            entries.append(Entry(login: "demo.department", role: .department, organizationId: lead.id, organizationName: nil,
                                 person: responsible?.departmentOfficer ?? PersonRef(id: "demo-dept-01", name: "演示部门干部"), password: Self.password()))
            // A second person of the department, so that the one who supervises is not the one who verifies.
            entries.append(Entry(login: "demo.department2", role: .department, organizationId: lead.id, organizationName: nil,
                                 person: PersonRef(id: "demo-dept-02", name: "演示部门审核员"), password: Self.password()))
        }
        entries.append(Entry(login: "demo.committee", role: .committee, organizationId: office, organizationName: nil,
                             person: PersonRef(id: "demo-aqw-01", name: "演示安委办干部"), password: Self.password()))
        entries.append(Entry(login: "demo.analyst", role: .analyst, organizationId: office, organizationName: nil,
                             person: PersonRef(id: "demo-aqw-02", name: "演示分析人员"), password: Self.password()))
        entries.append(Entry(login: "demo.archivist", role: .archivist, organizationId: office, organizationName: nil,
                             person: PersonRef(id: "demo-aqw-03", name: "演示档案管理人员"), password: Self.password()))
    }

    /// Adds every account to the database at `path` (created, mode 0600).
    func create(at path: String, reference: ReferenceData) throws(AccountError) {
        let store = try AccountStore(path: path, reference: reference)
        for entry in entries {
            _ = try store.add(login: entry.login, role: entry.role, organizationId: entry.organizationId, organizationName: entry.organizationName,
                              person: entry.person, password: entry.password, by: "local:qingling-demo")
        }
    }

    /// Sixteen random characters in four groups, without look-alikes (no 0/o, 1/l/i).
    static func password() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        let groups = (0..<4).map { _ in String((0..<4).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }) }
        return groups.joined(separator: "-")
    }
}
