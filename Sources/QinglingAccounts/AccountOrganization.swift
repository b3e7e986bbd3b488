import QinglingEvents

/// The organisation an account acts for, checked against the county's reference data: a town by
/// its region's code, a department or the committee's office by id, an enterprise by a valid
/// credit code (with its name, which the reference data does not hold).
enum AccountOrganization {
    static func resolve(role: Role, id: String, enterpriseName: String?, reference: ReferenceData) throws(AccountError) -> OrganizationRef {
        switch role {
        case .enterprise:
            if let problem = CreditCode.problem(id) { throw .invalidOrganization(.init(zh: "企业 \(id) 的统一社会信用代码无效：\(problem)", en: "enterprise \(id): the credit code \(problem)")) }
            guard let name = enterpriseName, !name.isEmpty, name.count <= 100 else {
                throw .invalidOrganization(.init(zh: "企业账户须给出企业名称（--organization-name，1 至 100 个字）", en: "an enterprise account needs the enterprise's name (--organization-name), 1 to 100 characters"))
            }
            return OrganizationRef(kind: .enterprise, id: id, name: name)
        case .town:
            guard let region = reference.region(code: id) else {
                throw .invalidOrganization(.init(zh: "\(id) 不是\(reference.county)的区划代码；属地账户填其区划代码（qingling reference regions）", en: "\(id) is not a region code of \(reference.county); a town account names its region's code (qingling reference regions)"))
            }
            return OrganizationRef(kind: .town, id: region.code, name: region.authority)
        case .department:
            guard let department = reference.department(id: id) else {
                throw .invalidOrganization(.init(zh: "\(id) 不是\(reference.county)的部门（qingling reference departments）", en: "\(id) is not a department of \(reference.county) (qingling reference departments)"))
            }
            return OrganizationRef(kind: .department, id: department.id, name: department.name)
        case .committee:
            guard id == reference.committee.id else {
                throw .invalidOrganization(.init(zh: "\(reference.county)安委办的编号是 \(reference.committee.id)，不是 \(id)", en: "the committee's office of \(reference.county) is \(reference.committee.id), not \(id)"))
            }
            return OrganizationRef(kind: .committee, id: reference.committee.id, name: reference.committee.name)
        case .analyst, .archivist:
            if id == reference.committee.id {
                return OrganizationRef(kind: .committee, id: reference.committee.id, name: reference.committee.name)
            }
            if let department = reference.department(id: id) {
                return OrganizationRef(kind: .department, id: department.id, name: department.name)
            }
            throw .invalidOrganization(.init(zh: "\(role.rawValue) 账户属于安委办（\(reference.committee.id)）或\(reference.county)的部门，不是 \(id)", en: "an \(role.rawValue) belongs to the committee's office (\(reference.committee.id)) or a department of \(reference.county), not \(id)"))
        }
    }
}
