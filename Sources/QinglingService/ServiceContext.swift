import Hummingbird
import NIOCore
import HummingbirdAuth
import QinglingAccounts
import QinglingEvents

/// Who made a request: the account of a live session, and how the session was presented.
public struct SignedIn: Sendable {
    public var account: Account
    /// The session's token, to end it at logout.
    var token: SessionToken
    /// The session's CSRF token, which a write presented with the cookie must repeat.
    var csrfToken: String
    /// Whether the session came as a cookie (a browser) rather than a bearer token (a script).
    var byCookie: Bool
}

/// The context of every request: the signed-in account, once `SessionAuthenticator` found one.
public struct ServiceContext: AuthRequestContext, RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: SignedIn?
    /// The connection's peer.
    public let remoteAddress: SocketAddress?
    /// The client's address, what failed logins are throttled by and the audit log records:
    /// the peer's, or the client's a trusted proxy forwarded (`ClientAddressMiddleware`).
    public var clientAddress: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
        remoteAddress = source.channel.remoteAddress
        let peer = remoteAddress?.ipAddress ?? "unknown"
        // An IPv4 client of a dual-stack socket, in the form a trusted proxy is given.
        clientAddress = peer.hasPrefix("::ffff:") ? ServiceConfiguration.normalizedAddress(peer) ?? peer : peer
    }

    /// Request bodies above this size are refused with 413.
    public var maxUploadSize: Int { ServiceLimits.bodyBytes }
}

/// The service's fixed limits.
enum ServiceLimits {
    /// The largest request body: 8 MiB (about 6,000 events as JSON).
    static let bodyBytes = 8 << 20
    /// The most documents one `POST /events` may hold.
    static let eventsPerRequest = 10_000
    /// The most problems an error answer lists (the message gives the count of the rest).
    static let problemsListed = 100
    /// A session ends after this long without a request.
    static let sessionIdle: Duration = .seconds(30 * 60)
    /// A session ends this long after signing in, whatever its use.
    static let sessionLifetime: Duration = .seconds(12 * 60 * 60)
    /// A connection that sends nothing for this long is closed.
    static let connectionIdleSeconds: Int64 = 30
    /// The session cookie's name.
    static let cookieName = "qingling_session"
    /// Failed logins allowed per login, and per client address, within `failureWindow`.
    static let failuresPerLogin = 5
    static let failuresPerAddress = 20
    static let failureWindow: Duration = .seconds(15 * 60)
    /// Failed logins recorded between two clearings of `LoginThrottle`'s tables.
    static let failuresBetweenClearing = 1_000
    /// The most event streams (`GET /events/stream`) open at once.
    static let eventStreams = 64
}

extension Request {
    /// The language the client asks for: English when `Accept-Language` starts with `en`,
    /// else Chinese, the county's.
    var language: Language {
        (headers[.acceptLanguage]?.lowercased().hasPrefix("en") ?? false) ? .en : .zh
    }
}
