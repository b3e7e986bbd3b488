import Foundation
import Synchronization
import GRDB
import QinglingAudit
import QinglingEvents

/// The accounts, kept in an embedded SQLite database outside the immutable log (accounts change;
/// the log does not). Created with mode 0600; every change is one transaction, which commits
/// only once the change is in the audit log (`audit`).
public final class AccountStore: Sendable {
    /// The database file.
    public let path: String
    /// The audit log beside it (`AuditTrail.directory(besideAccounts:)`): every account change,
    /// and the service's sign-ins.
    public let audit: AuditTrail
    let reference: ReferenceData
    /// bcrypt's work factor for new and replaced passwords (`PasswordRules`).
    let passwordCost: UInt8
    private let database: DatabaseQueue
    /// The database file opened for reading its header (`changeCounter`); -1 if it cannot be.
    private let header: Int32

    /// Opens the accounts at `path`, creating the file (mode 0600) and its tables if missing.
    /// New passwords are hashed with bcrypt at `passwordCost` (at least
    /// `PasswordRules.minimumCost`; a lower one is raised to it).
    public init(path: String, reference: ReferenceData, passwordCost: UInt8 = PasswordRules.defaultCost) throws(AccountError) {
        self.path = path
        self.reference = reference
        self.passwordCost = max(passwordCost, PasswordRules.minimumCost)
        audit = AuditTrail(directory: AuditTrail.directory(besideAccounts: path))
        do {
            try Self.createPrivately(path)
            var configuration = Configuration()
            // `qingling users` may hold the file a moment while the service reads it.
            configuration.busyMode = .timeout(5)
            database = try DatabaseQueue(path: path, configuration: configuration)
            try AccountSchema.migrator.migrate(database)
            header = HeaderDescriptors.descriptor(for: path)
        } catch let error as AccountError {
            throw error
        } catch {
            throw .database(path: path, message: Self.message(error))
        }
    }

