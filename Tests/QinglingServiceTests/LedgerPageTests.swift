import Foundation
import HummingbirdTesting
import Testing

/// The hazard ids a page links to, in order.
private func linkedHazards(_ html: String) -> [String] {
    html.matches(of: /href="\/hazards\/(LX-[0-9]{4}-[0-9]+)"/).map { String($0.output.1) }
}

/// The first column of a CSV's rows after its header (the ledger's hazard ids); lines end in
/// CRLF, one `Character` in Swift.
private func csvHazards(_ csv: String) -> [String] {
    csv.split(whereSeparator: \.isNewline).dropFirst().map { String($0.prefix { $0 != "," }) }
}

/// The web ledger (隐患台账, `/hazards`) lists what `GET /api/v1/hazards` lists for the same
/// query string, page by page, and its CSV is the rows shown.
@Suite struct LedgerPageTests {
    @Test func everyRolePagingThroughTheLedgerSeesExactlyItsScope() async throws {
        try await LedgerCounty().run { client, tokens in
            for (login, _) in LedgerCounty.logins {
                let token = tokens[login]
                let listed = try LedgerCounty.object(try await client.get("/api/v1/hazards?pageSize=500", token))
                let expected = (listed["hazards"] as? [[String: Any]] ?? []).compactMap { $0["hazardId"] as? String }
                var seen: [String] = []
                for page in 1...(expected.count + 1) {
                    let response = try await client.get("/hazards?pageSize=1&page=\(page)", token)
                    #expect(response.status == .ok, "\(login) page \(page)")
                    let html = String(buffer: response.body)
                    seen += linkedHazards(html)
                    if page <= expected.count { #expect(html.contains("（第 \(page) / \(expected.count) 页）"), "\(login) page \(page)") }
                }
                #expect(seen == expected, "\(login)")
            }
            // An enterprise: its own two; a town: its region's three.
            let own = linkedHazards(String(buffer: try await client.get("/hazards", tokens["ent.one"]).body))
            #expect(own == ["LX-2024-0001", "LX-2024-0003"])
            let town = linkedHazards(String(buffer: try await client.get("/hazards", tokens["town.taolin"]).body))
            #expect(town == ["LX-2024-0001", "LX-2024-0003", "LX-2024-0004"])
        }
    }

    @Test func filtersSortAndTheCSVAreWhatIsShown() async throws {
        try await LedgerCounty().run { client, tokens in
            let analyst = tokens["analyst"]
            let region = "region=%E5%BF%A0%E9%98%B2%E9%95%87"  // 忠防镇
            #expect(linkedHazards(String(buffer: try await client.get("/hazards?\(region)", analyst).body)) == ["LX-2024-0002", "LX-2024-0005"])
            let descending = linkedHazards(String(buffer: try await client.get("/hazards?sort=-hazardId", analyst).body))
            #expect(descending == ["LX-2024-0005", "LX-2024-0004", "LX-2024-0003", "LX-2024-0002", "LX-2024-0001"])
            // The page's sort link on 隐患编号 turns the order round.
            let page = String(buffer: try await client.get("/hazards?sort=hazardId", analyst).body)
            #expect(page.contains(#"aria-sort="ascending"><a href="/hazards?sort=-hazardId">隐患编号</a>"#))

            let query = "\(region)&sort=-hazardId"
            let shown = linkedHazards(String(buffer: try await client.get("/hazards?\(query)", analyst).body))
            let download = try await client.get("/hazards.csv?\(query)", analyst)
            #expect(download.status == .ok)
            #expect(download.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment;") == true)
            let csv = String(buffer: download.body)
            #expect(csv.hasPrefix("\u{FEFF}隐患编号,状态,地区,行业,生产经营单位,统一社会信用代码,发现日期,整改期限,牵头部门,逾期,逾期天数"))
            #expect(csvHazards(csv) == shown && shown == ["LX-2024-0005", "LX-2024-0002"])
            // An enterprise's CSV holds its own hazards only, whatever it asks.
            #expect(csvHazards(String(buffer: try await client.get("/hazards.csv?pageSize=500", tokens["ent.two"]).body))
                    == ["LX-2024-0002", "LX-2024-0004", "LX-2024-0005"])
        }
    }

    @Test func aBadParameterIsShownOnThePageAndRefusedForTheCSV() async throws {
        try await LedgerCounty().run { client, tokens in
            let page = try await client.get("/hazards?status=nope&pageSize=0", tokens["analyst"])
            #expect(page.status == .badRequest)
            let html = String(buffer: page.body)
            #expect(html.contains("参数 status 有误") && html.contains("参数 pageSize 有误"))
            #expect(try await client.get("/hazards.csv?status=nope", tokens["analyst"]).status == .badRequest)
        }
    }
}
