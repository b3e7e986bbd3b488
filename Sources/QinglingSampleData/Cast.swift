import QinglingEvents

/// Who acts in the sample data: departments, the committee and towns of the reference data,
/// with their officers.
struct Cast {
    let reference: ReferenceData
    let staff: Staff
    /// Per industry of the reference data (same order): its profile, lead department, enforcer.
    let profiles: [IndustryProfile]
    let leads: [Department]
    let enforcers: [Department?]
    /// Hazards with no operator whose industry the county has, by industry index.
    let withoutOperator: [(industry: Int, entry: HazardEntry)]
    /// The first department with an enforcement duty (usually 应急管理局), if any.
    let general: Department?
    /// The officers of each department and of the committee's office (by id), of each town (by code).
    private let departmentOfficers: [String: [PersonRef]]
    private let townOfficers: [String: [PersonRef]]

    init(reference: ReferenceData, staff: Staff) {
        self.reference = reference
        self.staff = staff
        profiles = reference.industries.map(HazardCatalog.profile(for:))
        let leads = reference.industries.map {
            reference.leadDepartment(forIndustry: $0) ?? reference.departments.first ?? reference.committee
        }
        self.leads = leads
        enforcers = leads.map { lead in
            lead.hasEnforcementDuty && reference.department(id: lead.id) != nil ? lead : reference.enforcementDepartments.first
        }
        general = reference.enforcementDepartments.first
        var departmentOfficers: [String: [PersonRef]] = [:]
        for department in reference.departments + [reference.committee] {
            let count = department.id == reference.committee.id ? Staff.committeeOfficers : Staff.departmentOfficers
            departmentOfficers[department.id] = (1...count).map { staff.officer(of: department, number: $0) }
        }
        self.departmentOfficers = departmentOfficers
        var townOfficers: [String: [PersonRef]] = [:]
        for region in reference.regions {
            townOfficers[region.code] = (1...Staff.townOfficers).map { staff.officer(of: region, number: $0) }
        }
        self.townOfficers = townOfficers
        withoutOperator = HazardCatalog.withoutOperator.compactMap { item in
            reference.industries.firstIndex(of: item.industry).map { ($0, item.entry) }
        }
    }

    /// The committee's office as an organisation of kind `committee`.
    var committee: OrganizationRef { reference.committee.organization(kind: .committee) }

    /// An officer of the committee's office.
    func committeeActor(_ rng: inout SplitMix64) -> Actor {
        Actor(organization: committee, person: officer(of: reference.committee, number: rng.int(1...Staff.committeeOfficers)))
    }

    /// Officer `number` of a department (of the committee's office when that stands in for a
    /// missing department).
    func actor(_ department: Department, officer number: Int) -> Actor {
        let kind: OrganizationKind = department.id == reference.committee.id ? .committee : .department
        return Actor(organization: department.organization(kind: kind), person: officer(of: department, number: number))
    }

    /// A random officer of a department.
    func actor(_ department: Department, _ rng: inout SplitMix64) -> Actor {
        actor(department, officer: rng.int(1...Staff.departmentOfficers))
    }

    /// Officer `number` of a town.
    func actor(_ region: Region, officer number: Int) -> Actor {
        Actor(organization: region.organization, person: officer(of: region, number: number))
    }

    /// Officer `number` (from 1) of a department or the committee's office.
    func officer(of department: Department, number: Int) -> PersonRef {
        departmentOfficers[department.id]?[safe: number - 1] ?? staff.officer(of: department, number: number)
    }

    /// Officer `number` (from 1) of a town.
    func officer(of region: Region, number: Int) -> PersonRef {
        townOfficers[region.code]?[safe: number - 1] ?? staff.officer(of: region, number: number)
    }

    /// The department leading industry `index`; failing one, the first department, or the
    /// committee's office acting as one (reference data without departments).
    func leadDepartment(for index: Int) -> Department { leads[index] }

    /// The department that enforces in industry `index`: its lead when that has an enforcement
    /// duty, else the first department that has one (usually 应急管理局); `nil` when none has.
    func enforcer(for index: Int) -> Department? { enforcers[index] }

    /// The actor of a general-department action: a department officer, or the committee's
    /// officer when the county has no enforcing department.
    func generalActor(_ rng: inout SplitMix64) -> Actor {
        if let general { return actor(general, &rng) }
        return committeeActor(&rng)
    }
}

extension Array {
    /// The element at `index`, or `nil` outside the array.
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
