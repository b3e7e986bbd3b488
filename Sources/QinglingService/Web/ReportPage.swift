import Hummingbird
import QinglingEvents
import QinglingProjections
import QinglingWorkflow

/// `GET /report` and `POST /report` (排查上报): the form that reports a hazard (`ReportForm`),
/// for the roles that record events; the hazard is numbered by the service (the county's
/// prefix, the year of discovery, the next free number). Recorded: to the new hazard's file.
struct ReportPage {
    let templates: WebTemplates
    let reference: ReferenceData
    let ledger: LiveLedger
    let recorder: FormAppend

    func form(_ request: Request, context: ServiceContext) async throws -> Response {
        let (form, signedIn) = try await reportForm(context)
        return render(form, signedIn: signedIn, values: form.defaults, errors: [:], messages: [], status: .ok)
    }

    func submit(_ request: Request, context: ServiceContext) async throws -> Response {
        let (report, signedIn) = try await reportForm(context)
        var request = request
        let form = try await FormBody.read(&request, context: context)
        var reader = FormReader(form)
        let typed = FormView.typed(form, report.fields)
        let taken = try await hazardIds()
        guard let body = report.body(&reader, hazardId: { Self.nextId(prefix: reference.hazardIdPrefix, year: $0, taken: taken) }),
              let hazardId = body.hazardId else {
            return render(report, signedIn: signedIn, values: typed, errors: reader.errors, messages: reader.message.map { [$0] } ?? [],
                          status: .unprocessableContent)
        }
        let attachments: [Attachment]
        switch recorder.attachments(form) {
        case .success(let stored): attachments = stored
        case .failure(let refusal):
            return render(report, signedIn: signedIn, values: typed, errors: [:], messages: [refusal.message], status: .unprocessableContent)
        }
        let violations = try await recorder.append(body.adding(attachments), by: report.actor, context: context)
        guard !violations.isEmpty else { return WebResponse.redirect(to: "/hazards/" + hazardId.pathSegment) }
        let (errors, top) = FormRefusal.place(violations, fieldNames: Set(report.fields.map(\.name)))
        return render(report, signedIn: signedIn, values: typed, errors: errors, messages: top, status: FormRefusal.status(violations))
    }

    /// The form for the signed-in account; an account that records nothing is refused (403).
    /// Departments and the committee may name a tip-off received.
    private func reportForm(_ context: ServiceContext) async throws -> (ReportForm, SignedIn) {
        guard let signedIn = context.identity else { throw APIError.unauthorized }
        guard let actor = signedIn.account.actor else { throw APIError(.forbidden, "read-only", "the account records no events") }
        var form = ReportForm(actor: actor, reference: reference, today: recorder.today)
        if actor.organization.kind == .department || actor.organization.kind == .committee {
            form.tipOffs = await ledger.receivedTipOffs()
        }
        return (form, signedIn)
    }

    /// The ids of every hazard in the log.
    private func hazardIds() async throws -> Set<String> {
        guard case .success(let ids) = await ledger.query({ state, _ in Set(state.hazardIds) }) else {
            throw APIError(.internalServerError, "log", "the log could not be read")
        }
        return ids
    }

    /// `LX-2026-0061`: the county's prefix, the year, the first number above every one `taken` of that year.
    static func nextId(prefix: String, year: Int, taken: Set<String>) -> String {
        let stem = "\(prefix)-\(year)-"
        let highest = taken.filter { $0.hasPrefix(stem) }.compactMap { Int($0.dropFirst(stem.count)) }.max() ?? 0
        let number = String(highest + 1)
        return stem + String(repeating: "0", count: max(0, 4 - number.count)) + number
    }

    private func render(_ form: ReportForm, signedIn: SignedIn, values: [String: String], errors: [String: String],
                        messages: [String], status: HTTPResponse.Status) -> Response {
        let view = FormView(page: PageFrame(title: "排查上报", signedIn: signedIn, current: "/report"), heading: "排查上报、登记建档",
                            hazardId: nil, action: "/report", csrfToken: signedIn.csrfToken, messages: messages, fixed: form.fixed,
                            fields: form.fields, values: values, errors: errors, acceptsFiles: true)
        return WebResponse.page(templates.render(.form, view), status: status)
    }
}
