import Hummingbird

/// `GET /login`, `POST /login`, `POST /logout`: the sign-in form and the logout form, over
/// the API's own sign-in (`AuthRoutes`: throttling, audit, sessions).
struct LoginPage {
    let templates: WebTemplates
    let auth: AuthRoutes

    struct View {
        var page: PageFrame
        var login: String
        var message: String?
        var csrfToken: String
    }

    /// The form; a browser already signed in goes home.
    func form(_ request: Request, context: ServiceContext) async throws -> Response {
        if context.identity != nil { return WebResponse.redirect(to: "/") }
        let token = request.cookies[CSRFCheck.loginCookie]?.value ?? ""
        return render(login: "", message: nil, token: token, status: .ok)
    }

    /// Signs in: home on success; else the form again, with the message and the login typed.
    func submit(_ request: Request, context: ServiceContext) async throws -> Response {
        var request = request
        let form = try await CSRFCheck.loginForm(&request, context: context)
        let login = form["login"] ?? ""
        let token = form[CSRFCheck.formField] ?? ""
        do throws(AuthRoutes.SignInRefusal) {
            let granted = try await auth.signIn(login: login, password: form["password"] ?? "", context: context)
            return WebResponse.redirect(to: "/", cookies: [auth.sessionCookie(granted.token), loginCookie("", maxAge: 0)])
        } catch {
            switch error {
            case .badCredentials:
                return render(login: login, message: "登录名或密码错误，或账户已停用。", token: token, status: .unauthorized)
            case .throttled(let seconds):
                var response = render(login: login, message: "登录失败次数过多；请 \(seconds) 秒后再试。", token: token, status: .tooManyRequests)
                response.headers[.retryAfter] = String(seconds)
                return response
            case .accountsUnavailable, .auditUnavailable:
                return render(login: login, message: "暂时无法登录，请稍后再试。", token: token, status: .serviceUnavailable)
            }
        }
    }

    /// Ends the session (the form carries its CSRF token) and shows the form.
    func logout(_ request: Request, context: ServiceContext) async throws -> Response {
        guard let signedIn = context.identity else { return WebResponse.redirect(to: "/login") }
        await auth.signOut(signedIn, context: context)
        return WebResponse.redirect(to: "/login", cookies: [auth.expiredSessionCookie])
    }

    /// The form, with `token` as its login CSRF token (a new one when empty, set as its cookie).
    private func render(login: String, message: String?, token: String, status: HTTPResponse.Status) -> Response {
        let fresh = token.isEmpty ? SessionToken.random().text : token
        let view = View(page: PageFrame(title: "登录", signedIn: nil), login: login, message: message, csrfToken: fresh)
        return WebResponse.page(templates.render(.login, view), status: status, cookies: [loginCookie(fresh, maxAge: 3600)])
    }

    /// The login form's CSRF cookie (`CSRFCheck.loginCookie`), sent back to `/login` only.
    private func loginCookie(_ value: String, maxAge: Int) -> String {
        Cookie(name: CSRFCheck.loginCookie, value: value, maxAge: maxAge, path: "/login", secure: auth.secure, httpOnly: true, sameSite: .strict).description
    }
}
