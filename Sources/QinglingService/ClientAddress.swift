import HTTPTypes
import Hummingbird
import NIOCore

/// Sets `ServiceContext.clientAddress` (what failed logins are throttled by and the audit log
/// records): the connection's peer, unless the peer is one of the proxies the service was told
/// to trust (`--trusted-proxy`), whose `X-Forwarded-For` then names the client. Each proxy
/// appends the address it received the request from, so the list is read from the right, past
/// the trusted proxies; what a client wrote at its left is never believed.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = ServiceContext
    /// The trusted proxies' addresses, as `ServiceConfiguration.normalizedAddress` writes them.
    let trustedProxies: Set<String>

    init(trustedProxies: [String]) {
        self.trustedProxies = Set(trustedProxies.compactMap(ServiceConfiguration.normalizedAddress))
    }

    func handle(_ request: Request, context: ServiceContext, next: (Request, ServiceContext) async throws -> Response) async throws -> Response {
        guard trustedProxies.contains(context.clientAddress) else { return try await next(request, context) }
        var context = context
        context.clientAddress = forwardedClient(request.headers[values: .xForwardedFor]) ?? context.clientAddress
        return try await next(request, context)
    }

    /// The right-most address of the `X-Forwarded-For` lines that is not a trusted proxy; `nil`
    /// when there is none, or when that place holds no IP address (the proxy's own address
    /// then stands for the client).
    private func forwardedClient(_ lines: [String]) -> String? {
        let hops = lines.flatMap { $0.split(separator: ",") }
        for hop in hops.reversed() {
            guard let address = ServiceConfiguration.normalizedAddress(String(hop).trimmingCharacters(in: .whitespaces)) else { return nil }
            if !trustedProxies.contains(address) { return address }
        }
        return nil
    }
}

extension ServiceConfiguration {
    /// `text` as an IPv4 or IPv6 address in the form the service compares and records them
    /// (`SocketAddress.ipAddress`); `nil` when it is no IP address. A port some proxies add
    /// (`203.0.113.5:41234`, `[2001:db8::1]:443`) is dropped, and an IPv4 address as a
    /// dual-stack socket shows it (`::ffff:10.0.0.2`) is given as IPv4.
    public static func normalizedAddress(_ text: String) -> String? {
        func isPort(_ text: Substring) -> Bool { text.hasPrefix(":") && text.count > 1 && text.dropFirst().allSatisfy(\.isASCIIDigit) }
        var host = Substring(text)
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            let rest = host[host.index(after: close)...]
            guard rest.isEmpty || isPort(rest) else { return nil }
            host = host[host.index(after: host.startIndex)..<close]
        } else if host.filter({ $0 == ":" }).count == 1, let colon = host.firstIndex(of: ":") {
            guard isPort(host[colon...]) else { return nil }
            host = host[..<colon]
        }
        guard let address = (try? SocketAddress(ipAddress: String(host), port: 0))?.ipAddress else { return nil }
        let mapped = "::ffff:"
        if address.lowercased().hasPrefix(mapped), let ipv4 = try? SocketAddress(ipAddress: String(address.dropFirst(mapped.count)), port: 0),
           case .v4 = ipv4 {
            return ipv4.ipAddress
        }
        return address
    }
}

extension HTTPField.Name {
    /// The addresses a request passed through, each proxy appending its client's (de facto standard).
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
