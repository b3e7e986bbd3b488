import Hummingbird
import NIOCore

/// Lets through only signed-in requests to the pages, sending anyone else to `/login`; a form
/// posted with the session must carry its CSRF token (`CSRFCheck`, as the API's writes).
struct RequirePageSignIn: RouterMiddleware {
    typealias Context = ServiceContext

    func handle(_ request: Request, context: ServiceContext, next: (Request, ServiceContext) async throws -> Response) async throws -> Response {
        guard let signedIn = context.identity else { return WebResponse.redirect(to: "/login") }
        var request = request
        try await CSRFCheck.write(&request, by: signedIn, context: context)
        return try await next(request, context)
    }
}

/// Answers a page's failure as a plain page in Chinese rather than the API's JSON: one 404
/// page for a hazard outside the caller's scope and for one that does not exist, a refused
/// form, a failure (logged, without details on the page).
struct WebErrorPage: RouterMiddleware {
    typealias Context = ServiceContext
    let templates: WebTemplates

    struct View {
        var page: PageFrame
        var heading: String
        var message: String
    }

    func handle(_ request: Request, context: ServiceContext, next: (Request, ServiceContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return page(error.status, csrf: error.code == "csrf", context: context)
        } catch let error as HTTPError {
            return page(error.status, csrf: false, context: context)
        } catch is NIOTooManyBytesError {
            // A form read with a limit (`FormBody.read`) that turned out larger.
            return page(.contentTooLarge, csrf: false, context: context)
        } catch {
            context.logger.error("page failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return page(.internalServerError, csrf: false, context: context)
        }
    }

    private func page(_ status: HTTPResponse.Status, csrf: Bool, context: ServiceContext) -> Response {
        let (heading, message): (String, String) = switch status {
        case .notFound: ("未找到", "没有这个页面，或您无权查看。")
        case .forbidden where csrf: ("表单已失效", "表单缺少有效的安全令牌（可能已过期或来自其他网站）。请返回、刷新页面后重试。")
        case .forbidden: ("无权操作", "您的账户不能进行此操作。")
        case .contentTooLarge: ("提交内容过大", "请减少提交的内容后重试。")
        case .serviceUnavailable: ("暂时无法处理", "服务暂时无法处理此请求，请稍后重试。")
        default: status.code < 500 ? ("请求无效", "无法处理此请求。") : ("出错了", "处理请求时出错；详情见服务日志。")
        }
        let view = View(page: PageFrame(title: heading, signedIn: context.identity), heading: heading, message: message)
        return WebResponse.page(templates.render(.error, view), status: status)
    }
}
