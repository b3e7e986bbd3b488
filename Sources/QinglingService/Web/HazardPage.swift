import Hummingbird
import QinglingEvents
import QinglingProjections
import QinglingReports
import QinglingWorkflow

/// `GET /hazards/{id}` (一患一档): the hazard's file, from what `GET /api/v1/hazards/{id}`
/// reads (`HazardRoutes.visibleHazard`: the state the rules keep, every event naming it, the
/// caller's scope) and the trace report of `qingling trace --hazard` (`Report.trace`: the
/// chain of every step with who and when, the findings). Outside the scope, or unknown: 404.
struct HazardPage {
    let templates: WebTemplates
    let hazards: HazardRoutes
    let ledger: LiveLedger
    let rules: WorkflowRules

    struct Fact {
        var label: String
        var value: String
    }

    struct View {
        var page: PageFrame
        var hazardId: String
        var status: String
        var description: String
        var facts: [Fact]
        var responsible: [Fact]
        var hasResponsible: Bool
        var tables: [ReportTableView]
        /// The steps the caller may take now (`WorkflowRules.steps(by:on:)`), as links to their forms.
        var steps: [StepLink]
        var hasSteps: Bool
        /// The steps that carry evidence files, in log order, with their files.
        var evidence: [EvidenceStep]
        var hasEvidence: Bool
    }

    /// A step's evidence: its type and date, and its files.
    struct EvidenceStep {
        var label: String
        var date: String
        var files: [EvidenceFile]
    }

    /// One file: shown as a thumbnail when an image, else as a link (`GET /api/v1/attachments/{sha256}`).
    struct EvidenceFile {
        var href: String
        var caption: String
        var hasCaption: Bool
        var isImage: Bool
        var size: String
    }

    struct StepLink {
        var href: String
        var label: String
    }

    func page(_ request: Request, context: ServiceContext) async throws -> Response {
        guard let signedIn = context.identity else { return WebResponse.redirect(to: "/login") }
        let id = try context.parameters.require("id")
        let (record, history, _) = try await hazards.visibleHazard(id, to: signedIn.account, language: .zh)
        guard case .success(let asOf) = await ledger.query({ state, store in QueryDates.defaultDate(store, latest: state.latestBusinessDate) }) else {
            throw APIError(.internalServerError, "log", "the log could not be read")
        }
        let trace = HazardTrace(hazardId: id, events: history, asOf: asOf)
        let chain = Report.trace([trace], penalties: nil, facts: Report.traceFacts(asOf: asOf, knownAt: nil) + Report.hazardFacts(trace),
                                 oneHazard: true, links: { _ in true }, findings: { _ in true })
        let actions = Report.trace([trace], penalties: nil, facts: [], oneHazard: true,
                                   links: { $0.type == .escalationIssued || $0.type == .penaltyImposed }, findings: { _ in false })
        var tables: [ReportTableView] = []
        if let links = chain.tables.first(where: { $0.key == "links" }) { tables.append(ReportTableView(links, title: "办理全过程", id: "timeline")) }
        if let taken = actions.tables.first(where: { $0.key == "links" }) { tables.append(ReportTableView(taken, title: "督办问责与执法处罚", id: "actions")) }
        if let findings = chain.tables.first(where: { $0.key == "findings" }) { tables.append(ReportTableView(findings, title: "问责发现", id: "findings")) }
        let responsible = Self.responsible(record.supervision?.responsible)
        let steps = signedIn.account.actor.map { rules.steps(by: $0, on: record) }?.compactMap(StepForm.init(type:)).map { step in
            StepLink(href: "/hazards/\(id.pathSegment)/\(step.rawValue)", label: step.title)
        } ?? []
        let view = View(page: PageFrame(title: "一患一档 \(id)", signedIn: signedIn), hazardId: id, status: record.status.text(.zh),
                        description: record.report.description, facts: Self.facts(record, report: chain),
                        responsible: responsible, hasResponsible: !responsible.isEmpty, tables: tables,
                        steps: steps, hasSteps: !steps.isEmpty, evidence: Self.evidence(history), hasEvidence: history.contains { !$0.event.body.attachments.isEmpty })
        return WebResponse.page(templates.render(.hazard, view))
    }

    /// The evidence of every step of `history` that carries files, in log order.
    static func evidence(_ history: [StoredEvent]) -> [EvidenceStep] {
        history.filter { !$0.event.body.attachments.isEmpty }.map { stored in
            EvidenceStep(label: stored.event.type.label, date: stored.event.occurredAt.date.description,
                         files: stored.event.body.attachments.map { file in
                             EvidenceFile(href: "/api/v1/attachments/\(file.sha256)", caption: file.caption, hasCaption: !file.caption.isEmpty,
                                          isImage: file.mediaType.isImage, size: Self.size(file.size))
                         })
        }
    }

    /// `812 KB`, `3.4 MB`: a file's size as people read it.
    static func size(_ bytes: Int64) -> String {
        bytes < 1 << 20 ? "\(max(1, (bytes + 1023) / 1024)) KB" : "\(bytes / (1 << 20)).\((bytes % (1 << 20)) * 10 / (1 << 20)) MB"
    }

    /// The file's facts: the trace report's (as of, region, industry, enterprise, discovery)
    /// and the state's (the deadline in force, the lead department, the supervision).
    static func facts(_ record: HazardRecord, report: Report) -> [Fact] {
        let shown = ["asOf", "region", "industry", "enterprise", "discoveredOn"]
        var facts = report.facts.filter { shown.contains($0.key) }.map { Fact(label: $0.zh, value: $0.value.text(.zh)) }
        facts.append(Fact(label: "判定标准条款", value: record.report.criterionClause))
        facts.append(Fact(label: "来源", value: record.report.source.text(.zh)))
        facts.append(Fact(label: "整改期限（现行）", value: record.deadline?.description ?? "—"))
        facts.append(Fact(label: "牵头部门", value: record.supervision?.leadDepartment.name ?? "—"))
        facts.append(Fact(label: "督办级别", value: record.supervision?.supervisionLevel.text(.zh) ?? "—"))
        return facts
    }

    /// The responsible persons named at supervision.
    static func responsible(_ persons: ResponsiblePersons?) -> [Fact] {
        guard let persons else { return [] }
        let named: [(String, PersonRef?)] = [("主要负责人", persons.enterprisePrincipal), ("实际控制人", persons.actualController),
                                             ("部门责任人", persons.departmentOfficer), ("属地责任人", persons.townOfficer)]
        return named.compactMap { label, person in person.map { Fact(label: label, value: "\($0.name)（\($0.id)）") } }
    }
}

/// A table of a report as a page shows it: its columns' Chinese names and its cells' text.
struct ReportTableView {
    struct Cell {
        var text: String
        /// A short value (a type, a role, a name) kept on one line, so that a narrow page (a
        /// phone, A4) wraps the long ones (times, details) instead.
        var nowrap: Bool
    }

    struct Row {
        var cells: [Cell]
    }

    /// The longest value kept on one line.
    static let shortValue = 16

    var title: String
    var id: String
    var columns: [String]
    var rows: [Row]
    var empty: Bool

    init(_ table: Report.Table, title: String, id: String) {
        self.title = title
        self.id = id
        columns = table.columns.map(\.zh)
        rows = table.printedRows.map { row in
            Row(cells: row.map { cell in
                let text = cell.text(.zh)
                return Cell(text: text, nowrap: text.count <= Self.shortValue)
            })
        }
        empty = rows.isEmpty
    }
}
