import Foundation
import Hummingbird
import QinglingAccounts
import QinglingEvents
import QinglingProjections
import QinglingReports
import QinglingWorkflow

/// `GET /stats`, `/overdue`, `/ranking`, `/targets`, `/penalties`, `/rewards`: the analysts'
/// figures, answered from the live projections with the JSON of the command line's `--format
/// json` (`QinglingReports`), scoped by role: departments, the committee and analysts see every
/// figure; a town its region's statistics and alerts; tip-off rewards only departments and the
/// committee, each answer of them recorded in the audit log first (`AuditRecorder`);
/// enterprises and archivists none (404).
struct FigureRoutes {
    let ledger: LiveLedger
    let reference: ReferenceData
    /// Where reads of tip-off details are recorded (`/rewards`).
    let audit: AuditRecorder
    /// The answers given for the log as it stands.
    let answers = AnswerCache()

    /// What the caller may see of the figures.
    private enum Scope {
        case county
        /// A town: only its region's rows.
        case region(String)

        /// The scope in an `AnswerCache.Key`.
        var key: String {
            switch self {
            case .county: ""
            case .region(let name): name
            }
        }
    }

    private func scope(_ context: ServiceContext, townsToo: Bool = false, tipOffs: Bool = false) throws -> Scope {
        guard let account = context.identity?.account else { throw APIError.unauthorized }
        switch account.role {
        case .committee, .department: return .county
        case .analyst where !tipOffs: return .county
        case .town where townsToo && !tipOffs:
            guard let region = reference.region(code: account.organization.id)?.name else { throw APIError.notFound }
            return .region(region)
        default: throw APIError.notFound
        }
    }

    func stats(_ request: Request, context: ServiceContext) async throws -> Response {
        let scope = try scope(context, townsToo: true)
        let periodText = request.uri.queryParameters["period"].map(String.init) ?? ""
        guard let period = Period(periodText) else {
            throw APIError(.badRequest, "bad-request", "period must be like 2024, 2024Q3, 2024-07 or 2024-03-01..2024-06-30, not \(periodText.prefix(40))")
        }
        let byText = request.uri.queryParameters["by"].map(String.init) ?? "region"
        guard var grouping = ClearanceGrouping(rawValue: byText) else { throw APIError(.badRequest, "bad-request", "by is region, industry, both or total") }
        if case .region = scope, grouping == .industry || grouping == .total { grouping = .region }  // a town's figures are its region's rows
        let (asOf, knownAt) = try Self.dates(request)
        let reference = self.reference, chosen = grouping
        return try await respond(request, "stats", scope, shape: { report in
            guard case .region(let region) = scope else { return report }
            // A town sees its own region's rows, and its region's figures as the total.
            var own = report
            own.tables = report.tables.map { table in
                var table = table
                table.rows = table.rows.filter { if case .text(let name) = $0.first { name == region } else { false } }
                table.total = nil
                return table
            }
            return own
        }) { state, store throws(QueryFailure) in
            let latest = try Self.latest(store, knownAt: knownAt, latest: state.latestBusinessDate)
            let date = asOf ?? QueryDates.defaultDate(store, latest: latest)
            guard period.start <= date else { throw .badRequest("the period \(period.name) starts on \(period.start), after the as-of date \(date)") }
            return Report.statistics(state, period: period, grouping: chosen, knowledge: Knowledge(asOf: date, knownAt: knownAt), reference: reference)
        }
    }

