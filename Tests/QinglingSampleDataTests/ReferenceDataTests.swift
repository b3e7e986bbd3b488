import Foundation
import QinglingEvents
import Testing

@Suite("Reference data: the built-in Linxiang value and its JSON file")
struct ReferenceDataTests {
    /// `tools/reference/linxiang.json` of this checkout.
    static let shippedFile: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/") + "/tools/reference/linxiang.json"
    }()

    @Test("the shipped tools/reference/linxiang.json is ReferenceData.linxiang")
    func shippedFileMatches() throws {
        let loaded = try ReferenceData.load(jsonFile: Self.shippedFile)
        #expect(loaded == ReferenceData.linxiang)
    }

    @Test("the JSON form reads back to the same value")
    func jsonRoundTrip() throws {
        let text = JSONWriter.string(ReferenceData.linxiang.jsonValue())
        let value = try JSONParser.parse(text)
        #expect(try ReferenceData.parse(value, file: "built-in") == .linxiang)
    }

    @Test("Linxiang: 15 regions, 12 industries each with one lead department, lookups")
    func linxiang() {
        let data = ReferenceData.linxiang
        #expect(data.regions.count == 15)
        #expect(data.industries.count == 12)
        #expect(data.region(named: "江南镇")?.code == "430682105")
        #expect(data.region(named: "临湘高新区")?.code == "LXGXQ")
        #expect(data.region(named: "岳阳楼区") == nil)
        #expect(data.isIndustry("烟花爆竹") && !data.isIndustry("煤矿"))
        #expect(data.department(id: "lx-yjj")?.name == "临湘市应急管理局")
        #expect(data.department(id: data.committee.id) == nil)
        for industry in data.industries { #expect(data.leadDepartment(forIndustry: industry) != nil, "\(industry) has no lead") }
        #expect(data.leadDepartment(forIndustry: "民爆")?.id == "lx-gaj")
        #expect(data.enforcementDepartments.contains { $0.id == "lx-gxj" } == false)
    }

    @Test("problems name the field path and the file")
    func problems() throws {
        var value = ReferenceData.linxiang.jsonValue()
        guard case .object(var members) = value, let index = members.firstIndex(where: { $0.key == "regions" }),
              case .array(var regions) = members[index].value, case .object(var region) = regions[3] else {
            Issue.record("unexpected layout")
            return
        }
        region.removeAll { $0.key == "code" }
        region.append(JSONMember("population", .number("1")))
        regions[3] = .object(region)
        members[index].value = .array(regions)
        members.append(JSONMember("departments2", .null))
        value = .object(members)
        let error = #expect(throws: ReferenceDataError.self) { try ReferenceData.parse(value, file: "county.json") }
        let text = error.map(String.init(describing:)) ?? ""
        #expect(text.contains("county.json: regions[3].code: required"))
        #expect(text.contains("county.json: regions[3].population: unknown field"))
        #expect(text.contains("departments2: unknown field"))
    }

    @Test("duplicate ids and unknown lead industries are refused")
    func consistency() throws {
        var data = ReferenceData.linxiang
        data.departments[1].id = "lx-yjj"
        data.departments[2].industries = ["航空"]
        let error = #expect(throws: ReferenceDataError.self) { try ReferenceData.parse(data.jsonValue(), file: "x.json") }
        let text = error.map(String.init(describing:)) ?? ""
        #expect(text.contains("departments[1].id: \"lx-yjj\" appears twice"))
        #expect(text.contains("departments[2].industries[0]: \"航空\" is not one of the industries"))
    }

    @Test("a missing file and a file that is not JSON are reported with the file name")
    func unreadable() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qingling-not-json-\(UInt32.random(in: 0...UInt32.max)).json").path
        try Data("{\"county\": \"临湘市\",}".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let syntax = #expect(throws: ReferenceDataError.self) { try ReferenceData.load(jsonFile: path) }
        #expect(syntax.map { if case .syntax = $0 { true } else { false } } == true)
        #expect(syntax?.description.contains(path) == true)
        #expect(throws: ReferenceDataError.self) { try ReferenceData.load(jsonFile: "/nonexistent/county.json") }
        do {
            _ = try ReferenceData.load(jsonFile: "/nonexistent/county.json")
        } catch {
            #expect(error.file == "/nonexistent/county.json")
            #expect(error.description.contains("/nonexistent/county.json"))
        }
    }
}
