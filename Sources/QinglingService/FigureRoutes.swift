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
/// committee; enterprises and archivists none (404). The pages (`AnalysisPage`,
/// `DashboardPage`) ask the same questions through `report(_:_:for:)`.
struct FigureRoutes {
    let ledger: LiveLedger
    let reference: ReferenceData
    /// Where reads of tip-off details (`rewards`) are recorded.
    let audit: AuditRecorder
    /// The answers given for the log as it stands.
    let answers = AnswerCache()

    /// What `account` may see of `figure`; 404 when nothing.
    func scope(of figure: Figure, for account: Account) throws -> FigureScope {
        let townsToo = figure == .stats || figure == .overdue, tipOffs = figure == .rewards
        switch account.role {
        case .committee, .department: return .county
        case .analyst where !tipOffs: return .county
        case .town where townsToo:
            guard let region = reference.region(code: account.organization.id)?.name else { throw APIError.notFound }
            return .region(region)
        default: throw APIError.notFound
        }
    }

    func stats(_ request: Request, context: ServiceContext) async throws -> Response { try await json(.stats, request, context) }
    func overdue(_ request: Request, context: ServiceContext) async throws -> Response { try await json(.overdue, request, context) }
    func targets(_ request: Request, context: ServiceContext) async throws -> Response { try await json(.targets, request, context) }
    func ranking(_ request: Request, context: ServiceContext) async throws -> Response { try await json(.ranking, request, context) }
    func penalties(_ request: Request, context: ServiceContext) async throws -> Response { try await json(.penalties, request, context) }
    func rewards(_ request: Request, context: ServiceContext) async throws -> Response { try await json(.rewards, request, context) }

    /// `asOf` and `knownAt` from the query string (`/trace`'s), a bad one a 400 answer.
    static func dates(_ request: Request) throws -> (asOf: CalendarDate?, knownAt: Int64?) {
        do throws(FigureOptionError) {
            return try FigureQuery.dates(options(request))
        } catch {
            throw APIError(.badRequest, "bad-request", error.en)
        }
    }

    /// The query string's parameters by name (the first of a repeated one).
    static func options(_ request: Request) -> [String: String] {
        Dictionary(request.uri.queryParameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { first, _ in first })
    }

    /// The report of `figure` for `options` as `context`'s account may see it, with the length
    /// of the log it was computed from: 404 (`APIError`) outside the account's scope,
    /// `FigureOptionError` for an option that cannot be read, 500 when the log cannot be read.
    /// A read of tip-off details (`rewards`) is in the audit log before it is answered (`route`:
    /// what was asked, for the entry), else 503.
    func report(_ figure: Figure, _ options: [String: String], in context: ServiceContext, route: String) async throws -> (report: Report, logLength: UInt64) {
        guard let account = context.identity?.account else { throw APIError.unauthorized }
        let answer = try await report(figure, options, scope: scope(of: figure, for: account))
        if figure == .rewards {
            let asked = options.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "&")
            let shown = answer.report.tables.first { $0.key == "tipOffs" }?.rows.count ?? 0
            try await audit.recordTipOffRead(context, subject: nil, detail: route + (asked.isEmpty ? "" : "?" + asked) + " (tip-offs: \(shown))")
        }
        return answer
    }

    private func report(_ figure: Figure, _ options: [String: String], scope: FigureScope) async throws -> (report: Report, logLength: UInt64) {
        let query = try FigureQuery(figure, options, scope: scope, reference: reference)
        let result = await ledger.countedQuery(refoldAt: query.refoldAt) { state, store in
            Result { () throws(FigureQuery.Failure) in try query.build(state, store) }
        }
        switch result {
        case .success((.success(let report), let logLength)): return (report, logLength)
        case .success((.failure(.option(let error)), _)): throw error
        case .success((.failure(.store), _)), .success((.failure(.overflow), _)), .failure:
            throw APIError(.internalServerError, "log", "the log could not be read for these figures; the administrator's log has the details")
        }
    }

    /// The JSON answer to `request` for `figure`: the one kept for the log as it stands
    /// (`AnswerCache`), else the report computed, rendered and kept. Tip-off details
    /// (`rewards`) are never kept: each read is audited.
    private func json(_ figure: Figure, _ request: Request, _ context: ServiceContext) async throws -> Response {
        guard let account = context.identity?.account else { throw APIError.unauthorized }
        let scope = try self.scope(of: figure, for: account)
        let today = ShanghaiDateTime(microseconds: Int64(Date().timeIntervalSince1970 * 1_000_000)).date
        let key = AnswerCache.Key(route: figure.rawValue, query: request.uri.query ?? "", scope: scope.key, today: today)
        if figure != .rewards, let text = answers.answer(key, logLength: await ledger.eventCount) { return JSONResponse.raw(text) }
        do {
            let answer = try await self.report(figure, Self.options(request), in: context, route: "GET " + request.uri.path)
            let text = answer.report.render(.json, .en)
            if figure != .rewards { answers.keep(text, for: key, logLength: answer.logLength) }
            return JSONResponse.raw(text)
        } catch let error as FigureOptionError {
            throw APIError(.badRequest, "bad-request", error.en)
        }
    }
}