    func overdue(_ request: Request, context: ServiceContext) async throws -> Response {
        let scope = try scope(context, townsToo: true)
        let (asOf, knownAt) = try Self.dates(request)
        let only = try request.uri.queryParameters["only"].map { text in
            guard let list = OverdueAlerts.List(rawValue: String(text)) else {
                throw APIError(.badRequest, "bad-request", "only is overdue, unsupervised, awaiting-verification or due-soon")
            }
            return list
        }
        return try await respond(request, "overdue", scope) { state, store throws(QueryFailure) in
            let latest = try Self.latest(store, knownAt: knownAt, latest: state.latestBusinessDate)
            let date = asOf ?? QueryDates.defaultDate(store, latest: latest)
            var alerts = OverdueAlerts(state, on: date, knownAt: knownAt)
            if case .region(let region) = scope {
                alerts.overdue.removeAll { $0.region != region }
                alerts.unsupervised.removeAll { $0.region != region }
                alerts.awaitingVerification.removeAll { $0.region != region }
                alerts.dueSoon.removeAll { $0.region != region }
            }
            return Report.overdue(alerts, thresholds: EscalationLadder.standard.description, only: only)
        }
    }

    func targets(_ request: Request, context: ServiceContext) async throws -> Response {
        let scope = try scope(context)
        let (asOf, knownAt) = try Self.dates(request)
        return try await respond(request, "targets", scope) { state, store throws(QueryFailure) in
            let latest = try Self.latest(store, knownAt: knownAt, latest: state.latestBusinessDate)
            let date = asOf ?? QueryDates.defaultDate(store, latest: latest)
            return Report.targets(PlanTargets(state, on: date, knownAt: knownAt))
        }
    }

    func ranking(_ request: Request, context: ServiceContext) async throws -> Response {
        let scope = try scope(context)
        let text = request.uri.queryParameters["quarter"].map(String.init) ?? ""
        guard let quarter = Quarter(text) else { throw APIError(.badRequest, "bad-request", "quarter must be like 2025Q2, not \(text.prefix(40))") }
        let (_, knownAt) = try Self.dates(request)
        let reference = self.reference
        return try await respond(request, "ranking", scope, knownAt: knownAt) { state, store throws(QueryFailure) in
            let asOf = QueryDates.defaultDate(store, latest: state.latestBusinessDate)
            guard Period(quarter).start <= asOf else { throw .badRequest("the quarter \(quarter) starts after the as-of date \(asOf)") }
            return Report.ranking(QuarterlyRanking(state, quarter: quarter, asOf: asOf, reference: reference), quarter: quarter, knownAt: knownAt)
        }
    }

    func penalties(_ request: Request, context: ServiceContext) async throws -> Response {
        let scope = try scope(context)
        let quarters = try ["from", "to"].map { name in
            try request.uri.queryParameters[name[...]].map { text in
                guard let quarter = Quarter(String(text)) else { throw APIError(.badRequest, "bad-request", "\(name) must be a quarter like 2025Q1") }
                return quarter
            }
        }
        let first = quarters[0] ?? Quarter(year: 1900, number: 1), last = quarters[1] ?? Quarter(year: 2999, number: 4)
        guard first <= last else { throw APIError(.badRequest, "bad-request", "from \(first) is after to \(last)") }
        let department = request.uri.queryParameters["department"].map(String.init)
        let (_, knownAt) = try Self.dates(request)
        let reference = self.reference
        return try await respond(request, "penalties", scope, knownAt: knownAt) { state, _ throws(QueryFailure) in
            do throws(EventDecodingError) {
                return try Report.penalties(PenaltySummary(state, quarters: first...last, department: department, reference: reference), knownAt: knownAt)
            } catch {
                throw .overflow
            }
        }
    }

    func rewards(_ request: Request, context: ServiceContext) async throws -> Response {
        let scope = try scope(context, tipOffs: true)
        let paidOnly = request.uri.queryParameters["paidOnly"] == "true"
        let (_, knownAt) = try Self.dates(request)
        // Not kept (`AnswerCache`): each read is audited with how many tip-offs it shows.
        let report = try await computed(knownAt: knownAt) { state, _ throws(QueryFailure) in
            do throws(EventDecodingError) {
                return try Report.rewards(RewardSummary(state, paidOnly: paidOnly), knownAt: knownAt)
            } catch {
                throw .overflow
            }
        }.report
        // The route as asked (its parameters read already), and how many tip-offs it shows.
        let asked = [paidOnly ? "paidOnly=true" : nil, request.uri.queryParameters["knownAt"].map { "knownAt=\($0)" }].compactMap { $0 }
        let shown = report.tables.first { $0.key == "tipOffs" }?.rows.count ?? 0
        try await audit.recordTipOffRead(context, subject: nil,
                                         detail: "GET /api/v1/rewards" + (asked.isEmpty ? "" : "?" + asked.joined(separator: "&")) + " (tip-offs: \(shown))")
        return JSONResponse.raw(report.render(.json, .en))
    }

