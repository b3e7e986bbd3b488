/// Why an account operation failed, naming what was wrong and how to fix it.
public enum AccountError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The login is not 1 to 64 lower-case letters, digits and `. _ -`.
    case invalidLogin(String)
    /// An account with this login exists already.
    case loginTaken(String)
    /// No account has this login.
    case unknownLogin(String)
    /// Another account is already this person.
    case personTaken(personId: String, login: String)
    /// The person's id or name is empty or too long.
    case invalidPerson(String)
    /// The organisation does not fit the role or is not in the reference data.
    case invalidOrganization(String)
    /// The password breaks the password rules.
    case weakPassword(String)
    /// The accounts database could not be opened, read or written.
    case database(path: String, message: String)

    public var description: String {
        switch self {
        case .invalidLogin(let login):
            "login \"\(login)\" is not 1 to 64 lower-case letters, digits and . _ -"
        case .loginTaken(let login):
            "an account with login \(login) exists already (qingling users list shows them)"
        case .unknownLogin(let login):
            "no account has login \(login) (qingling users list shows them)"
        case .personTaken(let personId, let login):
            "person \(personId) already has the account \(login); a person has one account"
        case .invalidPerson(let problem), .invalidOrganization(let problem), .weakPassword(let problem):
            problem
        case .database(let path, let message):
            "accounts database \(path): \(message)"
        }
    }
}
