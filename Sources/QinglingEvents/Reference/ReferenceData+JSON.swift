import QinglingLog

extension ReferenceData {
    /// The largest reference-data file read, in bytes.
    static let maxFileBytes: Int64 = 4 << 20

    /// Reads reference data from a JSON file (layout as in `tools/reference/linxiang.json`),
    /// strictly: required fields, types, no unknown fields, unique names, codes and ids, lead
    /// industries among the industries, each industry led by at most one department.
    public static func load(jsonFile path: String) throws(ReferenceDataError) -> ReferenceData {
        let bytes: [UInt8]
        do {
            let file = try PosixFileSystem().openForReading(path)
            defer { file.close() }
            let size = try file.size()
            guard size <= maxFileBytes else {
                throw ReferenceDataError.unreadable(file: path, reason: "it has \(size) bytes; reference data is at most \(maxFileBytes)")
            }
            bytes = try file.read(at: 0, count: Int(size))
        } catch let error as ReferenceDataError {
            throw error
        } catch {
            throw ReferenceDataError.unreadable(file: path, reason: "\(error)")
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw ReferenceDataError.syntax(file: path, error)
        }
        return try parse(value, file: path)
    }

    /// Reads reference data from a parsed JSON document; `file` names its origin in errors.
    public static func parse(_ value: JSONValue, file: String) throws(ReferenceDataError) -> ReferenceData {
        let problems = Problems()
        let data = ReferenceDataReader(problems: problems).read(value)
        guard problems.isEmpty, let data else { throw ReferenceDataError.invalid(file: file, problems: problems.list) }
        return data
    }

    /// The JSON document of this reference data (what `load(jsonFile:)` reads); write it with
    /// `JSONWriter.string`.
    public func jsonValue() -> JSONValue {
        .object([
            JSONMember("county", .string(county)),
            JSONMember("divisionCode", .string(divisionCode)),
            JSONMember("hazardIdPrefix", .string(hazardIdPrefix)),
            JSONMember("regions", .array(regions.map { region in
                .object([
                    JSONMember("name", .string(region.name)),
                    JSONMember("code", .string(region.code)),
                    JSONMember("authority", .string(region.authority)),
                    JSONMember("abbreviation", .string(region.abbreviation)),
                ])
            })),
            JSONMember("industries", .array(industries.map { .string($0) })),
            JSONMember("departments", .array(departments.map(Self.departmentValue))),
            JSONMember("committee", Self.departmentValue(committee)),
        ])
    }

    private static func departmentValue(_ department: Department) -> JSONValue {
        .object([
            JSONMember("id", .string(department.id)),
            JSONMember("name", .string(department.name)),
            JSONMember("abbreviation", .string(department.abbreviation)),
            JSONMember("hasEnforcementDuty", .bool(department.hasEnforcementDuty)),
            JSONMember("industries", .array(department.industries.map { .string($0) })),
        ])
    }
}
