/// An organisation that acts or is acted upon.
public struct OrganizationRef: Hashable, Sendable {
    public var kind: OrganizationKind
    public var id: String
    public var name: String

    public init(kind: OrganizationKind, id: String, name: String) {
        self.kind = kind
        self.id = id
        self.name = name
    }
}

/// A person, by the id their organisation gives them and their name.
public struct PersonRef: Hashable, Sendable {
    public var id: String
    public var name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// Who recorded an event: an organisation and, inside it, a person.
public struct Actor: Hashable, Sendable {
    public var organization: OrganizationRef
    public var person: PersonRef

    public init(organization: OrganizationRef, person: PersonRef) {
        self.organization = organization
        self.person = person
    }
}

/// A business, by its unified social credit code.
public struct EnterpriseRef: Hashable, Sendable {
    public var creditCode: String
    public var name: String

    public init(creditCode: String, name: String) {
        self.creditCode = creditCode
        self.name = name
    }
}

/// A county department.
public struct DepartmentRef: Hashable, Sendable {
    public var id: String
    public var name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// The persons answerable for a supervised hazard.
public struct ResponsiblePersons: Hashable, Sendable {
    /// 主要负责人; absent for a hazard with no operator.
    public var enterprisePrincipal: PersonRef?
    /// 实际控制人, if any.
    public var actualController: PersonRef?
    public var departmentOfficer: PersonRef
    public var townOfficer: PersonRef

    public init(enterprisePrincipal: PersonRef?, actualController: PersonRef?, departmentOfficer: PersonRef, townOfficer: PersonRef) {
        self.enterprisePrincipal = enterprisePrincipal
        self.actualController = actualController
        self.departmentOfficer = departmentOfficer
        self.townOfficer = townOfficer
    }
}
