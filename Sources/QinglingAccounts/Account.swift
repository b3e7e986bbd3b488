import QinglingEvents

/// A person's account: who they are, the organisation they act for and what their role allows.
/// The password hash never leaves `AccountStore`.
public struct Account: Hashable, Sendable {
    /// The name the person signs in with: lower-case letters, digits and `. _ -`, 1 to 64.
    public var login: String
    public var role: Role
    /// The organisation the account belongs to, as events name it.
    public var organization: OrganizationRef
    /// The person, as events name them; a person id belongs to one account only.
    public var person: PersonRef
    /// A disabled account cannot sign in; it stays so that its past events keep a name.
    public var disabled: Bool
    /// Raised by every change of password or of `disabled`: sessions begun under an older
    /// version end (`qingling users` runs in another process than the service).
    public var credentialsVersion: Int

    /// An account from its parts; `AccountStore.add` checks them against the reference data.
    public init(login: String, role: Role, organization: OrganizationRef, person: PersonRef, disabled: Bool = false, credentialsVersion: Int = 0) {
        self.login = login
        self.role = role
        self.organization = organization
        self.person = person
        self.disabled = disabled
        self.credentialsVersion = credentialsVersion
    }

    /// The actor of the events this account records, or `nil` for a read-only role.
    public var actor: Actor? {
        role.writes ? Actor(organization: organization, person: person) : nil
    }
}
