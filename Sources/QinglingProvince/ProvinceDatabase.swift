import Logging
import PostgresNIO

/// One connection to the province's database, with PostgreSQL's errors turned into
/// `ProvinceError`s that say what failed.
public final class ProvinceDatabase: @unchecked Sendable {
    public let location: PostgresLocation
    let connection: PostgresConnection
    let logger: Logger

    private init(location: PostgresLocation, connection: PostgresConnection, logger: Logger) {
        self.location = location
        self.connection = connection
        self.logger = logger
    }

    /// Connects, or says why not (no server there, a refused password).
    public static func connect(_ location: PostgresLocation) async throws(ProvinceError) -> ProvinceDatabase {
        var logger = Logger(label: "qingling.province")
        logger.logLevel = .critical
        do {
            let connection = try await PostgresConnection.connect(configuration: location.configuration, id: 1, logger: logger)
            return ProvinceDatabase(location: location, connection: connection, logger: logger)
        } catch {
            throw describe(error, location: location, during: "connecting")
        }
    }

    /// Closes the connection.
    public func close() async {
        try? await connection.close()
    }

    /// Runs `query` and returns its rows, or a `ProvinceError` naming `during`.
    @discardableResult
    func run(_ query: PostgresQuery, during: String) async throws(ProvinceError) -> [PostgresRow] {
        do {
            var rows: [PostgresRow] = []
            for try await row in try await connection.query(query, logger: logger) { rows.append(row) }
            return rows
        } catch {
            throw Self.describe(error, location: location, during: during)
        }
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
        do {
            try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
                // In pieces: the server parses one while the next is sent.
                for start in stride(from: 0, to: rows.count, by: Self.copyChunkBytes) {
                    try await writer.write(ByteBuffer(bytes: rows[start..<min(start + Self.copyChunkBytes, rows.count)]))
                }
            }
        } catch {
            throw Self.describe(error, location: location, during: during)
        }
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
        case (.server, _):
            return .server(during: during, reason: [message, state.map { "SQLSTATE \($0)" }].compactMap { $0 }.joined(separator: ", "))
        case (.connectionError, _):
            return .cannotConnect(address: location.address, reason: psql.underlying.map { "\($0)" } ?? "connection failed")
        case (.authMechanismRequiresPassword, _):
            return .authentication(address: location.address, user: location.user, reason: "the server asks for a password and --postgres gives none")
        case (.serverClosedConnection, _), (.uncleanShutdown, _):
            return .server(during: during, reason: "the server closed the connection")
        default:
            return .server(during: during, reason: "\(psql.code)")
        }
    }
}
