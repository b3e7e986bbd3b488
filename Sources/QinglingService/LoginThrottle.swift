/// Counts failed logins per login and per client address; past the limits, further attempts
/// are refused (429) until the oldest failure in the window is old enough, whatever the
/// password. Kept in memory, like the sessions.
actor LoginThrottle {
    private var failuresByLogin: [String: [ContinuousClock.Instant]] = [:]
    private var failuresByAddress: [String: [ContinuousClock.Instant]] = [:]
    private let perLogin: Int
    private let perAddress: Int
    private let window: Duration
    private let clock = ContinuousClock()

    init(perLogin: Int = ServiceLimits.failuresPerLogin, perAddress: Int = ServiceLimits.failuresPerAddress,
         window: Duration = ServiceLimits.failureWindow) {
        self.perLogin = perLogin
        self.perAddress = perAddress
        self.window = window
    }

    /// How long until `login` from `address` may try again; `nil` when it may now.
    func wait(login: String, address: String) -> Duration? {
        let now = clock.now
        var longest: Duration?
        for (failures, limit) in [(recent(failuresByLogin[login], now), perLogin), (recent(failuresByAddress[address], now), perAddress)]
        where failures.count >= limit {
            let wait = failures[failures.count - limit] + window - now
            longest = max(longest ?? wait, wait)
        }
        return longest
    }

    /// Records a failed login.
    func failed(login: String, address: String) {
        let now = clock.now
        failuresByLogin[login] = recent(failuresByLogin[login], now) + [now]
        failuresByAddress[address] = recent(failuresByAddress[address], now) + [now]
    }

    /// A successful login forgets the login's failures (not the address's).
    func succeeded(login: String) {
        failuresByLogin[login] = nil
    }

    private func recent(_ failures: [ContinuousClock.Instant]?, _ now: ContinuousClock.Instant) -> [ContinuousClock.Instant] {
        (failures ?? []).filter { now - $0 < window }
    }
}
