import QinglingEvents
import QinglingWorkflow

extension HazardLedgerQuery {
    /// One parameter that does not read, and what it takes.
    public struct ParameterProblem: Sendable, Equatable {
        public var parameter: String
        public var message: String
    }

    /// The parameters of a ledger request that do not read (each one once).
    public struct ParameterErrors: Error, Sendable, Equatable {
        public var problems: [ParameterProblem]
    }

    /// The longest `q` taken, in characters.
    public static let maximumTextLength = 200

    /// Reads a query from named text parameters, as a URL's query string gives them
    /// (`values(name)`: every value given for `name`, in order): `region` (a name or a code of
    /// `reference`'s regions), `industry`, `status` (raw values, repeated or comma-separated),
    /// `overdue` (`true`, `false`), `department` (a lead department's id), `q`, `sort`
    /// (`hazardId`, `discoveredOn`, `deadline`, `status`, `-` first for descending), `page`,
    /// `pageSize`, `asOf` (YYYY-MM-DD). An empty value is no value. Throws every parameter that
    /// does not read, each with the values it takes.
    public init(parameters values: (String) -> [String], reference: ReferenceData) throws(ParameterErrors) {
        self.init()
        var problems: [ParameterProblem] = []
        /// The one value of `name`, if given; more than one is a problem.
        func single(_ name: String) -> String? {
            let given = values(name).filter { !$0.isEmpty }
            if given.count > 1 { problems.append(ParameterProblem(parameter: name, message: "give \(name) once, not \(given.count) times")) }
            return given.first
        }
        func refuse(_ name: String, _ given: String, _ valid: String) {
            problems.append(ParameterProblem(parameter: name, message: "\(name) must be \(valid), not \(given.prefix(40))"))
        }
        if let text = single("region") {
            if let found = reference.region(named: text) ?? reference.region(code: text) {
                region = found.name
            } else {
                refuse("region", text, "a region's name or code: " + reference.regions.map { "\($0.name) (\($0.code))" }.joined(separator: ", "))
            }
        }
        if let text = single("industry") {
            if reference.isIndustry(text) { industry = text } else { refuse("industry", text, "one of " + reference.industries.joined(separator: ", ")) }
        }
        for text in values("status").flatMap({ $0.split(separator: ",") }) {
            if let status = HazardStatus(rawValue: String(text)) {
                statuses.insert(status)
            } else {
                refuse("status", String(text), "one or more of " + HazardStatus.allCases.map(\.rawValue).joined(separator: ", "))
            }
        }
        if let text = single("overdue") {
            switch text {
            case "true": overdue = true
            case "false": overdue = false
            default: refuse("overdue", text, "true or false")
            }
        }
        if let text = single("department") {
            if reference.department(id: text) != nil {
                department = text
            } else {
                refuse("department", text, "a department's id: " + reference.departments.map(\.id).joined(separator: ", "))
            }
        }
        if let text = single("q") {
            if text.count <= Self.maximumTextLength { self.text = text } else { refuse("q", text, "at most \(Self.maximumTextLength) characters") }
        }
        if let text = single("sort") {
            let descending = text.hasPrefix("-")
            if let key = SortKey(rawValue: String(text.dropFirst(descending ? 1 : 0))) {
                (sort, self.descending) = (key, descending)
            } else {
                refuse("sort", text, "one of " + SortKey.allCases.map(\.rawValue).joined(separator: ", ") + ", with - first for descending")
            }
        }
        if let text = single("page") {
            if let number = Int(text), number >= 1 { page = number } else { refuse("page", text, "a whole number from 1") }
        }
        if let text = single("pageSize") {
            if let number = Int(text), (1...Self.maximumPageSize).contains(number) {
                pageSize = number
            } else {
                refuse("pageSize", text, "a whole number from 1 to \(Self.maximumPageSize)")
            }
        }
        if let text = single("asOf") {
            if let date = CalendarDate(text) { asOf = date } else { refuse("asOf", text, "a date YYYY-MM-DD") }
        }
        guard problems.isEmpty else { throw ParameterErrors(problems: problems) }
    }
}
