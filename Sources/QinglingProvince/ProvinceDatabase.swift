import Foundation
import Logging
import NIOSSL
import PostgresNIO
import Synchronization

/// One connection to the province's database, with PostgreSQL's errors turned into
/// `ProvinceError`s that say what failed.
public final class ProvinceDatabase: @unchecked Sendable {
    public let location: PostgresLocation
    let connection: PostgresConnection
    let logger: Logger
    /// The operations under way, each to be given up when the connection closes.
    private let underWay = OperationsUnderWay()

    private init(location: PostgresLocation, connection: PostgresConnection, logger: Logger) {
        self.location = location
        self.connection = connection
        self.logger = logger
        connection.closeFuture.whenComplete { [underWay] _ in underWay.giveUpAll() }
    }

    /// Connects, or says why not (no server there, a refused password).
    public static func connect(_ location: PostgresLocation) async throws(ProvinceError) -> ProvinceDatabase {
        var logger = Logger(label: "qingling.province")
        logger.logLevel = .critical
        let configuration = try location.configuration()
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
            return ProvinceDatabase(location: location, connection: connection, logger: logger)
        } catch {
            throw describe(error, location: location, during: connecting)
        }
    }

    /// What `describe` is told while connecting.
    static let connecting = "connecting"

    /// Closes the connection.
    public func close() async {
        try? await connection.close()
    }

    /// Runs `query` and returns its rows, or a `ProvinceError` naming `during`.
    @discardableResult
    func run(_ query: PostgresQuery, during: String) async throws(ProvinceError) -> [PostgresRow] {
        let (connection, logger) = (self.connection, self.logger)
        return try await untilClosed(during: during) {
            var rows: [PostgresRow] = []
            for try await row in try await connection.query(query, logger: logger) { rows.append(row) }
            return rows
        }
    }

    /// Runs `operation`, but gives up as soon as the connection closes: an operation under way
    /// when the server ends the connection (a terminated backend) was seen never to finish.
    private func untilClosed<T: Sendable>(during: String, _ operation: @escaping @Sendable () async throws -> T) async throws(ProvinceError) -> T {
        let id = UUID()
        let closed = ProvinceError.connectionLost(during: during, reason: "the connection closed")
        let result: Result<T, any Error> = await withCheckedContinuation { continuation in
            let answered = Mutex(false)
            let answer: @Sendable (Result<T, any Error>) -> Void = { result in
                guard answered.withLock({ done in defer { done = true }; return !done }) else { return }
                continuation.resume(returning: result)
            }
            Task {
                do { answer(.success(try await operation())) } catch { answer(.failure(error)) }
            }
            // Given up, the operation is left to the closed connection, not cancelled: cancelling
            // the abandoned operation was followed once by a trap (SIGILL) in a ship under test.
            let giveUp: @Sendable () -> Void = { answer(.failure(closed)) }
            guard underWay.add(id, giveUp) else { return giveUp() }
        }
        underWay.remove(id)
        do { return try result.get() } catch { throw Self.describe(error, location: location, during: during) }
    }

    /// Runs `body` in one transaction: all of it is kept, or none.
    func transaction<Result: Sendable>(during: String, _ body: (ProvinceDatabase) async throws(ProvinceError) -> Result) async throws(ProvinceError) -> Result {
        try await run("BEGIN", during: during)
        do throws(ProvinceError) {
            let result = try await body(self)
            try await run("COMMIT", during: during)
            return result
        } catch {
            _ = try? await run("ROLLBACK", during: during)
            throw error
        }
    }

    static let copyChunkBytes = 1 << 20

    /// Streams text-format COPY data into `table`, a name without its schema (postgres-nio quotes
    /// it as one identifier): the caller sets the search path.
    func copy(into table: String, columns: [String], rows: [UInt8], during: String) async throws(ProvinceError) {
        guard !rows.isEmpty else { return }
        let (connection, logger) = (self.connection, self.logger)
        try await untilClosed(during: during) {
            try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
                // In pieces: the server parses one while the next is sent.
                for start in stride(from: 0, to: rows.count, by: Self.copyChunkBytes) {
                    await Self.parkIfClosed(connection)
                    do {
                        try await writer.write(ByteBuffer(bytes: rows[start..<min(start + Self.copyChunkBytes, rows.count)]))
                    } catch {
                        await Self.parkIfClosed(connection)
                        throw error
                    }
                }
                await Self.parkIfClosed(connection)
            }
        }
    }

    /// Suspends the calling task for good when `connection` is closed. postgres-nio (1.33.2)
    /// stops the program when a COPY writes, ends or fails on a closed connection (a
    /// precondition of its state machine, met in a ship whose connection the server ended);
    /// the copy given up (`untilClosed`) is left suspended instead, and the shipper goes on with
    /// a new connection.
    private static func parkIfClosed(_ connection: PostgresConnection) async {
        guard connection.isClosed else { return }
        await withUnsafeContinuation { (_: UnsafeContinuation<Void, Never>) in }
    }

    /// What a PostgreSQL client error means, in words, without the password or the statement's data.
    static func describe(_ error: any Error, location: PostgresLocation, during: String) -> ProvinceError {
        if let error = error as? ProvinceError { return error }
        guard let psql = error as? PSQLError else { return .server(during: during, reason: "\(error)") }
        let state = psql.serverInfo?[.sqlState]
        let message = psql.serverInfo?[.message]
        switch (psql.code, state) {
        case (.server, "28P01"?), (.server, "28000"?):
            return .authentication(address: location.address, user: location.user, reason: message ?? "authentication failed")
        case (.server, "3D000"?):
            return .cannotConnect(address: location.address, reason: message ?? "no such database")
        case (.server, let state?) where state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state):
            // Connection exceptions, and the server or an administrator ending the backend.
            return .connectionLost(during: during, reason: [message, "SQLSTATE \(state)"].compactMap { $0 }.joined(separator: ", "))
        case (.server, _):
            return .server(during: during, reason: [message, state.map { "SQLSTATE \($0)" }].compactMap { $0 }.joined(separator: ", "))
        case (.connectionError, _) where during == Self.connecting && location.tlsMode != .disable && psql.underlying is NIOSSLError:
            return .cannotConnect(address: location.address, reason: "TLS failed: \(psql.underlying.map { "\($0)" } ?? "") (sslmode=\(location.tlsMode.rawValue)); check sslrootcert and the host name")
        case (.connectionError, _) where during != Self.connecting, (.clientClosedConnection, _):
            return .connectionLost(during: during, reason: psql.underlying.map { "\($0)" } ?? "the connection failed")
        case (.connectionError, _):
            return .cannotConnect(address: location.address, reason: psql.underlying.map { "\($0)" } ?? "connection failed")
        case (.sslUnsupported, _):
            return .cannotConnect(address: location.address, reason: "the server does not offer TLS, which sslmode=\(location.tlsMode.rawValue) asks for")
        case (.authMechanismRequiresPassword, _):
            return .authentication(address: location.address, user: location.user, reason: "the server asks for a password and --postgres gives none")
        case (.serverClosedConnection, _), (.uncleanShutdown, _):
            return .connectionLost(during: during, reason: "the server closed the connection")
        default:
            return .server(during: during, reason: "\(psql.code)")
        }
    }
}

/// The operations under way on one connection, each given up when the connection closes.
final class OperationsUnderWay: Sendable {
    private let state = Mutex<(closed: Bool, giveUp: [UUID: @Sendable () -> Void])>((false, [:]))

    /// Keeps `giveUp` for the operation `id`; `false` when the connection has closed already.
    func add(_ id: UUID, _ giveUp: @escaping @Sendable () -> Void) -> Bool {
        state.withLock { state in
            if !state.closed { state.giveUp[id] = giveUp }
            return !state.closed
        }
    }

    /// Forgets the operation `id`, ended.
    func remove(_ id: UUID) {
        _ = state.withLock { $0.giveUp.removeValue(forKey: id) }
    }

    /// The connection closed: gives up every operation under way, and any added later.
    func giveUpAll() {
        let all = state.withLock { state in
            state.closed = true
            defer { state.giveUp = [:] }
            return Array(state.giveUp.values)
        }
        for giveUp in all { giveUp() }
    }
}
