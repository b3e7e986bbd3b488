import Hummingbird
import NIOCore

/// Gives every error answer the one JSON shape of `APIError`, also those the framework makes
/// itself (an unknown route, a method a route does not take, a body too large) and any other
/// failure (500, logged, without details in the answer).
struct ErrorShape: RouterMiddleware {
    typealias Context = ServiceContext

    func handle(_ request: Request, context: ServiceContext, next: (Request, ServiceContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            throw APIError(error.status, Self.code(error.status), error.body ?? error.status.reasonPhrase)
        } catch is NIOTooManyBytesError {
            // A body read with a limit (`collect(upTo:)`, `collectBody(upTo:)`: an API request's,
            // a web form's) that turned out larger.
            throw APIError(.contentTooLarge, Self.code(.contentTooLarge), "the request body is larger than this route takes; nothing was done")
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            throw APIError(.internalServerError, "internal", "the request failed; the service's log has the details")
        }
    }

    private static func code(_ status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "not-found"
        case .methodNotAllowed: "method-not-allowed"
        case .contentTooLarge: "too-large"
        case .unauthorized: "unauthorized"
        default: status.code < 500 ? "bad-request" : "internal"
        }
    }
}
