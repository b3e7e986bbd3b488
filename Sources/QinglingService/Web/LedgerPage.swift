import Foundation
import Hummingbird
import QinglingEvents
import QinglingReports
import QinglingWorkflow

/// `GET /hazards` (隐患台账): the hazards the caller may see, filtered by region, industry,
/// status, overdue, lead department and text, sortable, paged, as `GET /api/v1/hazards` reads
/// the same query string (`HazardLedgerQuery`, `HazardLedger`); and `GET /hazards.csv`, the CSV
/// of exactly the rows shown (`Report.ledger`, as the page's table).
struct LedgerPage {
    let templates: WebTemplates
    let ledger: LiveLedger
    let reference: ReferenceData

    struct Choice {
        var value: String
        var label: String
        var selected: Bool
    }

    struct Header {
        var label: String
        /// The address that sorts by this column (the other way when it is the order now).
        var sortHref: String?
        /// `ascending`/`descending` when the list is in this column's order (`aria-sort`).
        var sorted: String?
    }

    struct Row {
        var href: String
        var hazardId: String
        var cells: [ReportTableView.Cell]
        var overdue: Bool
    }

    struct View {
        var page: PageFrame
        var problems: [String]
        var hasProblems: Bool
        var regions: [Choice]
        var chooseRegion: Bool
        var industries: [Choice]
        var statuses: [Choice]
        var overdue: [Choice]
        var departments: [Choice]
        var text: String
        var asOf: String
        var total: Int
        var headers: [Header]
        var rows: [Row]
        var hasRows: Bool
        var pageNumber: Int
        var pages: Int
        var previousHref: String?
        var nextHref: String?
        var csvHref: String
    }

    /// The columns a list may be sorted by, by the `Report.ledger` column key.
    private static let sortKeys: [String: HazardLedgerQuery.SortKey] = [
        "hazardId": .hazardId, "status": .status, "discoveredOn": .discoveredOn, "deadline": .deadline,
    ]

    func page(_ request: Request, context: ServiceContext) async throws -> Response {
        guard let signedIn = context.identity else { return WebResponse.redirect(to: "/login") }
        let frame = PageFrame(title: "隐患台账", signedIn: signedIn, current: "/hazards")
        let (query, problems) = Self.query(request, reference: reference)
        let page = try await read(query ?? HazardLedgerQuery(), signedIn: signedIn)
        let report = Report.ledger(page)
        let parameters = Self.parameters(request)
        let table = report.tables[0]
        let chosen = query ?? HazardLedgerQuery()
        let headers = table.columns.map { column in
            let key = Self.sortKeys[column.key]
            let current = key == chosen.sort
            let sortHref = key.map { key in
                Self.href("/hazards", parameters, setting: ["sort": (current && !chosen.descending ? "-" : "") + key.rawValue, "page": nil])
            }
            return Header(label: column.zh, sortHref: sortHref, sorted: current ? (chosen.descending ? "descending" : "ascending") : nil)
        }
        let rows = zip(page.rows, ReportTableView(table, title: "", id: "").rows).map { row, shown in
            Row(href: "/hazards/" + row.hazardId.pathSegment, hazardId: row.hazardId, cells: Array(shown.cells.dropFirst()), overdue: row.overdue)
        }
        let pages = max(1, (page.total + page.pageSize - 1) / page.pageSize)
        let view = View(
            page: frame, problems: problems, hasProblems: !problems.isEmpty,
            regions: reference.regions.map { Choice(value: $0.name, label: $0.name, selected: chosen.region == $0.name) },
            chooseRegion: signedIn.account.role != .town,
            industries: reference.industries.map { Choice(value: $0, label: $0, selected: chosen.industry == $0) },
            statuses: HazardStatus.allCases.map { Choice(value: $0.rawValue, label: $0.text(.zh), selected: chosen.statuses.contains($0)) },
            overdue: [Choice(value: "true", label: "已逾期", selected: chosen.overdue == true),
                      Choice(value: "false", label: "未逾期", selected: chosen.overdue == false)],
            departments: reference.departments.map { Choice(value: $0.id, label: $0.name, selected: chosen.department == $0.id) },
            text: chosen.text ?? "", asOf: page.asOf.description, total: page.total, headers: headers, rows: rows, hasRows: !rows.isEmpty,
            pageNumber: page.page, pages: pages,
            previousHref: page.page > 1 ? Self.href("/hazards", parameters, setting: ["page": String(page.page - 1)]) : nil,
            nextHref: page.page < pages ? Self.href("/hazards", parameters, setting: ["page": String(page.page + 1)]) : nil,
            csvHref: Self.href("/hazards.csv", parameters, setting: [:]))
        return WebResponse.page(templates.render(.ledger, view), status: problems.isEmpty ? .ok : .badRequest)
    }

    /// The CSV of the rows `/hazards` shows for the same query string (UTF-8 with BOM, one header
    /// row: `Report.render(.csv, .zh)`).
    func csv(_ request: Request, context: ServiceContext) async throws -> Response {
        guard let signedIn = context.identity else { return WebResponse.redirect(to: "/login") }
        let (query, problems) = Self.query(request, reference: reference)
        guard let query, problems.isEmpty else { throw APIError(.badRequest, "bad-request", problems.joined(separator: "; ")) }
        let page = try await read(query, signedIn: signedIn)
        return WebResponse.download(Report.ledger(page).render(.csv, .zh), contentType: "text/csv; charset=utf-8",
                                    filename: "hazard-ledger-\(page.asOf)-p\(page.page).csv")
    }

    /// The page `query` asks for of the hazards in the account's scope.
    private func read(_ query: HazardLedgerQuery, signedIn: SignedIn) async throws -> HazardLedgerPage {
        guard let scope = ReadScope(account: signedIn.account, reference: reference).ledgerScope else { throw APIError.notFound }
        let result = await ledger.ledgerQuery { state, store, directory in
            HazardLedger(state: state, store: store, directory: directory).page(query, scope: scope)
        }
        guard case .success(let page) = result else {
            throw APIError(.internalServerError, "log", "the log could not be read for the ledger")
        }
        return page
    }

    /// The query the request's parameters ask, or `nil` and what is wrong with them.
    private static func query(_ request: Request, reference: ReferenceData) -> (HazardLedgerQuery?, [String]) {
        let parameters = request.uri.queryParameters
        do throws(HazardLedgerQuery.ParameterErrors) {
            return (try HazardLedgerQuery(parameters: { name in parameters[values: name[...]].map(String.init) }, reference: reference), [])
        } catch {
            return (nil, error.problems.map { "参数 \($0.parameter) 有误：\($0.message)" })
        }
    }

    /// The request's parameters, in order, those with a value.
    private static func parameters(_ request: Request) -> [(String, String)] {
        request.uri.queryParameters.map { (String($0.key), String($0.value)) }.filter { !$0.1.isEmpty }
    }

    /// `path` with `parameters`, those named in `setting` replaced (or removed, for `nil`).
    static func href(_ path: String, _ parameters: [(String, String)], setting: [String: String?]) -> String {
        var kept = parameters.filter { setting[$0.0] == nil }
        for (name, value) in setting.sorted(by: { $0.key < $1.key }) { if let value { kept.append((name, value)) } }
        guard !kept.isEmpty else { return path }
        var components = URLComponents()
        components.queryItems = kept.map { URLQueryItem(name: $0.0, value: $0.1) }
        return path + "?" + (components.percentEncodedQuery ?? "")
    }
}
