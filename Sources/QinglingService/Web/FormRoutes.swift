import Hummingbird
import QinglingWorkflow

/// The forms that record events (`docs/web.md`, "Forms"), under the pages' sign-in and CSRF
/// check: a step on a hazard (`StepPage`), a report (`ReportPage`), a tip-off and a reward
/// (`TipOffPage`), all recorded through `recorder`.
struct FormRoutes {
    let templates: WebTemplates
    let hazards: HazardRoutes
    let ledger: LiveLedger
    let rules: WorkflowRules
    let recorder: FormAppend

    func add(to pages: RouterGroup<ServiceContext>) {
        let steps = StepPage(templates: templates, hazards: hazards, rules: rules, recorder: recorder)
        pages.get("hazards/:id/:step", use: steps.form)
        pages.post("hazards/:id/:step", use: steps.submit)
        let report = ReportPage(templates: templates, reference: rules.reference, ledger: ledger, recorder: recorder)
        pages.get("report", use: report.form)
        pages.post("report", use: report.submit)
        for form in [TipOffForm.receive, .reward] {
            let page = TipOffPage(templates: templates, ledger: ledger, recorder: recorder, form: form)
            pages.get(RouterPath(form.rawValue), use: page.show)
            pages.post(RouterPath(form.rawValue), use: page.submit)
        }
    }
}