    /// SQLite's file change counter (bytes 24 to 27 of the file), which moves whenever a
    /// transaction that changed the accounts commits, in this process or another
    /// (`qingling users`), as long as the database keeps a rollback journal (the store's, and
    /// SQLite's, default); `nil` when it cannot be read, or the header says the database is in
    /// WAL mode (bytes 18 and 19 not both 1), where the counter does not move with every commit.
    /// One `pread`, no lock: what tells a cache of accounts (`AccountCache`) that what it holds
    /// may be stale.
    public func changeCounter() -> UInt32? {
        guard header >= 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: 10)
        let count = bytes.withUnsafeMutableBytes { pread(header, $0.baseAddress, 10, 18) }
        guard count == 10, bytes[0] == 1, bytes[1] == 1 else { return nil }
        return UInt32(bytes[6]) << 24 | UInt32(bytes[7]) << 16 | UInt32(bytes[8]) << 8 | UInt32(bytes[9])
    }

    /// Adds an account after checking its login, organisation, person and password; `by` is
    /// who adds it (`AuditEntry.by`).
    @discardableResult
    public func add(login: String, role: Role, organizationId: String, organizationName: String? = nil,
                    person: PersonRef, password: String, by: String) throws(AccountError) -> Account {
        guard Self.isValidLogin(login) else { throw .invalidLogin(login) }
        let organization = try AccountOrganization.resolve(role: role, id: organizationId, enterpriseName: organizationName, reference: reference)
        guard !person.id.isEmpty, person.id.count <= 64, !person.name.isEmpty, person.name.count <= 50 else {
            throw .invalidPerson(.init(zh: "人员编号须为 1 至 64 个字符，姓名 1 至 50 个字", en: "a person needs an id of 1 to 64 characters and a name of 1 to 50"))
        }
        if let problem = PasswordRules.problem(password, login: login) { throw .weakPassword(problem) }
        let account = Account(login: login, role: role, organization: organization, person: person)
        let row = AccountRow(account, passwordHash: PasswordRules.hash(password, cost: passwordCost))
        try write { db in
            if try AccountRow.fetchOne(db, key: login) != nil { throw AccountError.loginTaken(login) }
            if let other = try AccountRow.filter(Column("personId") == person.id).fetchOne(db) {
                throw AccountError.personTaken(personId: person.id, login: other.login)
            }
            try row.insert(db)
            try self.audit.record(AuditEntry(.accountAdded, by: by, subject: login, detail: "\(role.rawValue) \(organization.id)"))
        }
        return account
    }

    /// Every account, by login.
    public func list() throws(AccountError) -> [Account] {
        var accounts: [Account] = []
        for row in try read({ db in try AccountRow.order(Column("login")).fetchAll(db) }) {
            accounts.append(try row.account(in: path))
        }
        return accounts
    }

    /// The account with this login, if any. The service asks this whenever the accounts have
    /// changed (`changeCounter`; an account disabled, or its password changed, takes effect at
    /// once), so it reads through one prepared statement, kept, outside a transaction: a single
    /// `SELECT` reads a consistent row.
    public func account(_ login: String) throws(AccountError) -> Account? {
        let row: AccountRow?
        do {
            row = try database.inDatabase { db in
                try AccountRow.fetchOne(db.cachedStatement(sql: "SELECT * FROM \(AccountRow.databaseTableName) WHERE login = ?"), arguments: [login])
            }
        } catch {
            throw .database(path: path, message: Self.message(error))
        }
        return try row.map { row throws(AccountError) in try row.account(in: path) }
    }

    /// Disables an account: it can no longer sign in. `by` is who disables it.
    public func disable(_ login: String, by: String) throws(AccountError) {
        try update(login, AuditEntry(.accountDisabled, by: by, subject: login)) { $0.disabled = true }
    }

    /// Replaces an account's password. `by` is who replaces it.
    public func setPassword(_ login: String, _ password: String, by: String) throws(AccountError) {
        if let problem = PasswordRules.problem(password, login: login) { throw .weakPassword(problem) }
        let hash = PasswordRules.hash(password, cost: passwordCost)
        try update(login, AuditEntry(.passwordChanged, by: by, subject: login)) { $0.passwordHash = hash }
    }

    /// The account whose login and password these are, if it is enabled; otherwise `nil`, after
    /// the same work whatever was wrong, so that timing does not tell a wrong login from a wrong
    /// password or a disabled account.
    public func authenticate(login: String, password: String) throws(AccountError) -> Account? {
        let row = try read { db in try AccountRow.fetchOne(db, key: login) }
        // bcrypt stops at a NUL and at 72 bytes: a password it would cut is no account's.
        let acceptable = !password.contains("\0") && password.utf8.count <= PasswordRules.maximumBytes
        let matches = PasswordRules.matches(password, hash: row?.passwordHash ?? PasswordRules.decoy(cost: passwordCost))
        guard let row, matches, acceptable, !row.disabled else { return nil }
        return try row.account(in: path)
    }

    /// Changes the account `login` and records `entry` in the audit log, in one transaction.
    private func update(_ login: String, _ entry: AuditEntry, _ change: @Sendable (inout AccountRow) -> Void) throws(AccountError) {
        try write { db in
            guard var row = try AccountRow.fetchOne(db, key: login) else { throw AccountError.unknownLogin(login) }
            change(&row)
            row.credentialsVersion += 1
            try row.update(db)
            try self.audit.record(entry)
        }
    }

    private func read<T>(_ body: (Database) throws -> T) throws(AccountError) -> T {
        do { return try database.read(body) } catch { throw .database(path: path, message: Self.message(error)) }
    }

    /// Runs `body` in one transaction; an `AccountError` it throws passes through unchanged.
    private func write(_ body: (Database) throws -> Void) throws(AccountError) {
        do {
            try database.write(body)
        } catch let error as AccountError {
            throw error
        } catch let error as AuditError {
            throw .audit(error)
        } catch {
            throw .database(path: path, message: Self.message(error))
        }
    }

    static func isValidLogin(_ login: String) -> Bool {
        (1...64).contains(login.utf8.count) && login.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }

    /// Creates the file with mode 0600 if it does not exist, so SQLite (which gives its journal
    /// files the database's mode) never makes it readable by others.
    private static func createPrivately(_ path: String) throws(AccountError) {
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            throw .database(path: path, message: String(cString: strerror(errno)))
        }
        close(descriptor)
    }

    private static func message(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "SQLite error \(error.resultCode.rawValue)" }
        return String(describing: error)
    }
}

/// The descriptors `AccountStore.changeCounter` reads SQLite's header through: one per
/// database path, opened once and never closed. Closing any descriptor of a file drops every
/// POSIX lock the process holds on it, SQLite's included, so one closed while another handle
/// on the same file is in a transaction would let another process write under it.
private enum HeaderDescriptors {
    private static let opened = Mutex<[String: Int32]>([:])

    static func descriptor(for path: String) -> Int32 {
        opened.withLock { opened in
            if let descriptor = opened[path] { return descriptor }
            let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            if descriptor >= 0 { opened[path] = descriptor }
            return descriptor
        }
    }
}
