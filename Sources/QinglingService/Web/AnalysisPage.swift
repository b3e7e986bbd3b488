import Foundation
import Hummingbird
import QinglingAccounts
import QinglingEvents
import QinglingReports

/// `/analysis/{figure}` (统计分析): a form with the command line's options for one of the
/// analysts' figures, the report's tables, and `/analysis/{figure}.csv` and `.json`, whose bytes
/// are what `qingling {figure} --format csv` (`json`) prints for the same options: the report
/// is `FigureRoutes.report` (the JSON routes' computation, scope included), rendered by
/// `Report.render` as the command line renders it. A figure outside the caller's scope: 404.
struct AnalysisPage {
    let templates: WebTemplates
    let figures: FigureRoutes
    let reference: ReferenceData

    struct Choice {
        var value: String
        var label: String
        var selected: Bool
    }

    /// One option of the form; its name is the query parameter's (the API's).
    struct Field {
        var name: String
        var label: String
        var value: String
        var inputType: String
        var placeholder: String
        var required: Bool
        var choices: [Choice]
        var isSelect: Bool
        var isCheckbox: Bool
        var isText: Bool
        var checked: Bool

        init(name: String, label: String, value: String, inputType: String = "text", placeholder: String = "", required: Bool = false,
             choices: [Choice] = [], isCheckbox: Bool = false) {
            (self.name, self.label, self.value, self.inputType, self.placeholder, self.required) = (name, label, value, inputType, placeholder, required)
            (self.choices, self.isCheckbox) = (choices, isCheckbox)
            isSelect = !choices.isEmpty
            isText = choices.isEmpty && !isCheckbox
            checked = value == "true"
        }
    }

    struct View {
        var page: PageFrame
        var heading: String
        var command: String
        var tabs: [PageFrame.Link]
        var action: String
        var fields: [Field]
        var message: String?
        var hasReport: Bool
        var facts: [HazardPage.Fact]
        var tables: [ReportTableView]
        var csvHref: String
        var jsonHref: String
    }

    /// The page's title and its command's name.
    static func heading(_ figure: Figure) -> String {
        switch figure {
        case .stats: "清零统计"
        case .overdue: "逾期预警"
        case .targets: "三年行动目标"
        case .ranking: "季度排名"
        case .penalties: "执法处罚"
        case .rewards: "举报奖励"
        }
    }

    func page(_ figure: Figure) -> @Sendable (Request, ServiceContext) async throws -> Response {
        { [self] request, context in
            guard let signedIn = context.identity else { return WebResponse.redirect(to: "/login") }
            _ = try figures.scope(of: figure, for: signedIn.account)
            let options = Self.options(request)
            var view = View(page: PageFrame(title: Self.heading(figure), signedIn: signedIn, current: "/analysis"), heading: Self.heading(figure),
                            command: figure.rawValue, tabs: tabs(figure, signedIn.account), action: "/analysis/" + figure.rawValue,
                            fields: fields(figure, options), message: nil, hasReport: false, facts: [], tables: [],
                            csvHref: Self.href(figure, "csv", options), jsonHref: Self.href(figure, "json", options))
            guard Self.ready(figure, options) else { return WebResponse.page(templates.render(.analysis, view)) }
            do {
                let report = try await figures.report(figure, options, in: context, route: "GET " + request.uri.path).report
                view.hasReport = true
                view.facts = report.facts.map { HazardPage.Fact(label: $0.zh, value: $0.value.text(.zh)) }
                view.tables = report.tables.enumerated().map { index, table in ReportTableView(table, title: table.zh, id: "r\(index)") }
                return WebResponse.page(templates.render(.analysis, view))
            } catch let error as FigureOptionError {
                view.message = error.zh
                return WebResponse.page(templates.render(.analysis, view), status: .badRequest)
            }
        }
    }

