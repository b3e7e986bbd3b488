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
        let (hazard, history) = try await visibleHazard(try context.parameters.require("id"), to: signedIn.account, language: request.language)
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
        let events = history.map { stored in
            EventJSONEncoder.encode(stored.event, stored: (stored.sequence, stored.recordedAt, stored.hash))
        }
        members.append(JSONMember("events", .array(events)))
        return JSONResponse.raw(JSONWriter.string(.object(members)))
    }

    /// Hazard `id`'s state and every event that names it, if `account` may see it; else 404,
    /// the same for a hazard outside the scope as for one never reported. The JSON route and
    /// the web page (一患一档) both read a hazard through here.
    func visibleHazard(_ id: String, to account: Account, language: Language) async throws -> (HazardRecord, [StoredEvent]) {
        let found: (HazardRecord, [StoredEvent])?
        switch await ledger.hazard(id) {
        case .success(let record): found = record
        case .failure(let error): throw EventRoutes.apiError(error, language: language)
        }
        guard let (hazard, history) = found, ReadScope(account: account, reference: reference).sees(hazard) else {
            throw APIError.notFound
        }
        return (hazard, history)
    }
}
