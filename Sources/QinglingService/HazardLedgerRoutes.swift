import Hummingbird
import QinglingEvents
import QinglingReports
import QinglingWorkflow

/// `GET /hazards` (隐患台账): the hazards in the caller's read scope, filtered, sorted and paged
/// as `HazardLedgerQuery` reads the query string, from the live projections and hazard directory
/// (`HazardLedger`).
struct HazardLedgerRoutes {
    let ledger: LiveLedger
    let reference: ReferenceData

    func list(_ request: Request, context: ServiceContext) async throws -> Response {
        guard let account = context.identity?.account else { throw APIError.unauthorized }
        guard let scope = ReadScope(account: account, reference: reference).ledgerScope else { throw APIError.notFound }
        let query: HazardLedgerQuery
        do throws(HazardLedgerQuery.ParameterErrors) {
            let parameters = request.uri.queryParameters
            query = try HazardLedgerQuery(parameters: { name in parameters[values: name[...]].map(String.init) }, reference: reference)
        } catch {
            throw APIError(.badRequest, "bad-request", error.problems.map(\.message).joined(separator: "; "),
                           problems: error.problems.map { APIError.Problem(rule: $0.parameter, message: $0.message) })
        }
        let result = await ledger.ledgerQuery { state, store, directory in
            HazardLedger(state: state, store: store, directory: directory).page(query, scope: scope)
        }
        guard case .success(let page) = result else {
            throw APIError(.internalServerError, "log", "the log could not be read for the ledger; the administrator's log has the details")
        }
        return JSONResponse.raw(JSONWriter.string(Self.json(page)))
    }

    /// `{"asOf", "total", "page", "pageSize", "hazards": [...]}`, every member of every row
    /// present (`null` when it has no value).
    static func json(_ page: HazardLedgerPage) -> JSONValue {
        .object([
            JSONMember("asOf", .string(page.asOf.description)),
            JSONMember("total", .number(String(page.total))),
            JSONMember("page", .number(String(page.page))),
            JSONMember("pageSize", .number(String(page.pageSize))),
            JSONMember("hazards", .array(page.rows.map(json))),
        ])
    }

    private static func json(_ row: HazardLedgerRow) -> JSONValue {
        .object([
            JSONMember("hazardId", .string(row.hazardId)),
            JSONMember("status", .string(row.status.rawValue)),
            JSONMember("region", .string(row.region)),
            JSONMember("industry", .string(row.industry)),
            JSONMember("enterprise", row.enterprise.map { .object([JSONMember("creditCode", .string($0.creditCode)), JSONMember("name", .string($0.name))]) } ?? .null),
            JSONMember("discoveredOn", .string(row.discoveredOn.description)),
            JSONMember("deadline", row.deadline.map { .string($0.description) } ?? .null),
            JSONMember("leadDepartment", row.leadDepartment.map { .object([JSONMember("id", .string($0.id)), JSONMember("name", .string($0.name))]) } ?? .null),
            JSONMember("overdue", .bool(row.overdue)),
            JSONMember("daysOverdue", .number(String(row.daysOverdue))),
        ])
    }
}
