import Foundation
import Hummingbird
import NIOPosix
import QinglingAccounts

/// `POST /login`, `POST /logout`, `GET /me`.
struct AuthRoutes {
    let sessions: SessionRegistry
    let accounts: AccountStore
    /// Whether the service is reached over TLS (the cookie is then `Secure`).
    let secure: Bool

    struct Credentials: Decodable {
        var login: String
        var password: String
    }

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

    func login(_ request: Request, context: ServiceContext) async throws -> Response {
        let credentials: Credentials
        do {
            credentials = try await request.decode(as: Credentials.self, context: context)
        } catch {
            throw APIError(.badRequest, "bad-request", "the body must be JSON {\"login\": \"…\", \"password\": \"…\"}")
        }
        let accounts = self.accounts
        // bcrypt takes a quarter of a second: not on the request's own executor.
        let account = try await NIOThreadPool.singleton.runIfActive {
            try accounts.authenticate(login: credentials.login, password: credentials.password)
        }
        guard let account else {
            throw APIError(.unauthorized, "bad-credentials", "the login or the password is wrong, or the account is disabled")
        }
        let (token, csrf) = await sessions.begin(login: account.login)
        var response = try JSONResponse.encode(Identity(account, token: token.text, csrfToken: csrf))
        let cookie = Cookie(name: ServiceLimits.cookieName, value: token.text, maxAge: Int(ServiceLimits.sessionLifetime.components.seconds),
                            path: "/", secure: secure, httpOnly: true, sameSite: .strict)
        response.headers[values: .setCookie].append(cookie.description)
        return response
    }

    func logout(_ request: Request, context: ServiceContext) async throws -> Response {
        guard let signedIn = context.identity else { throw APIError.unauthorized }
        await sessions.end(signedIn.token)
        var response = Response(status: .noContent)
        let expired = Cookie(name: ServiceLimits.cookieName, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
        response.headers[values: .setCookie].append(expired.description)
        return response
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
}
