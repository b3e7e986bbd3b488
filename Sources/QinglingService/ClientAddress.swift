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
    /// (`SocketAddress.ipAddress`); `nil` when it is no IP address.
    public static func normalizedAddress(_ text: String) -> String? {
        (try? SocketAddress(ipAddress: text, port: 0))?.ipAddress
    }
}

extension HTTPField.Name {
    /// The addresses a request passed through, each proxy appending its client's (de facto standard).
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
