import Foundation
import Hummingbird
import QinglingWorkflow

/// The web interface (`docs/web.md`): server-rendered pages in Chinese over the same
/// sessions, scope and computations as the API. Pages need a session (else `/login`); forms
/// carry the session's CSRF token; failures answer a plain page (`WebErrorPage`).
struct WebRoutes {
    let templates: WebTemplates
    let auth: AuthRoutes
    let hazards: HazardRoutes
    let reminders: ReminderRoutes
    let ledger: LiveLedger
    let figures: FigureRoutes
    /// The API's append path, which the forms record through.
    let events: EventRoutes

    /// The home page (`/` for roles without reminders, and `/find`): what the role may open.
    struct HomeView {
        var page: PageFrame
        var hasDuties: Bool
    }

    func add(to router: Router<ServiceContext>) {
        let web = router.group().add(middleware: WebErrorPage(templates: templates))
        let stylesheet = templates.stylesheet
        web.get("assets/qingling.css") { _, _ in WebResponse.stylesheet(stylesheet) }
        let script = templates.script
        web.get("assets/dashboard.js") { _, _ in WebResponse.script(script) }
        let login = LoginPage(templates: templates, auth: auth)
        web.get("login", use: login.form)
        web.post("login", use: login.submit)
        let pages = web.group().add(middleware: RequirePageSignIn())
        pages.post("logout", use: login.logout)
        pages.get("/", use: home)
        pages.get("find", use: find)
        pages.get("reminders", use: ReminderPage(templates: templates, reminders: reminders).page)
        let rules = WorkflowRules(reference: events.reference)
        pages.get("hazards/:id", use: HazardPage(templates: templates, hazards: hazards, ledger: ledger, rules: rules).page)
        FormRoutes(templates: templates, hazards: hazards, ledger: ledger, rules: rules, recorder: FormAppend(events: events, ledger: ledger)).add(to: pages)
        let ledgerPage = LedgerPage(templates: templates, ledger: ledger, reference: hazards.reference)
        pages.get("hazards", use: ledgerPage.page)
        pages.get("hazards.csv", use: ledgerPage.csv)
        pages.get("dashboard", use: DashboardPage(templates: templates, figures: figures, ledger: ledger).page)
        let analysis = AnalysisPage(templates: templates, figures: figures, reference: figures.reference)
        for figure in Figure.allCases {
            pages.get("analysis/\(figure.rawValue)", use: analysis.page(figure))
            pages.get("analysis/\(figure.rawValue).csv", use: analysis.download(figure, .csv))
            pages.get("analysis/\(figure.rawValue).json", use: analysis.download(figure, .json))
        }
    }

    /// `/`: the reminders for a role that has duties, else the home page.
    func home(_ request: Request, context: ServiceContext) async throws -> Response {
        guard let signedIn = context.identity else { return WebResponse.redirect(to: "/login") }
        if signedIn.account.role.hasDuties { return WebResponse.redirect(to: "/reminders") }
        return homePage(signedIn)
    }

    /// `/find?id=ID`: to hazard ID's file; without an id, the form that asks for it.
    func find(_ request: Request, context: ServiceContext) async throws -> Response {
        guard let signedIn = context.identity else { return WebResponse.redirect(to: "/login") }
        let id = request.uri.queryParameters["id"].map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
        guard id.isEmpty else { return WebResponse.redirect(to: "/hazards/" + id.pathSegment) }
        return homePage(signedIn)
    }

    private func homePage(_ signedIn: SignedIn) -> Response {
        let view = HomeView(page: PageFrame(title: "查阅隐患档案", signedIn: signedIn, current: "/find"), hasDuties: signedIn.account.role.hasDuties)
        return WebResponse.page(templates.render(.home, view))
    }
}