    /// `/analysis/{figure}.csv` or `.json`: the command line's bytes for the same options.
    func download(_ figure: Figure, _ format: OutputFormat) -> @Sendable (Request, ServiceContext) async throws -> Response {
        { [self] request, context in
            guard context.identity != nil else { return WebResponse.redirect(to: "/login") }
            do {
                let report = try await figures.report(figure, Self.options(request), in: context, route: "GET " + request.uri.path).report
                return format == .csv
                    ? WebResponse.download(report.render(.csv, .zh), contentType: "text/csv; charset=utf-8", filename: figure.rawValue + ".csv")
                    : WebResponse.download(report.render(.json, .en), contentType: "application/json", filename: figure.rawValue + ".json")
            } catch is FigureOptionError {
                throw APIError(.badRequest, "bad-request", "bad options")
            }
        }
    }

    /// The options given, without the empty fields a form sends.
    static func options(_ request: Request) -> [String: String] {
        FigureRoutes.options(request).filter { !$0.value.trimmingCharacters(in: .whitespaces).isEmpty }
            .mapValues { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Whether the options the figure requires are there (else the form alone is shown).
    static func ready(_ figure: Figure, _ options: [String: String]) -> Bool {
        switch figure {
        case .stats: options["period"] != nil
        case .ranking: options["quarter"] != nil
        default: true
        }
    }

    /// The download's address: the same options, in a stable order.
    static func href(_ figure: Figure, _ format: String, _ options: [String: String]) -> String {
        let query = options.sorted { $0.key < $1.key }.map { $0.key.pathSegment + "=" + $0.value.pathSegment }.joined(separator: "&")
        return "/analysis/\(figure.rawValue).\(format)" + (query.isEmpty ? "" : "?" + query)
    }

    /// The figures the account may see, as links.
    func tabs(_ shown: Figure, _ account: Account) -> [PageFrame.Link] {
        Figure.allCases.filter { (try? figures.scope(of: $0, for: account)) != nil }
            .map { PageFrame.Link(href: "/analysis/" + $0.rawValue, label: Self.heading($0), current: $0 == shown) }
    }

    /// The form of `figure`, filled with `options`.
    func fields(_ figure: Figure, _ options: [String: String]) -> [Field] {
        func choices(_ pairs: [(String, String)], _ name: String) -> [Choice] {
            pairs.map { Choice(value: $0.0, label: $0.1, selected: options[name] == $0.0) }
        }
        let asOf = Field(name: "asOf", label: "业务截止日（默认最新）", value: options["asOf"] ?? "", inputType: "date")
        let knownAt = Field(name: "knownAt", label: "记录截止（日期或时间，可空）", value: options["knownAt"] ?? "", placeholder: "如 2025-01-05")
        switch figure {
        case .stats:
            return [Field(name: "period", label: "统计期", value: options["period"] ?? "", placeholder: "2024、2024Q3、2024-07 或 2024-03-01..2024-06-30", required: true),
                    Field(name: "by", label: "分组", value: options["by"] ?? "region",
                          choices: choices([("region", "按地区"), ("industry", "按行业"), ("both", "按地区和行业"), ("total", "仅合计")], "by")),
                    asOf, knownAt]
        case .overdue:
            return [asOf, knownAt,
                    Field(name: "only", label: "清单", value: options["only"] ?? "",
                          choices: choices([("", "全部"), ("overdue", "逾期"), ("unsupervised", "超期未交办"),
                                            ("awaiting-verification", "待验收超期"), ("due-soon", "即将到期")], "only"))]
        case .targets:
            return [asOf, knownAt]
        case .ranking:
            return [Field(name: "quarter", label: "季度", value: options["quarter"] ?? "", placeholder: "如 2025Q2", required: true), knownAt]
        case .penalties:
            return [Field(name: "from", label: "起始季度", value: options["from"] ?? "", placeholder: "如 2025Q1"),
                    Field(name: "to", label: "截止季度", value: options["to"] ?? "", placeholder: "如 2025Q4"),
                    Field(name: "department", label: "部门", value: options["department"] ?? "",
                          choices: choices([("", "全部")] + reference.departments.map { ($0.id, $0.name) }, "department")),
                    knownAt]
        case .rewards:
            return [Field(name: "paidOnly", label: "仅已发放奖励", value: options["paidOnly"] ?? "", isCheckbox: true), knownAt]
        }
    }
}
