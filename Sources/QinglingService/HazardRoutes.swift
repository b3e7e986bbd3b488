import Foundation
import Hummingbird
import QinglingEvents
import QinglingLog
import QinglingWorkflow

/// `GET /hazards/{id}` (一患一档): a hazard's state and every event that names it.
struct HazardRoutes {
    let ledger: LiveLedger
    let reference: ReferenceData

    func hazard(_ request: Request, context: ServiceContext) async throws -> Response {
        guard let signedIn = context.identity else { throw APIError.unauthorized }
        let id = try context.parameters.require("id")
        let found: (HazardRecord, [StoredEvent])?
        switch await ledger.hazard(id) {
        case .success(let record): found = record
        case .failure(let error): throw EventRoutes.apiError(error, language: request.language)
        }
        guard let (hazard, history) = found, ReadScope(account: signedIn.account, reference: reference).sees(hazard) else {
            throw APIError.notFound
        }
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
}
