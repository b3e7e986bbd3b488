import Foundation
import PostgresNIO

/// Where the province's database is: parsed from `postgres://USER:PASSWORD@HOST:PORT/DATABASE`
/// (`postgresql://` too). The password is kept for connecting only; `address` never shows it.
public struct PostgresLocation: Sendable {
    public let host: String
    public let port: Int
    public let user: String
    let password: String?
    public let database: String

    /// `host:port/database`, for messages.
    public var address: String { "\(host):\(port)/\(database)" }

    public init(url text: String) throws(ProvinceError) {
        guard let components = URLComponents(string: text) else { throw .badURL(reason: "not a URL") }
        guard let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme.lowercased()) else {
            throw .badURL(reason: "the scheme must be postgres:// or postgresql://")
        }
        guard let host = components.host, !host.isEmpty else { throw .badURL(reason: "no host") }
        guard let user = components.user, !user.isEmpty else { throw .badURL(reason: "no user name") }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else { throw .badURL(reason: "no database name after the host") }
        if let port = components.port, !(1...65_535).contains(port) { throw .badURL(reason: "port \(port) is out of range") }
        self.host = host
        self.port = components.port ?? 5432
        self.user = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database.removingPercentEncoding ?? database
    }

    /// The connection's configuration: plain TCP (a province's network; TLS is the server's
    /// `hostssl` and a tunnel's job here).
    var configuration: PostgresConnection.Configuration {
        PostgresConnection.Configuration(host: host, port: port, username: user, password: password, database: database, tls: .disable)
    }
}
