import Hummingbird
import QinglingAccounts
import QinglingEvents
import QinglingProjections
import QinglingReports
import QinglingWorkflow

/// `GET /trace?hazard=|enterprise=|person=|organization=|reopened=true`: the accountability
/// trace-back as `qingling trace --format json` writes it. Departments, the committee and
/// analysts may trace anything; an enterprise its own hazards and itself; a town its region's
/// hazards; nothing else (404, as for an id no event names).
struct TraceRoutes {
    let ledger: LiveLedger
    let reference: ReferenceData

    /// What is traced.
    private enum Subject: Sendable {
        case hazard(String), enterprise(String), person(String), organization(String), reopened
    }

    func trace(_ request: Request, context: ServiceContext) async throws -> Response {
        guard let account = context.identity?.account else { throw APIError.unauthorized }
        let parameters = request.uri.queryParameters
        var subjects: [Subject] = []
        if let id = parameters["hazard"] { subjects.append(.hazard(String(id))) }
        if let code = parameters["enterprise"] { subjects.append(.enterprise(String(code))) }
        if let id = parameters["person"] { subjects.append(.person(String(id))) }
        if let id = parameters["organization"] { subjects.append(.organization(String(id))) }
        if parameters["reopened"] == "true" { subjects.append(.reopened) }
        guard subjects.count == 1, let subject = subjects.first else {
            throw APIError(.badRequest, "bad-request", "give exactly one of hazard, enterprise, person, organization, reopened=true")
        }
        let (asOf, knownAt) = try FigureRoutes.dates(request)
        // Who may trace what: the narrow accounts only their own hazards.
        let townRegion = account.role == .town ? reference.region(code: account.organization.id)?.name : nil
        switch (account.role, subject) {
        case (.department, _), (.committee, _), (.analyst, _): break
        case (.enterprise, .hazard), (.town, .hazard): break
        case (.enterprise, .enterprise(let code)) where code == account.organization.id: break
        default: throw APIError.notFound
        }
        let role = account.role, creditCode = account.organization.id
        let result = await ledger.query { state, store -> Result<Report?, StoreError> in
            do throws(StoreError) {
                let latest = try QueryDates.latestKnown(store, knownAt: knownAt, latest: state.latestBusinessDate)
                let lookup = TraceLookup(store: store, asOf: asOf ?? QueryDates.defaultDate(store, latest: latest), knownAt: knownAt)
                let facts = Report.traceFacts(asOf: lookup.asOf, knownAt: lookup.knownAt)
                switch subject {
                case .hazard(let id):
                    guard let trace = try lookup.hazard(id) else { return .success(nil) }
                    if role == .enterprise, trace.report?.enterprise?.creditCode != creditCode { return .success(nil) }
                    if role == .town, trace.report?.region != townRegion { return .success(nil) }
                    return .success(Report.trace([trace], penalties: nil, facts: facts + Report.hazardFacts(trace), oneHazard: true,
                                                 links: { _ in true }, findings: { _ in true }))
                case .enterprise(let code):
                    let (traces, penalties) = try lookup.enterprise(code)
                    guard !traces.isEmpty || !penalties.isEmpty else { return .success(nil) }
                    return .success(Report.trace(traces, penalties: penalties, facts: facts + [.init(key: "enterprise", zh: "企业", en: "Enterprise", value: .text(code))],
                                                 oneHazard: false, links: { _ in true }, findings: { _ in true }))
                case .person(let id):
                    let traces = try lookup.party("P:" + id, in: state)
                    guard !traces.isEmpty else { return .success(nil) }
                    return .success(Report.trace(traces, penalties: nil, facts: facts + [.init(key: "person", zh: "人员", en: "Person", value: .text(id))],
                                                 oneHazard: false, links: { $0.person.id == id },
                                                 findings: { $0.responsible.contains { $0.person?.id == id } }))
                case .organization(let id):
                    let traces = try lookup.party("O:" + id, in: state)
                    guard !traces.isEmpty else { return .success(nil) }
                    let names = Set(traces.flatMap(\.links).filter { $0.organization.id == id }.map(\.organization.name))
                    return .success(Report.trace(traces, penalties: nil, facts: facts + [.init(key: "organization", zh: "单位", en: "Organisation", value: .text(id))],
                                                 oneHazard: false, links: { $0.organization.id == id },
                                                 findings: { $0.responsible.contains { $0.organization.map(names.contains) ?? false } }))
                case .reopened:
                    return .success(Report.trace(try lookup.reopened(in: state), penalties: nil, facts: facts, oneHazard: false,
                                                 links: nil, findings: { $0.kind == .reopenedAfterClosure }))
                }
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(.success(let report?)): return JSONResponse.raw(report.render(.json, .en))
        case .success(.success(nil)): throw APIError.notFound
        case .success(.failure), .failure:
            throw APIError(.internalServerError, "log", "the log could not be read for this trace; the administrator's log has the details")
        }
    }
}
