import Hummingbird
import QinglingEvents
import QinglingProjections

/// `GET`/`POST /tip-off` (举报受理) and `/reward` (举报奖励): the tip-off forms (`TipOffForm`),
/// for departments and the committee only (others: the 403 page). They name no hazard, so a
/// recorded one comes back to its form with what was recorded said at the top.
struct TipOffPage {
    let templates: WebTemplates
    let ledger: LiveLedger
    let recorder: FormAppend
    let form: TipOffForm

    func show(_ request: Request, context: ServiceContext) async throws -> Response {
        let signedIn = try allowed(context)
        let tipOffs = try await self.tipOffs()
        let recorded = request.uri.queryParameters["recorded"].map(String.init).flatMap { id in tipOffs[id].map { _ in id } }
        let message = recorded.map { form == .receive ? "已受理举报 \($0)。" : "已记录举报 \($0) 的奖励。" }
        return render(signedIn, confirmed: TipOffForm.confirmed(tipOffs), values: [:], errors: [:], messages: message.map { [$0] } ?? [], status: .ok)
    }

    func submit(_ request: Request, context: ServiceContext) async throws -> Response {
        let signedIn = try allowed(context)
        guard let actor = signedIn.account.actor else { throw APIError(.forbidden, "read-only", "the account records no events") }
        var request = request
        let posted = try await FormBody.read(&request, context: context)
        let tipOffs = try await self.tipOffs()
        let confirmed = TipOffForm.confirmed(tipOffs)
        let fields = form.fields(confirmed: confirmed)
        var reader = FormReader(posted)
        // The identity typed is never sent back, not even to the one who typed it.
        let typed = FormView.typed(posted, fields).filter { name, _ in !TipOffForm.reporterFields.contains { $0.field == name } }
        let year = recorder.today.components.year
        let reporter = form.reporter(&reader)
        guard let body = form.body(&reader, confirmed: confirmed, tipOffId: { TipOffForm.nextId(year: year, taken: tipOffs.keys) }),
              let id = body.tipOffId, let reporter else {
            return render(signedIn, confirmed: confirmed, values: typed, errors: reader.errors, messages: [], status: .unprocessableContent)
        }
        let violations = try await recorder.append(body, by: actor, reporter: reporter, context: context)
        guard !violations.isEmpty else { return WebResponse.redirect(to: "/\(form.rawValue)?recorded=\(id.pathSegment)") }
        let (errors, top) = FormRefusal.place(violations, fieldNames: Set(fields.map(\.name)))
        return render(signedIn, confirmed: confirmed, values: typed, errors: errors, messages: top, status: FormRefusal.status(violations))
    }

    /// Departments and the committee only.
    private func allowed(_ context: ServiceContext) throws -> SignedIn {
        guard let signedIn = context.identity else { throw APIError.unauthorized }
        guard let kind = signedIn.account.actor?.organization.kind, kind == .department || kind == .committee else {
            throw APIError(.forbidden, "forbidden", "only departments and the committee record tip-offs and rewards")
        }
        return signedIn
    }

    /// Every tip-off the log knows, by id.
    private func tipOffs() async throws -> [String: TipOffSummary] {
        guard case .success(let tipOffs) = await ledger.query({ state, _ in state.tipOffs }) else {
            throw APIError(.internalServerError, "log", "the log could not be read")
        }
        return tipOffs
    }

    private func render(_ signedIn: SignedIn, confirmed: [String], values: [String: String], errors: [String: String],
                        messages: [String], status: HTTPResponse.Status) -> Response {
        let view = FormView(page: PageFrame(title: form.title, signedIn: signedIn, current: "/" + form.rawValue), heading: form.title,
                            hazardId: nil, action: "/" + form.rawValue, csrfToken: signedIn.csrfToken, messages: messages,
                            fields: form.fields(confirmed: confirmed), values: values, errors: errors)
        return WebResponse.page(templates.render(.form, view), status: status)
    }
}
