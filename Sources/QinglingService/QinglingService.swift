import Hummingbird
import HummingbirdAuth
import Logging
import Crypto
import QinglingAccounts
import QinglingArchive
import QinglingEvents
import QinglingEvidence
import QinglingLog
import QinglingProjections
import QinglingWorkflow
import ServiceLifecycle

/// Why the service could not start.
public enum ServiceStartError: Error, CustomStringConvertible {
    case accounts(AccountError)
    case log(ProjectionError)
    /// The head's signing key cannot be used (unreadable, or not the log's).
    case signingKey(ArchiveError)
    /// The web pages' templates or stylesheet are missing or do not parse.
    case web(WebTemplateError)

    public var description: String {
        switch self {
        case .accounts(let error): "\(error)"
        case .log(let error): "\(error)"
        case .signingKey(let error): "\(error)"
        case .web(let error): "\(error)"
        }
    }
}

/// `qingling serve`: one process that owns the log's writer, keeps the projections in memory
/// and answers the API of `docs/api.md` for signed-in accounts.
public enum QinglingService {
    /// The service's application, ready to run: on SIGTERM or SIGINT it stops taking requests,
    /// finishes those in flight, then syncs the log and saves the projections' checkpoint.
    public static func application(_ configuration: ServiceConfiguration, logger: Logger, metrics: ServiceMetrics = ServiceMetrics(),
                                   onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) throws(ServiceStartError) -> some ApplicationProtocol {
        let accounts: AccountStore
        do throws(AccountError) {
            accounts = try AccountStore(path: configuration.accountsPath, reference: configuration.reference)
        } catch {
            throw .accounts(error)
        }
        var signingKey: Curve25519.Signing.PrivateKey?
        if let path = configuration.signingKeyPath {
            do throws(ArchiveError) {
                signingKey = try SigningKeys.loadSigningKey(path, forLog: configuration.logDirectory)
            } catch {
                throw .signingKey(error)
            }
        }
        let templates: WebTemplates
        do throws(WebTemplateError) { templates = try WebTemplates.load() } catch { throw .web(error) }
        let ledger: LiveLedger
        do throws(ProjectionError) {
            // On the clock kind the log was created with (a demo's log is simulated: `LogOptions.continuing`).
            let options: LogOptions
            do throws(LogError) { options = try LogOptions.continuing(configuration.logDirectory) } catch { throw .store(.log(error)) }
            ledger = try LiveLedger(directory: configuration.logDirectory, reference: configuration.reference, options: options,
                                    signingKey: signingKey, vault: configuration.vault)
        } catch {
            throw .log(error)
        }
        let router = router(ledger: ledger, accounts: accounts, metrics: metrics, configuration: configuration, web: templates)
        return Application(
            router: router,
            // A connection silent this long is closed, so a half-sent request cannot hold the
            // server (or its graceful shutdown) for ever.
            server: .http1(configuration: .init(idleTimeout: .seconds(ServiceLimits.connectionIdleSeconds))),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "qingling"),
            services: [LedgerShutdown(ledger: ledger, logger: logger),
                       CheckpointSaver(ledger: ledger, interval: configuration.checkpointInterval, logger: logger)],
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }

    /// The routes, under `/api/v1`, and with `web` the web pages (`WebRoutes`, `docs/web.md`).
    static func router(ledger: LiveLedger, accounts: AccountStore, metrics: ServiceMetrics, configuration: ServiceConfiguration,
                       web: WebTemplates? = nil) -> Router<ServiceContext> {
        let sessions = SessionRegistry()
        let router = Router(context: ServiceContext.self)
        router.add(middleware: RequestMetrics(metrics: metrics))
        router.add(middleware: ErrorShape())
        router.add(middleware: ClientAddressMiddleware(trustedProxies: configuration.trustedProxies))
        router.add(middleware: SessionAuthenticator(sessions: sessions, accounts: AccountCache(store: accounts)))
        let api = router.group("api/v1")
        let auth = AuthRoutes(sessions: sessions, accounts: accounts, throttle: LoginThrottle(), metrics: metrics, secure: configuration.behindTLS)
        api.get("healthz") { _, _ in
            // Whether appends are taken: a writer stopped by a failure of the log says so (503).
            await ledger.stopped == nil ? JSONResponse.raw(#"{"status":"ok"}"#)
                : JSONResponse.raw(#"{"status":"writer-stopped"}"#, status: .serviceUnavailable)
        }
        api.post("login", use: auth.login)
        api.get("openapi.json") { _, _ in JSONResponse.raw(OpenAPIDocument.json) }
        let signedIn = api.group().add(middleware: RequireSignIn())
        signedIn.post("logout", use: auth.logout)
        signedIn.get("me", use: auth.me)
        let events = EventRoutes(ledger: ledger, commits: GroupCommit(ledger: ledger), metrics: metrics, reference: configuration.reference)
        signedIn.post("events", use: events.append)
        let audit = AuditRecorder(trail: accounts.audit)
        let hazards = HazardRoutes(ledger: ledger, reference: configuration.reference)
        signedIn.get("hazards", use: HazardLedgerRoutes(ledger: ledger, reference: configuration.reference).list)
        signedIn.get("hazards/:id", use: hazards.hazard)
        signedIn.get("tipoffs/:id", use: TipOffRoutes(ledger: ledger, audit: audit).tipOff)
        let attachments = AttachmentRoutes(ledger: ledger, store: ledger.blobs, reference: configuration.reference)
        signedIn.post("attachments", use: attachments.upload)
        signedIn.get("attachments/:sha256", use: attachments.download)
        signedIn.post("tipoffs/:id/reveal", use: RevealRoutes(ledger: ledger, audit: audit).reveal)
        let figures = FigureRoutes(ledger: ledger, reference: configuration.reference, audit: audit)
        signedIn.get("stats", use: figures.stats)
        signedIn.get("overdue", use: figures.overdue)
        signedIn.get("targets", use: figures.targets)
        signedIn.get("ranking", use: figures.ranking)
        signedIn.get("penalties", use: figures.penalties)
        signedIn.get("rewards", use: figures.rewards)
        signedIn.get("trace", use: TraceRoutes(ledger: ledger, reference: configuration.reference).trace)
        let reminders = ReminderRoutes(ledger: ledger, reference: configuration.reference)
        signedIn.get("reminders", use: reminders.reminders)
        let log = LogRoutes(ledger: ledger)
        signedIn.get("head", use: log.head)
        signedIn.get("events", use: log.events)
        signedIn.get("events/stream", use: EventStream(ledger: ledger, content: .events).stream)
        signedIn.get("events/changes", use: EventStream(ledger: ledger, content: .lengths).stream)
        router.group().add(middleware: RequireSignIn()).get("metrics") { _, context in
            try LogRoutes.requireCountyOffice(context)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.text())))
        }
        if let web {
            WebRoutes(templates: web, auth: auth, hazards: hazards, reminders: reminders, ledger: ledger, figures: figures, events: events).add(to: router)
        }
        return router
    }
}

/// Closes the ledger after the server has stopped taking requests: the service group shuts
/// services down in reverse order, and the server comes after this one.
struct LedgerShutdown: Service {
    let ledger: LiveLedger
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        do {
            if let failure = try await ledger.close() {
                logger.error("log synced and closed; saving the projections checkpoint failed", metadata: ["error": "\(failure)"])
            } else {
                logger.info("log synced and closed; projections checkpoint saved")
            }
        } catch {
            logger.error("closing the log failed", metadata: ["error": "\(error)"])
            throw error
        }
    }
}
