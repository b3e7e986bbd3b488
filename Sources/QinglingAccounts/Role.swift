import QinglingEvents

/// What an account may do in the service (`docs/accounts.md`): the four kinds of organisation
/// that record events, and two that only read.
public enum Role: String, CaseIterable, Sendable, Codable {
    /// An enterprise: reports and rectifies its own hazards (企业自查自报).
    case enterprise
    /// A town, subdistrict or zone (属地): its region's hazards.
    case town
    /// A county department with a safety duty (行业主管部门).
    case department
    /// The county safety committee's office (市安委办).
    case committee
    /// Reads every hazard and figure; belongs to the committee's office or a department.
    case analyst
    /// Reads, and sees the archive's status; belongs to the committee's office or a department.
    case archivist

    /// Whether the role records events (and so acts as an `Actor`).
    public var writes: Bool {
        switch self {
        case .enterprise, .town, .department, .committee: true
        case .analyst, .archivist: false
        }
    }

    /// The kind of organisation the role's events name, for the roles that write.
    public var organizationKind: OrganizationKind? {
        switch self {
        case .enterprise: .enterprise
        case .town: .town
        case .department: .department
        case .committee: .committee
        case .analyst, .archivist: nil
        }
    }
}
