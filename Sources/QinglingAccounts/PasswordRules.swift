import HummingbirdBcrypt
import QinglingEvents
import Synchronization

/// How passwords are checked and kept: bcrypt (cost 12 unless the store says otherwise, never
/// below 10), never the password itself.
public enum PasswordRules {
    /// bcrypt's work factor by default: 2^12 rounds, about a quarter of a second here.
    public static let defaultCost: UInt8 = 12
    /// The least work factor a store may use.
    public static let minimumCost: UInt8 = 10
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

    static func hash(_ password: String, cost: UInt8) -> String { Bcrypt.hash(password, cost: cost) }

    static func matches(_ password: String, hash: String) -> Bool { Bcrypt.verify(password, hash: hash) }

    /// A hash of no one's password with work factor `cost`, checked when the login is unknown
    /// so that a wrong login takes as long as a wrong password. Made once per cost.
    static func decoy(cost: UInt8) -> String {
        decoys.withLock { made in
            if let decoy = made[cost] { return decoy }
            let decoy = Bcrypt.hash("decoy password of no account", cost: cost)
            made[cost] = decoy
            return decoy
        }
    }

    private static let decoys = Mutex<[UInt8: String]>([:])
}
