import Hummingbird
import QinglingAccounts
import QinglingEvents
import QinglingWorkflow

/// `POST /events`: events appended as the signed-in account, all or nothing, with the CLI's
/// validation and idempotency; concurrent requests share their writes (`GroupCommit`).
struct EventRoutes {
    let ledger: LiveLedger
    /// Where appends wait to be written together.
    let commits: GroupCommit
    let metrics: ServiceMetrics
    let reference: ReferenceData

    func append(_ request: Request, context: ServiceContext) async throws -> Response {
        guard let signedIn = context.identity else { throw APIError.unauthorized }
        guard let actor = signedIn.account.actor else {
            throw APIError(.forbidden, "read-only", request.language.pick(
                zh: "\(signedIn.account.role.rawValue) 账户只读，不记录事件", en: "the \(signedIn.account.role.rawValue) account reads only; it records no events"))
        }
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let submission = EventSubmission(body: Array(buffer: body), actor: actor, language: request.language)
        if submission.tooMany {
            throw APIError(.contentTooLarge, "too-many-events", request.language.pick(
                zh: "一次请求最多 \(ServiceLimits.eventsPerRequest) 个事件；未写入任何内容",
                en: "one request holds at most \(ServiceLimits.eventsPerRequest) events; nothing was written"))
        }
        if !submission.impersonations.isEmpty {
            throw APIError(.forbidden, "actor", "events may only be recorded as the signed-in person; nothing was written", problems: submission.impersonations)
        }
        if !submission.problems.isEmpty {
            throw APIError(.unprocessableContent, "invalid", "\(submission.problems.count) problem(s); nothing was written", problems: submission.problems)
        }
        let scope = ReadScope(account: signedIn.account, reference: reference)
        var hidden: Set<String> = []
        if scope.isNarrow {
            let named = submission.inputs.reduce(into: Set<String>()) { $0.formUnion($1.event.body.hazardIds) }
            switch await ledger.records(named) {
            case .success(let records): hidden = Set(records.filter { !scope.sees($0) }.map(\.hazardId))
            case .failure(let error): throw Self.apiError(error, language: request.language, narrow: true)
            }
        }
        let report: RequestAppended
        switch await commit(submission.inputs, hiding: hidden, context: context) {
        case .success(let done): report = done
        case .failure(let error): throw Self.apiError(error, language: request.language, narrow: scope.isNarrow)
        }
        // Written directly (`JSONWriter`), not through Foundation's encoder: every append answers
        // this. The sequences only when something was written.
        var members = [JSONMember("alreadyInLog", .number(String(report.retries))), JSONMember("appended", .number(String(report.written.count)))]
        if let first = report.written.first, let last = report.written.last {
            members += [JSONMember("firstSequence", .number(String(first))), JSONMember("lastSequence", .number(String(last)))]
        }
        return JSONResponse.raw(JSONWriter.string(.object(members)))
    }

    /// Appends `inputs` all or nothing through the group commit, counting it in the metrics
    /// and logging a failure of the log: the one path of every append, the API's and the web
    /// forms' (`FormAppend`).
    func commit(_ inputs: [EventStore.Input], hiding hidden: Set<String>, context: ServiceContext) async -> Result<RequestAppended, StoreError> {
        let started = ContinuousClock.now
        let result = await commits.append(inputs, hiding: hidden)
        switch result {
        case .success(let done):
            metrics.appendDuration.record(ContinuousClock.now - started)
            metrics.eventsAppended.increment(by: Int64(done.written.count))
            if let last = done.written.last { metrics.logEvents.set(to: Double(last + 1)) }
        case .failure(let error):
            metrics.appendsRefused.increment()
            if case .refused = error {} else {
                context.logger.error("append failed; the writer is stopped until the service restarts", metadata: ["error": "\(error)"])
            }
        }
        return result
    }

    /// A refused append as the API answers it: 403 when a refusal is about who acts (the
    /// account's write scope), else 409 when every refusal is a conflict with the log's state,
    /// else 422; 500 without details for a failure of the log itself.
    ///
    /// For an account of narrow scope, a reused event id is not told where it was used.
    static func apiError(_ error: StoreError, language: Language, narrow: Bool = false) -> APIError {
        guard case .refused(let violations) = error else {
            return APIError(.internalServerError, "log", "the log could not take the events; nothing was acknowledged. The administrator's log has the details")
        }
        let problems = violations.map { violation in
            var message = violation.rule.message(language)
            if narrow, case .eventIdReused(let id, _) = violation.rule {
                message = language.pick(zh: "事件编号 \(id) 已被使用；请换一个编号", en: "event id \(id) was already used; choose another")
            }
            return APIError.Problem(index: violation.line, eventId: violation.eventId, rule: "workflow", message: message)
        }
        let message = language.pick(zh: "\(violations.count) 个事件被拒绝；未写入任何内容", en: "\(violations.count) event(s) refused; nothing was written")
        if violations.contains(where: \.rule.isPermission) { return APIError(.forbidden, "forbidden", message, problems: problems) }
        let conflict = violations.allSatisfy(\.rule.isConflict)
        return APIError(conflict ? .conflict : .unprocessableContent, conflict ? "conflict" : "refused", message, problems: problems)
    }
}
