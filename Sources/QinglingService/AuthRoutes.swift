import Foundation
import Hummingbird
import NIOPosix
import QinglingAccounts
import QinglingAudit

/// `POST /login`, `POST /logout`, `GET /me`. Sign-ins, failed sign-ins and sign-outs go to the
/// audit log; a sign-in that cannot be recorded there is refused.
struct AuthRoutes {
    let sessions: SessionRegistry
    let accounts: AccountStore
    let throttle: LoginThrottle
    let metrics: ServiceMetrics
    /// Whether the service is reached over TLS (the cookie is then `Secure`).
    let secure: Bool

    /// Who is signed in, as `/login` and `/me` answer.
    struct Identity: Codable, Equatable {
        struct Organization: Codable, Equatable {
            var kind: String
            var id: String
            var name: String
        }
        struct Person: Codable, Equatable {
            var id: String
            var name: String
        }
        var login: String
        var role: String
        var organization: Organization
        var person: Person
        /// Given at login only: the session's token and the CSRF token a cookie-signed write repeats.
        var token: String?
        var csrfToken: String?

        init(_ account: Account, token: String? = nil, csrfToken: String? = nil) {
            login = account.login
            role = account.role.rawValue
            organization = Organization(kind: account.organization.kind.rawValue, id: account.organization.id, name: account.organization.name)
            person = Person(id: account.person.id, name: account.person.name)
            self.token = token
            self.csrfToken = csrfToken
        }
    }

    /// Why a sign-in was refused (`signIn`).
    enum SignInRefusal: Error {
        /// Too many failed sign-ins of this login or from this address: wait this many seconds.
        case throttled(seconds: Int64)
        /// A wrong login or password, or a disabled account (not told apart).
        case badCredentials
        case accountsUnavailable
        case auditUnavailable
    }

    /// A sign-in: the account and its new session's token and CSRF token.
    struct SignInGranted {
        var account: Account
        var token: SessionToken
        var csrfToken: String
    }

    /// Checks `login` and `password` under the throttle, audits the attempt and begins a
    /// session: what `POST /api/v1/login` and the login page share.
    func signIn(login: String, password: String, context: ServiceContext) async throws(SignInRefusal) -> SignInGranted {
        let address = context.clientAddress
        if let wait = await throttle.wait(login: login, address: address) {
            metrics.loginsThrottled.increment()
            throw .throttled(seconds: max(1, wait.components.seconds))
        }
        let accounts = self.accounts
        // bcrypt takes a quarter of a second: not on the request's own executor.
        let account: Account?
        do {
            account = try await NIOThreadPool.singleton.runIfActive {
                try accounts.authenticate(login: login, password: password)
            }
        } catch {
            context.logger.error("the accounts database cannot be read", metadata: ["error": "\(error)"])
            throw .accountsUnavailable
        }
        guard let account else {
            await throttle.failed(login: login, address: address)
            metrics.loginsFailed.increment()
            context.logger.notice("login failed", metadata: ["login": "\(login.prefix(64))", "address": "\(address)"])
            if let error = await audit(AuditEntry(.signInFailed, by: login, address: address)) {
                context.logger.error("a failed sign-in could not be audited", metadata: ["error": "\(error)"])
            }
            throw .badCredentials
        }
        if let error = await audit(AuditEntry(.signedIn, by: account.login, address: address)) {
            context.logger.error("a sign-in could not be audited; refused", metadata: ["error": "\(error)"])
            throw .auditUnavailable
        }
        await throttle.succeeded(login: account.login)
        metrics.loginsSucceeded.increment()
        let (token, csrf) = sessions.begin(login: account.login, credentialsVersion: account.credentialsVersion)
        return SignInGranted(account: account, token: token, csrfToken: csrf)
    }

    /// Ends the session of `signedIn` and audits it: what `POST /api/v1/logout` and the logout
    /// form share.
    func signOut(_ signedIn: SignedIn, context: ServiceContext) async {
        sessions.end(signedIn.token)
        if let error = await audit(AuditEntry(.signedOut, by: signedIn.account.login, address: context.clientAddress)) {
            context.logger.error("a sign-out could not be audited", metadata: ["error": "\(error)"])
        }
    }

    /// The session cookie of `token` (HttpOnly, SameSite=Strict; Secure behind TLS).
    func sessionCookie(_ token: SessionToken) -> String {
        Cookie(name: ServiceLimits.cookieName, value: token.text, maxAge: Int(ServiceLimits.sessionLifetime.components.seconds),
               path: "/", secure: secure, httpOnly: true, sameSite: .strict).description
    }

    /// The cookie that clears the session cookie.
    var expiredSessionCookie: String {
        Cookie(name: ServiceLimits.cookieName, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .strict).description
    }

    func login(_ request: Request, context: ServiceContext) async throws -> Response {
        // Only JSON: a cross-site form (text/plain) cannot sign a browser in to another account.
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true else {
            throw APIError(.unsupportedMediaType, "content-type", "POST /login takes Content-Type: application/json")
        }
        guard let credentials = try await JSONObjectBody.strings(request, ["login", "password"]) else {
            throw APIError(.badRequest, "bad-request", "the body must be JSON {\"login\": \"…\", \"password\": \"…\"} and nothing else")
        }
        let granted: SignInGranted
        do throws(SignInRefusal) {
            granted = try await signIn(login: credentials[0], password: credentials[1], context: context)
        } catch {
            switch error {
            case .throttled(let seconds):
                var response = try APIError(.tooManyRequests, "too-many-failures", request.language.pick(
                    zh: "登录失败次数过多；请 \(seconds) 秒后再试", en: "too many failed logins; try again in \(seconds) s")).response(from: request, context: context)
                response.headers[.retryAfter] = String(seconds)
                return response
            case .badCredentials:
                throw APIError(.unauthorized, "bad-credentials", request.language.pick(
                    zh: "登录名或密码错误，或账户已停用", en: "the login or the password is wrong, or the account is disabled"))
            case .accountsUnavailable: throw APIError.accountsUnavailable
            case .auditUnavailable: throw APIError.auditUnavailable
            }
        }
        var response = try JSONResponse.encode(Identity(granted.account, token: granted.token.text, csrfToken: granted.csrfToken))
        response.headers[values: .setCookie].append(sessionCookie(granted.token))
        return response
    }

    func logout(_ request: Request, context: ServiceContext) async throws -> Response {
        guard let signedIn = context.identity else { throw APIError.unauthorized }
        await signOut(signedIn, context: context)
        var response = Response(status: .noContent)
        response.headers[values: .setCookie].append(expiredSessionCookie)
        return response
    }

    /// Records `entry` in the audit log; returns why it could not.
    private func audit(_ entry: AuditEntry) async -> AuditError? {
        await AuditRecorder(trail: accounts.audit).record(entry)
    }

    func me(_ request: Request, context: ServiceContext) async throws -> Response {
        guard let signedIn = context.identity else { throw APIError.unauthorized }
        return try JSONResponse.encode(Identity(signedIn.account))
    }
}

/// JSON answers, encoded the same way everywhere.
enum JSONResponse {
    static func encode(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    static func raw(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// A JSON document already written as UTF-8 bytes.
    static func raw(_ bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
