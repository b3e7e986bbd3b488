import Foundation
import Hummingbird
import QinglingAccounts
import QinglingEvents
import QinglingLog
import QinglingWorkflow

/// `GET /hazards/{id}` (一患一档): a hazard's state and every event that names it.
struct HazardRoutes {
    let ledger: LiveLedger
    let reference: ReferenceData

    func hazard(_ request: Request, context: ServiceContext) async throws -> Response {
        guard let signedIn = context.identity else { throw APIError.unauthorized }
        let (hazard, history, inPart) = try await visibleHazard(try context.parameters.require("id"), to: signedIn.account, language: request.language)
        var members = [
            JSONMember("hazardId", .string(hazard.hazardId)),
            JSONMember("status", .string(hazard.status.rawValue)),
            JSONMember("version", .number(String(hazard.version))),
            JSONMember("region", .string(hazard.report.region)),
            JSONMember("industry", .string(hazard.report.industry)),
        ]
        if let deadline = hazard.deadline { members.append(JSONMember("deadline", .string(deadline.description))) }
        if let lead = hazard.supervision?.leadDepartment {
            members.append(JSONMember("leadDepartment", .object([JSONMember("id", .string(lead.id)), JSONMember("name", .string(lead.name))])))
        }
        // The events written straight as bytes (`EventJSONEncoder.write`), as `JSONWriter` writes
        // their documents: a hazard's file is read far more often than anything else.
        var body: [UInt8] = []
        JSONWriter.write(.object(members + [JSONMember("events", .array([]))]), to: &body)
        body.removeLast(2)  // `]}`: the events go in between
        for (index, stored) in history.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            let written = (stored.sequence, stored.recordedAt, stored.hash)
            guard inPart.contains(stored.sequence), case .object(let members) = EventJSONEncoder.encode(stored.event, stored: written) else {
                EventJSONEncoder.write(stored.event, stored: written, to: &body)
                continue
            }
            // Not the event as stored: its hash would not check against what is shown.
            JSONWriter.write(.object(members.filter { $0.key != "hash" } + [JSONMember("shownInPart", .bool(true))]), to: &body)
        }
        body.append(contentsOf: "]}".utf8)
        return JSONResponse.raw(body)
    }

    /// Hazard `id`'s state and every event that names it, if `account` may see it; else 404,
    /// the same for a hazard outside the scope as for one never reported. An escalation or a
    /// penalty that also names hazards outside the scope is given naming only those in it:
    /// `inPart` holds the sequences of the events so shown. The JSON route and the web page
    /// (一患一档) both read a hazard through here.
    func visibleHazard(_ id: String, to account: Account, language: Language) async throws -> (HazardRecord, [StoredEvent], inPart: Set<UInt64>) {
        let found: (HazardRecord, [StoredEvent])?
        switch await ledger.hazard(id) {
        case .success(let record): found = record
        case .failure(let error): throw EventRoutes.apiError(error, language: language)
        }
        let scope = ReadScope(account: account, reference: reference)
        guard let (hazard, history) = found, scope.sees(hazard) else {
            throw APIError.notFound
        }
        let others = Set(history.flatMap(\.event.body.hazardIds)).subtracting([id])
        guard scope.isNarrow, !others.isEmpty else { return (hazard, history, []) }
        let seen: Set<String>
        switch await ledger.records(others) {
        case .success(let records): seen = Set(records.filter(scope.sees).map(\.hazardId)).union([id])
        case .failure(let error): throw EventRoutes.apiError(error, language: language)
        }
        var inPart: Set<UInt64> = []
        let shown = history.map { stored in
            guard stored.event.body.hazardIds.contains(where: { !seen.contains($0) }) else { return stored }
            var narrowed = stored
            narrowed.event.body = stored.event.body.namingOnly { seen.contains($0) }
            inPart.insert(stored.sequence)
            return narrowed
        }
        return (hazard, shown, inPart)
    }
}
