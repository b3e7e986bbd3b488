import NIOCore

/// Counts failed logins per login and per client address; past the limits, further attempts
/// are refused (429) until the oldest failure in the window is old enough, whatever the
/// password. Kept in memory, like the sessions. An IPv6 client counts by its /64 network, the
/// block one subscriber holds, so that it cannot try again from each of its addresses.
actor LoginThrottle {
    private var failuresByLogin: [String: [ContinuousClock.Instant]] = [:]
    private var failuresByAddress: [String: [ContinuousClock.Instant]] = [:]
    private let perLogin: Int
    private let perAddress: Int
    private let window: Duration
    /// The time failures are measured by (a test's own clock in tests).
    private let now: @Sendable () -> ContinuousClock.Instant
    /// Failures recorded since the tables were last cleared of logins and addresses whose
    /// failures have all left the window.
    private var sinceCleared = 0

    init(perLogin: Int = ServiceLimits.failuresPerLogin, perAddress: Int = ServiceLimits.failuresPerAddress,
         window: Duration = ServiceLimits.failureWindow, now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.perLogin = perLogin
        self.perAddress = perAddress
        self.window = window
        self.now = now
    }

    /// How long until `login` from `address` may try again; `nil` when it may now.
    func wait(login: String, address: String) -> Duration? {
        let now = now()
        var longest: Duration?
        for (failures, limit) in [(recent(failuresByLogin[login], now), perLogin), (recent(failuresByAddress[Self.counted(address)], now), perAddress)]
        where failures.count >= limit {
            let wait = failures[failures.count - limit] + window - now
            longest = max(longest ?? wait, wait)
        }
        return longest
    }

    /// Records a failed login.
    func failed(login: String, address: String) {
        let now = now()
        let counted = Self.counted(address)
        failuresByLogin[login] = recent(failuresByLogin[login], now) + [now]
        failuresByAddress[counted] = recent(failuresByAddress[counted], now) + [now]
        sinceCleared += 1
        // Now and then, so that the tables hold only who failed within the window.
        if sinceCleared >= ServiceLimits.failuresBetweenClearing {
            sinceCleared = 0
            failuresByLogin = failuresByLogin.filter { !recent($0.value, now).isEmpty }
            failuresByAddress = failuresByAddress.filter { !recent($0.value, now).isEmpty }
        }
    }

    /// A successful login forgets the login's failures (not the address's).
    func succeeded(login: String) {
        failuresByLogin[login] = nil
    }

    /// How many logins and addresses the tables hold.
    var tracked: (logins: Int, addresses: Int) { (failuresByLogin.count, failuresByAddress.count) }

    private func recent(_ failures: [ContinuousClock.Instant]?, _ now: ContinuousClock.Instant) -> [ContinuousClock.Instant] {
        (failures ?? []).filter { now - $0 < window }
    }

    /// What failures from `address` count against: an IPv6 address's /64 network
    /// (`2001:db8:0:1::/64`), any other address itself.
    static func counted(_ address: String) -> String {
        guard case .v6(let v6)? = try? SocketAddress(ipAddress: address, port: 0) else { return address }
        let bytes = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0.prefix(8)) }
        let groups = stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
        return groups.joined(separator: ":") + "::/64"
    }
}
