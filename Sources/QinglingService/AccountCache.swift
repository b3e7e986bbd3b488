import QinglingAccounts
import Synchronization

/// The accounts as every request's sign-in asks for them, kept in memory while the accounts
/// database is unchanged: reading SQLite's change counter (`AccountStore.changeCounter`, one
/// `pread`) instead of the account's row. A change committed by any process (`qingling users
/// disable`, a new password) moves the counter, and the next request reads the accounts again,
/// so it takes effect at once, as without the cache. Where the counter cannot be read (or the
/// database is in WAL mode), every request reads the row and nothing is kept. A row is kept only
/// if the counter read after it is the one read before (a transaction rolled back by the read,
/// a hot journal, moves it back). An account is read again at least every `maximumAge`.
final class AccountCache: Sendable {
    private struct Kept {
        var account: Account?
        var readAt: ContinuousClock.Instant
    }

    private let store: AccountStore
    private let kept = Mutex<(counter: UInt32?, accounts: [String: Kept])>((nil, [:]))
    /// How long an account is kept at most, whatever the counter says.
    static let maximumAge: Duration = .seconds(5)

    init(store: AccountStore) {
        self.store = store
    }

    /// The account with this login, if any (`AccountStore.account`).
    func account(_ login: String) throws(AccountError) -> Account? {
        let now = ContinuousClock.now
        // Read before the row: a change committed in between is seen by the next request.
        guard let counter = store.changeCounter() else {
            kept.withLock { $0 = (nil, [:]) }
            return try store.account(login)
        }
        let hit: Kept? = kept.withLock { kept in
            if kept.counter != counter { kept = (counter, [:]) }
            guard let found = kept.accounts[login], now - found.readAt < Self.maximumAge else { return nil }
            return found
        }
        if let hit { return hit.account }
        let account = try store.account(login)
        guard store.changeCounter() == counter else { return account }
        kept.withLock { kept in
            if kept.counter == counter { kept.accounts[login] = Kept(account: account, readAt: now) }
        }
        return account
    }
}