    // MARK: - Shared

    /// Why a query gave no report.
    enum QueryFailure: Error {
        case badRequest(String)
        case store(StoreError)
        /// Sums past what 64 bits of fen hold (only a crafted log comes near).
        case overflow
    }

    /// `asOf` (a date) and `knownAt` (a date or a time) from the query string (also `/trace`'s).
    static func dates(_ request: Request) throws -> (asOf: CalendarDate?, knownAt: Int64?) {
        let asOf = try request.uri.queryParameters["asOf"].map { text in
            guard let date = CalendarDate(String(text)) else { throw APIError(.badRequest, "bad-request", "asOf must be a date YYYY-MM-DD") }
            return date
        }
        let knownAt = try request.uri.queryParameters["knownAt"].map { text in
            guard let time = QueryDates.knownAt(String(text)) else {
                throw APIError(.badRequest, "bad-request", "knownAt must be a date YYYY-MM-DD or a time like 2025-01-05T18:00:00+08:00")
            }
            return time
        }
        return (asOf, knownAt)
    }

    private static func latest(_ store: EventStore, knownAt: Int64?, latest: CalendarDate?) throws(QueryFailure) -> CalendarDate? {
        do throws(StoreError) { return try QueryDates.latestKnown(store, knownAt: knownAt, latest: latest) } catch { throw .store(error) }
    }

    /// The answer to `request` of `route`: the one kept for the log as it stands
    /// (`AnswerCache`), else `build`'s report (`computed`) cut to the caller's scope by
    /// `shape`, rendered as JSON and kept.
    private func respond(_ request: Request, _ route: String, _ scope: Scope, knownAt: Int64? = nil,
                         shape: (Report) -> Report = { $0 },
                         _ build: @escaping @Sendable (ProjectionState, EventStore) throws(QueryFailure) -> Report) async throws -> Response {
        let today = ShanghaiDateTime(microseconds: Int64(Date().timeIntervalSince1970 * 1_000_000)).date
        let key = AnswerCache.Key(route: route, query: request.uri.query ?? "", scope: scope.key, today: today)
        if let text = answers.answer(key, logLength: await ledger.eventCount) { return JSONResponse.raw(text) }
        let (report, logLength) = try await computed(knownAt: knownAt, build)
        let text = shape(report).render(.json, .en)
        answers.keep(text, for: key, logLength: logLength)
        return JSONResponse.raw(text)
    }

    /// `build` run in the ledger (`LiveLedger.query`, refolded at `knownAt` where the figures
    /// need it), with the length of the log it was computed from; failures become answers.
    private func computed(knownAt: Int64?, _ build: @escaping @Sendable (ProjectionState, EventStore) throws(QueryFailure) -> Report) async throws -> (report: Report, logLength: UInt64) {
        let result = await ledger.countedQuery(refoldAt: knownAt) { state, store in Result { () throws(QueryFailure) in try build(state, store) } }
        switch result {
        case .success((.success(let report), let logLength)): return (report, logLength)
        case .success((.failure(.badRequest(let message)), _)): throw APIError(.badRequest, "bad-request", message)
        case .success((.failure(.store), _)), .success((.failure(.overflow), _)), .failure:
            throw APIError(.internalServerError, "log", "the log could not be read for these figures; the administrator's log has the details")
        }
    }
}
