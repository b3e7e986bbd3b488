/// What went wrong shipping a county's log to PostgreSQL or restoring it, naming what failed
/// and how to fix it. Never carries a password.
public enum ProvinceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The `--postgres` address is not a usable `postgres://` URL.
    case badURL(reason: String)
    /// No PostgreSQL server answered at the address.
    case cannotConnect(address: String, reason: String)
    /// The server refused the user name or password.
    case authentication(address: String, user: String, reason: String)
    /// The database has no `qingling` schema yet.
    case noSchema(address: String)
    /// The database's schema is newer than this program knows.
    case schemaTooNew(found: Int, known: Int)
    /// The county code is not the reference data's (or not six digits).
    case unknownCounty(code: String, known: String, name: String)
    /// The county's log no longer holds what the copy holds: replaced or rewritten.
    case logReplaced(county: String, reason: String)
    /// The log could not be read.
    case log(String)
    /// The server failed a statement (a constraint, a type, …).
    case server(during: String, reason: String)
    /// The connection ended under a statement (the server went away, the backend was ended):
    /// the transaction was not kept; running again (or reconnecting) resumes.
    case connectionLost(during: String, reason: String)
    /// The database holds no copy of the county.
    case noCopy(county: String)
    /// The copy in the database is inconsistent (rows missing between batches).
    case damagedCopy(county: String, reason: String)
    /// `restore --into` names a directory that cannot take the restored log.
    case restoreTarget(path: String, reason: String)

    /// Whether connecting again may succeed where this failed (the server went away or was
    /// not there yet), as opposed to a refusal that will be repeated.
    public var isConnectionProblem: Bool {
        switch self {
        case .cannotConnect, .connectionLost: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .badURL(let reason):
            "--postgres: \(reason); expected postgres://USER:PASSWORD@HOST:PORT/DATABASE"
        case let .cannotConnect(address, reason):
            "cannot connect to PostgreSQL at \(address): \(reason); check the host and port, and that the server is running"
        case let .authentication(address, user, reason):
            "PostgreSQL at \(address) refused user \(user): \(reason); check the user name and password in --postgres"
        case .noSchema(let address):
            "the database at \(address) has no qingling schema; run again with --init to create it"
        case let .schemaTooNew(found, known):
            "the database's qingling schema is version \(found), newer than this program's \(known); upgrade qingling"
        case let .unknownCounty(code, known, name):
            "county code \(code) is not in the reference data, which is for \(name) (\(known)); give --county \(known), or --reference with that county's data"
        case let .logReplaced(county, reason):
            "county \(county): the log is not the one shipped before, nothing written: \(reason)"
        case .log(let reason):
            reason
        case let .server(during, reason):
            "PostgreSQL failed while \(during): \(reason); nothing of that transaction was kept, run again to resume"
        case let .connectionLost(during, reason):
            "the connection to PostgreSQL was lost while \(during): \(reason); the database keeps a transaction whole or not at all, so run again to resume from what it holds"
        case .noCopy(let county):
            "the database holds no copy of county \(county); ship it first (qingling ship --county \(county))"
        case let .damagedCopy(county, reason):
            "the copy of county \(county) is damaged: \(reason)"
        case let .restoreTarget(path, reason):
            "cannot restore into \(path): \(reason)"
        }
    }
}
