import Hummingbird
import QinglingEvents
import QinglingWorkflow

/// `GET /tipoffs/{id}` (举报): a tip-off's receipt (channel, summary, reporter pseudonym), the
/// hazards reported with it and the penalties and rewards naming it, for departments and the
/// committee (anyone else: 404, as for a tip-off never received). Every answer is recorded in
/// the audit log first (`AuditEntry.Kind.tipOffRead`), without what the tip-off says; one that
/// cannot be is refused (503 `audit-unavailable`).
struct TipOffRoutes {
    let ledger: LiveLedger
    let audit: AuditRecorder

    func tipOff(_ request: Request, context: ServiceContext) async throws -> Response {
        guard let account = context.identity?.account else { throw APIError.unauthorized }
        guard account.role == .department || account.role == .committee else { throw APIError.notFound }
        let id = try context.parameters.require("id")
        let events: [StoredEvent]
        switch await ledger.tipOff(id) {
        case .success(let found): events = found
        case .failure(let error): throw EventRoutes.apiError(error, language: request.language)
        }
        // A tip-off is named only once received (the workflow's rule): without its receipt, none.
        guard let received = events.first(where: { $0.event.type == .tipOffReceived }) else { throw APIError.notFound }
        let reported = events.compactMap { stored -> String? in
            if case .hazardReported(let report) = stored.event.body { report.hazardId } else { nil }
        }
        let records: [HazardRecord]
        switch await ledger.records(Set(reported)) {
        case .success(let found): records = found
        case .failure(let error): throw EventRoutes.apiError(error, language: request.language)
        }
        let statuses = Dictionary(records.map { ($0.hazardId, $0.status) }, uniquingKeysWith: { first, _ in first })
        func encoded(_ type: EventType) -> JSONValue {
            .array(events.filter { $0.event.type == type }.map { EventJSONEncoder.encode($0.event, stored: ($0.sequence, $0.recordedAt, $0.hash)) })
        }
        let answer = JSONValue.object([
            JSONMember("tipOffId", .string(id)),
            JSONMember("received", EventJSONEncoder.encode(received.event, stored: (received.sequence, received.recordedAt, received.hash))),
            JSONMember("hazards", .array(reported.map { hazard in
                .object([JSONMember("hazardId", .string(hazard)), JSONMember("status", statuses[hazard].map { .string($0.rawValue) } ?? .null)])
            })),
            JSONMember("penalties", encoded(.penaltyImposed)),
            JSONMember("rewards", encoded(.rewardPaid)),
        ])
        try await audit.recordTipOffRead(context, subject: id, detail: "GET /api/v1/tipoffs/\(id)")
        return JSONResponse.raw(JSONWriter.string(answer))
    }
}
