import HTTPTypes
import Hummingbird

/// The one place where writes made by a browser are checked against cross-site request
/// forgery. A write signed in by cookie repeats its session's CSRF token, in the
/// `X-CSRF-Token` header (scripts, the API) or in the form field `csrf_token` (the web
/// pages' forms). The login form, made before any session, repeats the token of the
/// `qingling_login` cookie (SameSite=Strict: a form on another site posts without it).
enum CSRFCheck {
    /// The form field a web form carries the token in.
    static let formField = "csrf_token"
    /// The cookie the login form's token is kept in until a session begins.
    static let loginCookie = "qingling_login"

    /// Refuses (403 `csrf`) a write signed in by cookie without its session's token. The form
    /// body read to find the field stays in `request` for the route.
    static func write(_ request: inout Request, by signedIn: SignedIn, context: ServiceContext) async throws {
        guard signedIn.byCookie, request.method != .get, request.method != .head else { return }
        guard let presented = try await token(&request, context: context), presented == signedIn.csrfToken else {
            throw APIError(.forbidden, "csrf", "a write signed in by cookie must carry the session's CSRF token in the X-CSRF-Token header (given at login) or the form field csrf_token")
        }
    }

    /// Refuses (403 `csrf`) a login form whose token is not the one of its `qingling_login` cookie.
    static func loginForm(_ request: inout Request, context: ServiceContext) async throws -> FormBody {
        let form = try await FormBody.read(&request, context: context)
        guard let cookie = request.cookies[loginCookie]?.value, !cookie.isEmpty, form[formField] == cookie else {
            throw APIError(.forbidden, "csrf", "the login form must carry the token of its qingling_login cookie; reload the login page")
        }
        return form
    }

    /// The token a request presents: its header, else the form field of a form body.
    private static func token(_ request: inout Request, context: ServiceContext) async throws -> String? {
        if let header = request.headers[.csrfToken] { return header }
        guard FormBody.isForm(request) else { return nil }
        return try await FormBody.read(&request, context: context)[formField]
    }
}
