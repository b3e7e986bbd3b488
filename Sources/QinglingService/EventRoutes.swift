import Hummingbird
import QinglingAccounts
import QinglingEvents
import QinglingWorkflow

/// `POST /events`: events appended as the signed-in account, all or nothing, with the CLI's
/// validation and idempotency.
struct EventRoutes {
    let ledger: LiveLedger

    struct Appended: Codable, Equatable {
        var appended: Int
        var firstSequence: UInt64?
        var lastSequence: UInt64?
        var alreadyInLog: Int
    }

    func append(_ request: Request, context: ServiceContext) async throws -> Response {
        guard let signedIn = context.identity else { throw APIError.unauthorized }
        guard let actor = signedIn.account.actor else {
            throw APIError(.forbidden, "read-only", "a \(signedIn.account.role.rawValue) account reads only; it records no events")
        }
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let submission = EventSubmission(body: Array(buffer: body), actor: actor, language: request.language)
        if !submission.impersonations.isEmpty {
            throw APIError(.forbidden, "actor", "events may only be recorded as the signed-in person; nothing was written", problems: submission.impersonations)
        }
        if !submission.problems.isEmpty {
            throw APIError(.unprocessableContent, "invalid", "\(submission.problems.count) problem(s); nothing was written", problems: submission.problems)
        }
        let report: EventStore.AppendReport
        switch await ledger.append(submission.inputs) {
        case .success(let done): report = done
        case .failure(let error): throw Self.apiError(error, language: request.language)
        }
        let retries = report.outcomes.filter { if case .duplicate = $0 { true } else { false } }.count
        return try JSONResponse.encode(Appended(appended: report.written.count, firstSequence: report.written.isEmpty ? nil : report.written.lowerBound,
                                                lastSequence: report.written.isEmpty ? nil : report.written.upperBound - 1, alreadyInLog: retries))
    }

    /// A refused append as the API answers it: 409 when every refusal is a conflict with the
    /// log's state, 422 otherwise; 500 without details for a failure of the log itself.
    static func apiError(_ error: StoreError, language: Language) -> APIError {
        guard case .refused(let violations) = error else {
            return APIError(.internalServerError, "log", "the log could not take the events; nothing was acknowledged. The administrator's log has the details")
        }
        let problems = violations.map { violation in
            APIError.Problem(index: violation.line, eventId: violation.eventId, rule: "workflow", message: violation.rule.message(language))
        }
        let conflict = violations.allSatisfy(\.rule.isConflict)
        return APIError(conflict ? .conflict : .unprocessableContent, conflict ? "conflict" : "refused",
                        "\(violations.count) event(s) refused; nothing was written", problems: problems)
    }
}
