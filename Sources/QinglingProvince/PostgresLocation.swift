import Foundation
import NIOSSL
import PostgresNIO

/// Where the province's database is, and how to reach it: parsed from
/// `postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=MODE&sslrootcert=FILE` (`postgresql://`
/// too; the parameters as libpq names them). The password is kept for connecting only;
/// `address` never shows it.
public struct PostgresLocation: Sendable {
    public let host: String
    public let port: Int
    public let user: String
    let password: String?
    public let database: String
    public let tlsMode: TLSMode
    /// The certificate authorities (PEM) a `verify-ca` or `verify-full` connection trusts; the
    /// system's when absent.
    public let rootCertificates: String?

    /// Whether and how the connection is encrypted (libpq's `sslmode`, but `allow`).
    public enum TLSMode: String, CaseIterable, Sendable {
        /// Plain TCP.
        case disable
        /// TLS if the server offers it, else plain TCP; the server's certificate is not checked.
        case prefer
        /// TLS or nothing; the server's certificate is not checked.
        case require
        /// TLS, with the server's certificate checked against the trusted authorities.
        case verifyCA = "verify-ca"
        /// TLS, with the certificate checked and naming the host: the only mode that stops a
        /// machine in the middle. Use it across networks.
        case verifyFull = "verify-full"
    }

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
        var mode = TLSMode.prefer
        var roots: String?
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value.flatMap(TLSMode.init(rawValue:)) else {
                    throw .badURL(reason: "sslmode=\(item.value?.prefix(20) ?? "") is not one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                mode = value
            case "sslrootcert":
                guard let value = item.value, !value.isEmpty else { throw .badURL(reason: "sslrootcert names no file") }
                roots = value
            default:
                throw .badURL(reason: "unknown parameter \(item.name.prefix(20)); known: sslmode, sslrootcert")
            }
        }
        if roots != nil, ![.verifyCA, .verifyFull].contains(mode) {
            throw .badURL(reason: "sslrootcert is for sslmode=verify-ca or verify-full")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.user = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database.removingPercentEncoding ?? database
        self.tlsMode = mode
        self.rootCertificates = roots
    }

    /// The connection's configuration, with its TLS context; a certificate file that cannot be
    /// read is a bad `--postgres`.
    func configuration() throws(ProvinceError) -> PostgresConnection.Configuration {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch tlsMode {
        case .disable, .prefer, .require: tls.certificateVerification = .none
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        case .verifyFull: tls.certificateVerification = .fullVerification
        }
        if let rootCertificates { tls.trustRoots = .file(rootCertificates) }
        let context: NIOSSLContext
        do { context = try NIOSSLContext(configuration: tls) } catch {
            throw .badURL(reason: "sslrootcert=\(rootCertificates ?? ""): cannot read the certificates (\(error))")
        }
        let mode: PostgresConnection.Configuration.TLS = switch tlsMode {
        case .disable: .disable
        case .prefer: .prefer(context)
        case .require, .verifyCA, .verifyFull: .require(context)
        }
        return PostgresConnection.Configuration(host: host, port: port, username: user, password: password, database: database, tls: mode)
    }
}
