/// Reads and checks the JSON document of `ReferenceData`, collecting every problem with its
/// field path (see `ReferenceData.parse(_:file:)`).
struct ReferenceDataReader {
    let problems: Problems

    func read(_ value: JSONValue) -> ReferenceData? {
        guard var root = ObjectReader(value, path: "", problems: problems) else { return nil }
        defer { root.finish() }
        let county = root.string("county", maxLength: FieldLength.organizationName)
        let division = root.string("divisionCode", maxLength: 6)
        if let division, !Syntax.isDigits(division.utf8, count: 6...6) {
            problems.add("divisionCode", .notAn(.divisionCode, found: division))
        }
        let prefix = root.string("hazardIdPrefix", maxLength: 8)
        if let prefix, !Syntax.isHazardId(prefix + "-2024-0001") {
            problems.add("hazardIdPrefix", .notAn(.hazardIdPrefix, found: prefix))
        }
        let regions = list("regions", in: &root, region)
        let industries = list("industries", in: &root) { value, path in text(value, path: path, maxLength: FieldLength.industry) }
        let departments = list("departments", in: &root, department)
        let committee = root.value("committee").flatMap { department($0, path: "committee") }
        unique(regions?.map(\.name), "regions", "name")
        unique(regions?.map(\.code), "regions", "code")
        unique(industries, "industries", nil)
        unique((departments ?? []).map(\.id) + (committee.map { [$0.id] } ?? []), "departments", "id")
        if let industries, let departments { checkLeads(departments, committee, industries) }
        guard let county, let division, let prefix, let regions, let industries, let departments, let committee else { return nil }
        return ReferenceData(county: county, divisionCode: division, hazardIdPrefix: prefix, regions: regions,
                             industries: industries, departments: departments, committee: committee)
    }

    /// A non-empty array, each element read by `element` with its path `key[i]`.
    private func list<T>(_ key: String, in reader: inout ObjectReader, _ element: (JSONValue, String) -> T?) -> [T]? {
        guard let value = reader.value(key) else { return nil }
        guard case .array(let elements) = value, !elements.isEmpty else {
            problems.add(key, .expected(.nonEmptyArray, found: value == .array([]) ? .emptyArray : .kind(value.kind)))
            return nil
        }
        let items = elements.enumerated().compactMap { element($1, "\(key)[\($0)]") }
        return items.count == elements.count ? items : nil
    }

    private func text(_ value: JSONValue, path: String, maxLength: Int) -> String? {
        guard case .string(let text) = value, (1...maxLength).contains(text.unicodeScalars.count),
              text.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else {
            problems.add(path, .expected(.nonBlankString(maxLength: maxLength), found: .value(JSONWriter.string(value))))
            return nil
        }
        return problems.addControlCharacter(in: text, at: path) ? nil : text
    }

    private func region(_ value: JSONValue, path: String) -> Region? {
        guard var reader = ObjectReader(value, path: path, problems: problems) else { return nil }
        defer { reader.finish() }
        let name = reader.string("name", maxLength: FieldLength.region)
        if let name, name.unicodeScalars.count < 2 { problems.add(path + ".name", .length(2...FieldLength.region, found: name.unicodeScalars.count)) }
        let code = reader.string("code", maxLength: FieldLength.identifier)
        let authority = reader.string("authority", maxLength: FieldLength.organizationName)
        let abbreviation = reader.string("abbreviation", maxLength: 16)
        guard let name, let code, let authority, let abbreviation else { return nil }
        return Region(name: name, code: code, authority: authority, abbreviation: abbreviation)
    }

    private func department(_ value: JSONValue, path: String) -> Department? {
        guard var reader = ObjectReader(value, path: path, problems: problems) else { return nil }
        defer { reader.finish() }
        let id = reader.string("id", maxLength: FieldLength.identifier)
        let name = reader.string("name", maxLength: FieldLength.organizationName)
        let abbreviation = reader.string("abbreviation", maxLength: 16)
        var duty: Bool?
        if let value = reader.value("hasEnforcementDuty") {
            if case .bool(let flag) = value { duty = flag } else {
                problems.add(path + ".hasEnforcementDuty", .expected(.boolean, found: .kind(value.kind)))
            }
        }
        var industries: [String]?
        if let value = reader.value("industries") {
            if case .array(let elements) = value {
                let items = elements.enumerated().compactMap { text($1, path: "\(path).industries[\($0)]", maxLength: FieldLength.industry) }
                industries = items.count == elements.count ? items : nil
            } else {
                problems.add(path + ".industries", .expected(.array, found: .kind(value.kind)))
            }
        }
        guard let id, let name, let abbreviation, let duty, let industries else { return nil }
        return Department(id: id, name: name, abbreviation: abbreviation, hasEnforcementDuty: duty, industries: industries)
    }

    private func unique(_ values: [String]?, _ key: String, _ field: String?) {
        var seen = Set<String>()
        for (index, value) in (values ?? []).enumerated() where !seen.insert(value).inserted {
            problems.add("\(key)[\(index)]" + (field.map { "." + $0 } ?? ""), .duplicate(value))
        }
    }

    /// Lead industries exist, each is led by one department at most, the committee leads none.
    private func checkLeads(_ departments: [Department], _ committee: Department?, _ industries: [String]) {
        var leads: [String: String] = [:]
        for (index, department) in departments.enumerated() {
            for (position, industry) in department.industries.enumerated() {
                let path = "departments[\(index)].industries[\(position)]"
                if !industries.contains(industry) { problems.add(path, .notAnIndustry(industry)) }
                if let other = leads[industry] {
                    problems.add(path, .industryAlreadyLed(industry, by: other))
                } else {
                    leads[industry] = department.id
                }
            }
        }
        if let committee, !committee.industries.isEmpty {
            problems.add("committee.industries", .committeeLeadsIndustries)
        }
    }
}
