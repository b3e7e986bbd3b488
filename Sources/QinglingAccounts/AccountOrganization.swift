import QinglingEvents

/// The organisation an account acts for, checked against the county's reference data: a town by
/// its region's code, a department or the committee's office by id, an enterprise by a valid
/// credit code (with its name, which the reference data does not hold).
enum AccountOrganization {
    static func resolve(role: Role, id: String, enterpriseName: String?, reference: ReferenceData) throws(AccountError) -> OrganizationRef {
        switch role {
        case .enterprise:
            if let problem = CreditCode.problem(id) { throw .invalidOrganization("enterprise \(id): the credit code \(problem)") }
            guard let name = enterpriseName, !name.isEmpty, name.count <= 100 else {
                throw .invalidOrganization("an enterprise account needs the enterprise's name (--organization-name), 1 to 100 characters")
            }
            return OrganizationRef(kind: .enterprise, id: id, name: name)
        case .town:
            guard let region = reference.region(code: id) else {
                throw .invalidOrganization("\(id) is not a region code of \(reference.county); a town account names its region's code (qingling reference regions)")
            }
            return OrganizationRef(kind: .town, id: region.code, name: region.authority)
        case .department:
            guard let department = reference.department(id: id) else {
                throw .invalidOrganization("\(id) is not a department of \(reference.county) (qingling reference departments)")
            }
            return OrganizationRef(kind: .department, id: department.id, name: department.name)
        case .committee:
            guard id == reference.committee.id else {
                throw .invalidOrganization("the committee's office of \(reference.county) is \(reference.committee.id), not \(id)")
            }
            return OrganizationRef(kind: .committee, id: reference.committee.id, name: reference.committee.name)
        case .analyst, .archivist:
            if id == reference.committee.id {
                return OrganizationRef(kind: .committee, id: reference.committee.id, name: reference.committee.name)
            }
            if let department = reference.department(id: id) {
                return OrganizationRef(kind: .department, id: department.id, name: department.name)
            }
            throw .invalidOrganization("an \(role.rawValue) belongs to the committee's office (\(reference.committee.id)) or a department of \(reference.county), not \(id)")
        }
    }
}
