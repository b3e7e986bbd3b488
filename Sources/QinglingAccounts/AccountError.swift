import QinglingAudit
import QinglingEvents

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
    case invalidPerson(Problem)
    /// The organisation does not fit the role or is not in the reference data.
    case invalidOrganization(Problem)
    /// The password breaks the password rules.
    case weakPassword(Problem)
    /// The accounts database could not be opened, read or written.
    case database(path: String, message: String)
    /// The change could not be recorded in the audit log, so it was not made.
    case audit(AuditError)

    public var description: String { message(.en) }

    /// The message in `language`; logins, ids and paths as they are.
    public func message(_ language: Language) -> String {
        switch self {
        case .invalidLogin(let login):
            language.pick(zh: "登录名“\(login)”不合规：应为 1 至 64 个小写字母、数字或 . _ -",
                          en: "login \"\(login)\" is not 1 to 64 lower-case letters, digits and . _ -")
        case .loginTaken(let login):
            language.pick(zh: "登录名 \(login) 已有账户（qingling users list 列出全部账户）",
                          en: "an account with login \(login) exists already (qingling users list shows them)")
        case .unknownLogin(let login):
            language.pick(zh: "没有登录名为 \(login) 的账户（qingling users list 列出全部账户）",
                          en: "no account has login \(login) (qingling users list shows them)")
        case .personTaken(let personId, let login):
            language.pick(zh: "人员 \(personId) 已有账户 \(login)；每人只有一个账户",
                          en: "person \(personId) already has the account \(login); a person has one account")
        case .invalidPerson(let problem), .invalidOrganization(let problem), .weakPassword(let problem):
            problem.text(language)
        case .database(let path, let message):
            language.pick(zh: "账户数据库 \(path)：\(message)", en: "accounts database \(path): \(message)")
        case .audit(let error):
            language.pick(zh: "未能记入审计日志，账户未更改：\(error)", en: "the account was not changed: \(error)")
        }
    }
}

extension AccountError {
    /// A problem with an account's person, organisation or password, in both languages.
    public struct Problem: Equatable, Sendable {
        public var zh: String
        public var en: String

        public func text(_ language: Language) -> String { language.pick(zh: zh, en: en) }
    }
}
