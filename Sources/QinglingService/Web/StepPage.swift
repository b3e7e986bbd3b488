import Hummingbird
import QinglingEvents
import QinglingWorkflow

/// `GET /hazards/{id}/{step}` and `POST` of the same: the form of a step the signed-in account
/// may take on the hazard now (`WorkflowRules.steps(by:on:)`, `StepForm`), and its recording.
/// Another step, or an account that records nothing, is refused (403 page); a hazard outside
/// the scope is the 404 page. A refused post shows the form again with what was typed and the
/// messages, and writes nothing; a recorded one goes back to the hazard's file (303).
struct StepPage {
    let templates: WebTemplates
    let hazards: HazardRoutes
    let rules: WorkflowRules
    let recorder: FormAppend

    func form(_ request: Request, context: ServiceContext) async throws -> Response {
        let (step, stepContext, signedIn) = try await allowed(context)
        return render(step, stepContext, signedIn: signedIn, values: step.defaults(stepContext), errors: [:], messages: [], status: .ok)
    }

    func submit(_ request: Request, context: ServiceContext) async throws -> Response {
        let (step, stepContext, signedIn) = try await allowed(context)
        var request = request
        let form = try await FormBody.read(&request, context: context)
        let fields = step.fields(stepContext)
        var reader = FormReader(form)
        let typed = FormView.typed(form, fields)
        guard let body = step.body(&reader, stepContext) else {
            return render(step, stepContext, signedIn: signedIn, values: typed, errors: reader.errors,
                          messages: reader.message.map { [$0] } ?? [], status: .unprocessableContent)
        }
        let attachments: [Attachment]
        switch recorder.attachments(form) {
        case .success(let stored): attachments = stored
        case .failure(let refusal):
            return render(step, stepContext, signedIn: signedIn, values: typed, errors: [:], messages: [refusal.message], status: .unprocessableContent)
        }
        let violations = try await recorder.append(body.adding(attachments), by: stepContext.actor, context: context)
        guard !violations.isEmpty else { return WebResponse.redirect(to: "/hazards/" + stepContext.hazard.hazardId.pathSegment) }
        let (errors, top) = FormRefusal.place(violations, fieldNames: Set(fields.map(\.name)))
        return render(step, stepContext, signedIn: signedIn, values: typed, errors: errors, messages: top, status: FormRefusal.status(violations))
    }

    /// The step asked for, on a hazard the account sees, if the account may take it now: else
    /// the 404 page (no such step or hazard, or outside the scope) or the 403 page.
    private func allowed(_ context: ServiceContext) async throws -> (StepForm, StepForm.Context, SignedIn) {
        guard let signedIn = context.identity else { throw APIError.unauthorized }
        guard let step = StepForm(rawValue: try context.parameters.require("step")) else { throw APIError.notFound }
        let (record, _, _) = try await hazards.visibleHazard(try context.parameters.require("id"), to: signedIn.account, language: .zh)
        guard let actor = signedIn.account.actor, rules.steps(by: actor, on: record).contains(step.type) else {
            throw APIError(.forbidden, "forbidden", "the account may not record this step on this hazard now")
        }
        var stepContext = StepForm.Context(hazard: record, actor: actor, reference: rules.reference, today: recorder.today)
        if step == .penalty { stepContext.tipOffs = await recorder.ledger.receivedTipOffs() }
        return (step, stepContext, signedIn)
    }

    private func render(_ step: StepForm, _ stepContext: StepForm.Context, signedIn: SignedIn, values: [String: String],
                        errors: [String: String], messages: [String], status: HTTPResponse.Status) -> Response {
        let id = stepContext.hazard.hazardId
        let view = FormView(page: PageFrame(title: "\(step.title) \(id)", signedIn: signedIn), heading: step.title, hazardId: id,
                            action: "/hazards/\(id.pathSegment)/\(step.rawValue)", csrfToken: signedIn.csrfToken, messages: messages,
                            fields: step.fields(stepContext), values: values, errors: errors,
                            acceptsFiles: EventBody.carriesAttachments(step.type))
        return WebResponse.page(templates.render(.form, view), status: status)
    }
}
