import Crypto
import Foundation
import Synchronization

/// A session token as the client holds it: 256 random bits, base64url.
struct SessionToken: Hashable, Sendable {
    var text: String

    static func random() -> SessionToken {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return SessionToken(text: Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: ""))
    }

    /// What the registry keeps: the token's SHA-256, so a memory dump does not give sessions
    /// away; held as four words (every request looks it up: no string to build and hash).
    var digest: SIMD4<UInt64> {
        var text = text
        let hash = text.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
        return hash.withUnsafeBytes { $0.loadUnaligned(as: SIMD4<UInt64>.self) }
    }
}

/// The live sessions, in memory: a restart signs everyone out. A session ends at logout, after
/// `idle` without use, or `lifetime` after it began. Every request asks it, so it is a lock,
/// not an actor: a request does not wait for a hop to another executor.
final class SessionRegistry: Sendable {
    struct Session: Sendable {
        var login: String
        /// The account's `credentialsVersion` at sign-in.
        var credentialsVersion: Int
        var csrfToken: String
        var began: ContinuousClock.Instant
        var lastUsed: ContinuousClock.Instant
    }

    private let sessions = Mutex<[SIMD4<UInt64>: Session]>([:])
    private let idle: Duration
    private let lifetime: Duration
    /// The time sessions are measured by (a test's own clock in tests).
    private let now: @Sendable () -> ContinuousClock.Instant

    init(idle: Duration = ServiceLimits.sessionIdle, lifetime: Duration = ServiceLimits.sessionLifetime,
         now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.idle = idle
        self.lifetime = lifetime
        self.now = now
    }

    /// Begins a session for `login`; returns its token and CSRF token.
    func begin(login: String, credentialsVersion: Int) -> (token: SessionToken, csrfToken: String) {
        let token = SessionToken.random()
        let csrf = SessionToken.random().text
        let now = now()
        sessions.withLock { sessions in
            removeExpired(&sessions, now: now)
            sessions[token.digest] = Session(login: login, credentialsVersion: credentialsVersion, csrfToken: csrf, began: now, lastUsed: now)
        }
        return (token, csrf)
    }

    /// The live session of `token`, marked as used now; `nil` if there is none or it expired.
    func use(_ token: SessionToken) -> Session? {
        let key = token.digest
        let now = now()
        return sessions.withLock { sessions in
            guard var session = sessions[key] else { return nil }
            guard now - session.lastUsed < idle, now - session.began < lifetime else {
                sessions[key] = nil
                return nil
            }
            session.lastUsed = now
            sessions[key] = session
            return session
        }
    }

    /// Ends the session of `token`.
    func end(_ token: SessionToken) {
        let key = token.digest
        sessions.withLock { $0[key] = nil }
    }

    private func removeExpired(_ sessions: inout [SIMD4<UInt64>: Session], now: ContinuousClock.Instant) {
        sessions = sessions.filter { now - $0.value.lastUsed < idle && now - $0.value.began < lifetime }
    }
}
