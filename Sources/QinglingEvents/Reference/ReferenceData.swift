/// The reference data of one county: its regions, the industries of the major-hazard criteria,
/// its departments with a safety duty and its safety committee's office (`domain.md`, "The
/// people and bodies"). The built-in value is `ReferenceData.linxiang`; another county replaces
/// it with a JSON file (`load(jsonFile:)`, layout as in `tools/reference/linxiang.json`).
public struct ReferenceData: Hashable, Sendable {
    /// The county's name, e.g. `临湘市`.
    public var county: String
    /// The county's six-digit administrative division code (行政区划代码), e.g. `430682`:
    /// characters 3–8 of the credit codes of its businesses.
    public var divisionCode: String
    /// The prefix of the county's hazard ids, 2 to 8 capital letters, e.g. `LX` for `LX-2024-0031`.
    public var hazardIdPrefix: String
    /// Towns, subdistricts and zones (属地), in the order of their codes.
    public var regions: [Region]
    /// The industries of the national major-hazard criteria (重大事故隐患判定标准), `其他` last.
    public var industries: [String]
    /// The county departments with a safety duty (行业主管部门 / 负有安全监管职责部门).
    public var departments: [Department]
    /// The county safety committee's office (市安委办): acts as `committee`, never leads an industry.
    public var committee: Department

    /// Reference data from its parts; `load(jsonFile:)` checks a file's consistency, this does not.
    public init(county: String, divisionCode: String, hazardIdPrefix: String, regions: [Region], industries: [String],
                departments: [Department], committee: Department) {
        self.county = county
        self.divisionCode = divisionCode
        self.hazardIdPrefix = hazardIdPrefix
        self.regions = regions
        self.industries = industries
        self.departments = departments
        self.committee = committee
    }

    /// The region with this name, if any.
    public func region(named name: String) -> Region? {
        regions.first { $0.name == name }
    }

    /// The region with this code (the id a town acts under), if any.
    public func region(code: String) -> Region? {
        regions.first { $0.code == code }
    }

    /// Whether `name` is one of the county's industries.
    public func isIndustry(_ name: String) -> Bool {
        industries.contains(name)
    }

    /// The department with this id, if any; the committee's office is not a department.
    public func department(id: String) -> Department? {
        departments.first { $0.id == id }
    }

    /// The name of the department or committee's office with this id, if the reference data
    /// holds it: how every report names a department (the name an event recorded may be older).
    public func organizationName(id: String) -> String? {
        id == committee.id ? committee.name : department(id: id)?.name
    }

    /// The department that leads `industry` (行业主管部门), if one does.
    public func leadDepartment(forIndustry industry: String) -> Department? {
        departments.first { $0.industries.contains(industry) }
    }

    /// The departments with an enforcement duty (those that may impose penalties).
    public var enforcementDepartments: [Department] {
        departments.filter(\.hasEnforcementDuty)
    }
}

/// A town, subdistrict or zone (属地镇（街道）/ 高新区).
public struct Region: Hashable, Sendable {
    /// The region's name as hazards name it, e.g. `江南镇`.
    public var name: String
    /// The statistics-bureau code (统计用区划代码, 9 digits) — the id a town acts under — or a
    /// project code for a zone without one.
    public var code: String
    /// The body that acts for the region, e.g. `江南镇人民政府`, `长安街道办事处`.
    public var authority: String
    /// Short lower-case letters (pinyin initials, e.g. `jn`) that prefix the ids of its officers.
    public var abbreviation: String

    /// A region with its name, code, acting body and officer-id abbreviation.
    public init(name: String, code: String, authority: String, abbreviation: String) {
        self.name = name
        self.code = code
        self.authority = authority
        self.abbreviation = abbreviation
    }

    /// The organisation a town officer of this region acts for (kind `town`, id the region's code).
    public var organization: OrganizationRef {
        OrganizationRef(kind: .town, id: code, name: authority)
    }
}

/// A county department with a safety duty, or the committee's office.
public struct Department: Hashable, Sendable {
    /// The department's id, e.g. `lx-yjj`.
    public var id: String
    /// Its full name, e.g. `临湘市应急管理局`.
    public var name: String
    /// The short name used in its case numbers, e.g. `应急` in `临应急罚〔2024〕12号`.
    public var abbreviation: String
    /// Whether it holds administrative enforcement powers (执法职责): only such departments impose
    /// penalties, and the quarterly ranking flags those that imposed none (零处罚).
    public var hasEnforcementDuty: Bool
    /// The industries it leads (行业主管); each industry has at most one lead department.
    public var industries: [String]

    /// A department with its id, names, enforcement duty and lead industries.
    public init(id: String, name: String, abbreviation: String, hasEnforcementDuty: Bool, industries: [String]) {
        self.id = id
        self.name = name
        self.abbreviation = abbreviation
        self.hasEnforcementDuty = hasEnforcementDuty
        self.industries = industries
    }

    /// The department as a hazard's lead department.
    public var reference: DepartmentRef { DepartmentRef(id: id, name: name) }

    /// The organisation its officers act for, of the given kind (`department`, or `committee`
    /// for the committee's office).
    public func organization(kind: OrganizationKind) -> OrganizationRef {
        OrganizationRef(kind: kind, id: id, name: name)
    }
}
