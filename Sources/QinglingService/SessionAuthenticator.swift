import HTTPTypes
import Hummingbird
import HummingbirdAuth
import QinglingAccounts

/// Finds the session a request presents (`Authorization: Bearer TOKEN`, else the session
/// cookie) and signs the request in as its account, if the account is still enabled and its
/// password has not changed since the session began.
struct SessionAuthenticator: AuthenticatorMiddleware {
    typealias Context = ServiceContext
    let sessions: SessionRegistry
    let accounts: AccountCache

    func authenticate(request: Request, context: ServiceContext) async throws -> SignedIn? {
        let bearer = Self.bearerToken(request.headers[.authorization])
        guard let text = bearer ?? request.cookies[ServiceLimits.cookieName]?.value, !text.isEmpty else { return nil }
        let token = SessionToken(text: text)
        guard let session = sessions.use(token) else { return nil }
        let found: Account?
        do throws(AccountError) {
            found = try accounts.account(session.login)
        } catch {
            context.logger.error("the accounts database cannot be read", metadata: ["error": "\(error)"])
            throw APIError.accountsUnavailable
        }
        guard let account = found, !account.disabled, account.credentialsVersion == session.credentialsVersion else {
            sessions.end(token)
            return nil
        }
        return SignedIn(account: account, token: token, csrfToken: session.csrfToken, byCookie: bearer == nil)
    }

    /// The token of `Authorization: Bearer TOKEN` (the scheme in any case, RFC 9110 §11.1).
    static func bearerToken(_ authorization: String?) -> String? {
        guard let authorization, authorization.count > 7, authorization.prefix(7).lowercased() == "bearer " else { return nil }
        return String(authorization.dropFirst(7))
    }
}

/// Lets through only signed-in requests, and of those presented by cookie, writes only with
/// the session's CSRF token (`CSRFCheck`; a bearer token is never sent by a browser on its own,
/// so it needs none).
struct RequireSignIn: RouterMiddleware {
    typealias Context = ServiceContext

    func handle(_ request: Request, context: ServiceContext, next: (Request, ServiceContext) async throws -> Response) async throws -> Response {
        guard let signedIn = context.identity else { throw APIError.unauthorized }
        var request = request
        try await CSRFCheck.write(&request, by: signedIn, context: context)
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    /// The header a cookie-signed write repeats its session's CSRF token in.
    static let csrfToken = HTTPField.Name("X-CSRF-Token")!
}
