import Foundation
import Hummingbird

/// Every error the API answers: a status, a stable code, a message, and the problems found
/// (`{"error": CODE, "message": "…", "problems": [{"index", "eventId", "rule", "message"}]}`).
/// Never a stack trace or an internal path.
public struct APIError: Error, HTTPResponseError, Sendable {
    public struct Problem: Codable, Sendable, Equatable {
        /// The event's place in the request (from 0), when the problem is an event's.
        public var index: Int?
        public var eventId: String?
        /// The rule broken, a stable name (e.g. `syntax`, `actor`, `workflow`).
        public var rule: String
        public var message: String
    }

    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var problems: [Problem]

    /// An error answer; past `ServiceLimits.problemsListed` problems, the rest are counted in
    /// the message, not listed.
    init(_ status: HTTPResponse.Status, _ code: String, _ message: String, problems: [Problem] = []) {
        self.status = status
        self.code = code
        let unlisted = problems.count - ServiceLimits.problemsListed
        self.message = unlisted > 0 ? message + " (\(unlisted) more problem(s) not listed)" : message
        self.problems = Array(problems.prefix(ServiceLimits.problemsListed))
    }

    static let unauthorized = APIError(.unauthorized, "unauthorized", "sign in first: POST /api/v1/login, then send the token as Authorization: Bearer TOKEN")
    static let notFound = APIError(.notFound, "not-found", "no such resource")
    static let accountsUnavailable = APIError(.serviceUnavailable, "accounts-unavailable", "the accounts cannot be read just now; try again")
    static let auditUnavailable = APIError(.serviceUnavailable, "audit-unavailable", "the sign-in cannot be recorded in the audit log just now; try again")
    static let readUnaudited = APIError(.serviceUnavailable, "audit-unavailable", "this read of tip-off details cannot be recorded in the audit log just now; try again")

    private struct Body: Encodable {
        var error: String
        var message: String
        var problems: [Problem]
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try JSONResponse.encode(Body(error: code, message: message, problems: problems), status: status)
    }
}
