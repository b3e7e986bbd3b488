import QinglingEvents
import QinglingWorkflow

/// What `qingling serve` needs to start: the log, the accounts, where to listen.
public struct ServiceConfiguration: Sendable {
    /// The log directory the service owns the writer of.
    public var logDirectory: String
    /// The accounts database (`docs/accounts.md`).
    public var accountsPath: String
    public var reference: ReferenceData
    /// The address to listen on; `127.0.0.1` by default, so that a proxy terminates TLS.
    public var host: String
    /// The port; 0 picks a free one (tests).
    public var port: Int
    /// Whether clients reach the service over TLS (a proxy's): session cookies are then `Secure`.
    public var behindTLS: Bool
    /// The archive job's Ed25519 private key (`qingling keygen`), when `GET /head` is to be
    /// signed; checked against the log's public key at start.
    public var signingKeyPath: String?
    /// The key store of reporters' identities, opened with its master key: seals the
    /// identities given with tip-offs and lets the committee reveal them. Without it a tip-off
    /// with an identity is refused and no reveal is possible (`docs/security.md`).
    public var vault: ReporterVault?
    /// How often the projections' checkpoint is saved while the log grows (`CheckpointSaver`);
    /// five minutes by default.
    public var checkpointInterval: Duration
    /// The addresses of the proxies in front of the service (the TLS proxy's): for a request
    /// from one of them, the client is the address it forwards in `X-Forwarded-For`
    /// (`ClientAddressMiddleware`); otherwise every client would count as the proxy.
    public var trustedProxies: [String]

    public init(logDirectory: String, accountsPath: String, reference: ReferenceData = .linxiang,
                host: String = "127.0.0.1", port: Int = 8080, behindTLS: Bool = false, signingKeyPath: String? = nil,
                vault: ReporterVault? = nil, checkpointInterval: Duration = ServiceConfiguration.defaultCheckpointInterval,
                trustedProxies: [String] = []) {
        self.vault = vault
        self.trustedProxies = trustedProxies
        self.checkpointInterval = checkpointInterval
        self.logDirectory = logDirectory
        self.accountsPath = accountsPath
        self.reference = reference
        self.host = host
        self.port = port
        self.behindTLS = behindTLS
        self.signingKeyPath = signingKeyPath
    }

    /// Five minutes: after a crash, a restart folds at most that long's appends again.
    public static let defaultCheckpointInterval: Duration = .seconds(300)
}
