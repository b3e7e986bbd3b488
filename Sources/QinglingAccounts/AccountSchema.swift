import GRDB
import QinglingEvents

/// The accounts database's tables, created and migrated by version.
enum AccountSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("1 accounts") { db in
            try db.create(table: AccountRow.databaseTableName) { table in
                table.primaryKey("login", .text)
                table.column("passwordHash", .text).notNull()
                table.column("role", .text).notNull()
                table.column("organizationKind", .text).notNull()
                table.column("organizationId", .text).notNull()
                table.column("organizationName", .text).notNull()
                table.column("personId", .text).notNull().unique()
                table.column("personName", .text).notNull()
                table.column("disabled", .boolean).notNull().defaults(to: false)
            }
        }
        migrator.registerMigration("2 credentials version") { db in
            try db.alter(table: AccountRow.databaseTableName) { table in
                table.add(column: "credentialsVersion", .integer).notNull().defaults(to: 0)
            }
        }
        return migrator
    }
}

/// One account as stored: its fields and its bcrypt hash.
struct AccountRow: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "account"

    var login: String
    var passwordHash: String
    var role: String
    var organizationKind: String
    var organizationId: String
    var organizationName: String
    var personId: String
    var personName: String
    var disabled: Bool
    /// Raised by every change of password or of the disabled flag: a session begun under an
    /// older version is over.
    var credentialsVersion: Int

    /// Reads a row column by column (the service reads an account on every request; `Codable`'s
    /// decoder took half that time). A value of the wrong type is a thrown error, never a trap.
    init(row: Row) throws {
        login = try row.decode(forColumn: "login")
        passwordHash = try row.decode(forColumn: "passwordHash")
        role = try row.decode(forColumn: "role")
        organizationKind = try row.decode(forColumn: "organizationKind")
        organizationId = try row.decode(forColumn: "organizationId")
        organizationName = try row.decode(forColumn: "organizationName")
        personId = try row.decode(forColumn: "personId")
        personName = try row.decode(forColumn: "personName")
        disabled = try row.decode(forColumn: "disabled")
        credentialsVersion = try row.decode(forColumn: "credentialsVersion")
    }

    init(_ account: Account, passwordHash: String) {
        login = account.login
        self.passwordHash = passwordHash
        role = account.role.rawValue
        organizationKind = account.organization.kind.rawValue
        organizationId = account.organization.id
        organizationName = account.organization.name
        personId = account.person.id
        personName = account.person.name
        disabled = account.disabled
        credentialsVersion = account.credentialsVersion
    }

    /// The account; a row whose role or kind this version does not know is an error naming it.
    func account(in path: String) throws(AccountError) -> Account {
        guard let role = Role(rawValue: role), let kind = OrganizationKind(rawValue: organizationKind) else {
            throw .database(path: path, message: "account \(login) has role \(role) and organisation kind \(organizationKind), which this version does not know")
        }
        return Account(login: login, role: role, organization: OrganizationRef(kind: kind, id: organizationId, name: organizationName),
                       person: PersonRef(id: personId, name: personName), disabled: disabled, credentialsVersion: credentialsVersion)
    }
}
