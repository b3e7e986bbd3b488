import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import QinglingAccounts
import QinglingService
import ServiceLifecycle

/// `qingling serve`: the ledger as an authenticated HTTP service.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the log to signed-in accounts over HTTP (docs/api.md).",
        discussion: """
        One process owns the log's writer and keeps the projections in memory. Every request \
        but POST /api/v1/login and GET /api/v1/healthz needs a session; the actor of every \
        event is the signed-in account's (qingling users manages them). SIGTERM or SIGINT \
        stops it gracefully: requests in flight finish (within 20 s), the log is synced, the \
        projections' checkpoint saved; while the log grows the checkpoint is also saved every \
        --checkpoint-every seconds. Logs go to standard error; GET /metrics gives the \
        Prometheus figures to the committee, analysts and archivists.

        Sign-ins and account changes go to the audit log beside the accounts file (qingling \
        audit lists it). With --private-key, GET /api/v1/head also gives the head signed with \
        the archive job's key, which `qingling verify --head` checks.

        Example:
          qingling serve --log /srv/qingling/linxiang --listen 127.0.0.1:8080
        """
    )

    @OptionGroup var accounts: AccountsLocation
    @OptionGroup var keys: KeyStoreOptions

    @Option(help: ArgumentHelp("The address and port to listen on.", valueName: "HOST:PORT"))
    var listen = "127.0.0.1:8080"

    @Flag(help: "Clients reach the service through a TLS proxy: session cookies are marked Secure.")
    var behindTLS = false

    @Option(name: .customLong("private-key"), help: ArgumentHelp(
        "Sign GET /api/v1/head with the archive job's Ed25519 key (qingling keygen), kept outside the log directory.", valueName: "FILE"))
    var signingKey: String?

    @Option(name: .customLong("trusted-proxy"), help: ArgumentHelp(
        "The address of a proxy in front of the service (repeat for several): for its requests the client is the address it forwards in X-Forwarded-For, for throttling failed logins and the audit log.",
        valueName: "IP"))
    var trustedProxies: [String] = []

    @Option(help: ArgumentHelp("Save the projections' checkpoint this often while the log grows, so that a restart after a crash folds only the events since.", valueName: "SECONDS"))
    var checkpointEvery = Int(ServiceConfiguration.defaultCheckpointInterval.components.seconds)

    func validate() throws {
        guard checkpointEvery >= 1 else { throw ValidationError("--checkpoint-every \(checkpointEvery) is not a number of seconds of at least 1") }
        for proxy in trustedProxies where ServiceConfiguration.normalizedAddress(proxy) == nil {
            throw ValidationError("--trusted-proxy \(proxy) is not an IP address, e.g. 127.0.0.1 or ::1")
        }
        guard listenAddress != nil else { throw ValidationError("--listen \(listen) is not HOST:PORT, e.g. 127.0.0.1:8080") }
    }

    private var listenAddress: (host: String, port: Int)? { Self.address(listen) }

    /// `HOST:PORT` as a host and a port; `nil` when it is not one.
    static func address(_ listen: String) -> (host: String, port: Int)? {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        let host = String(listen[..<colon])
        return host.isEmpty ? nil : (host, port)
    }

    func run() async throws {
        guard let (host, port) = listenAddress else { throw ExitCodes.usage }
        let configuration = ServiceConfiguration(logDirectory: accounts.log.directory, accountsPath: accounts.file,
                                                 reference: try accounts.reference.load(), host: host, port: port, behindTLS: behindTLS,
                                                 signingKeyPath: signingKey,
                                                 vault: try keys.vault(logDirectory: accounts.log.directory, required: false),
                                                 checkpointInterval: .seconds(checkpointEvery), trustedProxies: trustedProxies)
        try await Self.serve(configuration)
    }

    /// Serves `configuration` until SIGTERM or SIGINT (also `qingling demo --serve`);
    /// `onRunning` is told the address once the server listens.
    static func serve(_ configuration: ServiceConfiguration, onRunning: @escaping @Sendable (String) -> Void = { _ in }) async throws {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let metrics = ServiceMetrics()
        MetricsSystem.bootstrap(metrics.factory)
        let logger = Logger(label: "qingling.serve")
        let application: any ApplicationProtocol
        do throws(ServiceStartError) {
            application = try QinglingService.application(configuration, logger: logger, metrics: metrics) { port in
                logger.info("serving", metadata: ["log": "\(configuration.logDirectory)", "address": "\(configuration.host):\(port)"])
                onRunning("\(configuration.host):\(port)")
            }
        } catch {
            switch error {
            case .accounts(let accountError): throw ExitCodes.report(accountError)
            case .log(let projectionError): throw ExitCodes.report(projectionError)
            case .signingKey(let archiveError): throw ExitCodes.report(archiveError)
            case .web(let templateError):
                printError("qingling: \(templateError)")
                throw ExitCodes.ioError
            }
        }
        // Requests in flight get 20 s after SIGTERM; then they are cancelled and the log is
        // closed all the same.
        var group = ServiceGroupConfiguration(services: [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        group.maximumGracefulShutdownDuration = .seconds(20)
        try await ServiceGroup(configuration: group).run()
    }
}
