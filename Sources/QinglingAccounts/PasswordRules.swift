import HummingbirdBcrypt
import QinglingEvents

/// How passwords are checked and kept: bcrypt with cost 12, never the password itself.
enum PasswordRules {
    /// bcrypt's work factor: 2^12 rounds, about a quarter of a second here.
    static let cost: UInt8 = 12
    /// bcrypt reads at most 72 bytes; a longer password would be silently cut.
    static let maximumBytes = 72
    static let minimumCharacters = 10

    /// Why `password` may not be used for `login`, or `nil`.
    static func problem(_ password: String, login: String) -> AccountError.Problem? {
        if password.count < minimumCharacters { return .init(zh: "密码至少 \(minimumCharacters) 个字符", en: "a password has at least \(minimumCharacters) characters") }
        if password.utf8.count > maximumBytes { return .init(zh: "密码至多 \(maximumBytes) 字节（bcrypt 只读这么多）", en: "a password has at most \(maximumBytes) bytes (bcrypt reads no more)") }
        if password.lowercased().contains(login) { return .init(zh: "密码不得包含登录名", en: "a password may not contain the login") }
        if password.contains(where: { $0.isNewline || $0 == "\0" }) { return .init(zh: "密码不得包含换行或 NUL", en: "a password may not contain a line break or NUL") }
        return nil
    }

    static func hash(_ password: String) -> String { Bcrypt.hash(password, cost: cost) }

    static func matches(_ password: String, hash: String) -> Bool { Bcrypt.verify(password, hash: hash) }

    /// A hash of no one's password, checked when the login is unknown so that a wrong login
    /// takes as long as a wrong password.
    static let decoy: String = Bcrypt.hash("decoy password of no account", cost: cost)
}
