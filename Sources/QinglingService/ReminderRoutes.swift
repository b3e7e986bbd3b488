import Hummingbird
import QinglingAccounts
import QinglingEvents
import QinglingProjections
import QinglingReports
import QinglingWorkflow

/// `GET /reminders`: what the caller's organisation must do and by when — the notices the
/// plan's letters (函告) rest on. An enterprise: rectify its own hazards overdue or due within 7
/// days; a town: those of its region; a department: follow up the hazards it leads that are
/// overdue or due soon, and verify those awaiting verification; the committee: escalate where a
/// higher level is due, and supervise hazards reported more than 7 days ago without it.
/// Analysts and archivists have no duties (404).
struct ReminderRoutes {
    let ledger: LiveLedger
    let reference: ReferenceData

    /// One thing to do.
    struct Reminder: Encodable, Equatable {
        /// `rectify`, `follow-up`, `verify`, `escalate` or `supervise`.
        var duty: String
        var hazardId: String
        var region: String
        var industry: String
        var leadDepartment: String?
        var status: String
        /// The deadline (rectify, follow-up), the rectification (verify), the report (supervise).
        var since: String
        /// Days past `since`; negative: days left before the deadline.
        var days: Int
        var overdue: Bool
        /// Escalate only: the level due.
        var levelDue: String?
    }

    struct Answer: Encodable {
        var asOf: String
        var reminders: [Reminder]
    }

    func reminders(_ request: Request, context: ServiceContext) async throws -> Response {
        guard let account = context.identity?.account else { throw APIError.unauthorized }
        return try JSONResponse.encode(try await reminders(for: account))
    }

    /// What `account`'s organisation must do, as of today (a simulated log: its last business
    /// date): what the JSON route and the web page (`/reminders`) show. Analysts and archivists
    /// have no duties (404).
    func reminders(for account: Account) async throws -> Answer {
        guard [.enterprise, .town, .department, .committee].contains(account.role) else { throw APIError.notFound }
        let result = await ledger.query { state, store in
            let date = QueryDates.defaultDate(store, latest: state.latestBusinessDate)
            return (date, OverdueAlerts(state, on: date, awaitingVerificationAfter: -1))
        }
        guard case .success(let (date, alerts)) = result else {
            throw APIError(.internalServerError, "log", "the log could not be read; the administrator's log has the details")
        }
        func reminder(_ duty: String, _ alert: OverdueAlerts.Alert, overdue: Bool) -> Reminder {
            Reminder(duty: duty, hazardId: alert.hazardId, region: alert.region, industry: alert.industry, leadDepartment: alert.leadDepartment,
                     status: alert.status.rawValue, since: alert.since.description, days: alert.days, overdue: overdue,
                     levelDue: duty == "escalate" ? alert.levelDue?.rawValue : nil)
        }
        let due = (alerts.overdue.map { ($0, true) } + alerts.dueSoon.map { ($0, false) }).filter(\.0.awaitsRectification)
        var found: [Reminder] = []
        switch account.role {
        case .enterprise:
            let own = try await ownHazards(Set(due.map(\.0.hazardId)), creditCode: account.organization.id)
            found = due.filter { own.contains($0.0.hazardId) }.map { reminder("rectify", $0.0, overdue: $0.1) }
        case .town:
            let region = reference.region(code: account.organization.id)?.name
            found = due.filter { $0.0.region == region }.map { reminder("rectify", $0.0, overdue: $0.1) }
        case .department:
            let leads = { (alert: OverdueAlerts.Alert) in alert.leadDepartment == account.organization.name }
            found = due.filter { leads($0.0) }.map { reminder("follow-up", $0.0, overdue: $0.1) }
                + alerts.awaitingVerification.filter(leads).map { reminder("verify", $0, overdue: false) }
        case .committee:
            found = alerts.overdue.filter(\.higherDue).map { reminder("escalate", $0, overdue: true) }
                + alerts.unsupervised.map { reminder("supervise", $0, overdue: true) }
        case .analyst, .archivist:
            throw APIError.notFound
        }
        return Answer(asOf: date.description, reminders: found)
    }

    /// Which of `ids` are the enterprise's own (its credit code on the report).
    private func ownHazards(_ ids: Set<String>, creditCode: String) async throws -> Set<String> {
        switch await ledger.records(ids) {
        case .success(let records): return Set(records.filter { $0.report.enterprise?.creditCode == creditCode }.map(\.hazardId))
        case .failure: throw APIError(.internalServerError, "log", "the log could not be read; the administrator's log has the details")
        }
    }
}
