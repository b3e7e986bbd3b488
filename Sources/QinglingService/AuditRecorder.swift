import Foundation
import QinglingAudit

/// Writes the service's entries to the audit log (`AuditTrail`) on a queue of its own: each
/// write waits for `fdatasync`, and should hold up neither bcrypt's threads nor the request's
/// executor. An entry is on stable storage when `record` returns without an error.
struct AuditRecorder: Sendable {
    let trail: AuditTrail

    /// Records `entry`; returns why it could not.
    func record(_ entry: AuditEntry) async -> AuditError? {
        let trail = self.trail
        return await withCheckedContinuation { continuation in
            Self.queue.async {
                do throws(AuditError) {
                    try trail.record(entry)
                    continuation.resume(returning: nil)
                } catch {
                    continuation.resume(returning: error)
                }
            }
        }
    }

    /// Records that `context`'s account revealed tip-off `subject`'s reporter for `reason`
    /// (`AuditEntry.Kind.reporterRevealed`); throws 503 `audit-unavailable` when it cannot: a
    /// reveal that is not audited does not happen.
    func recordReveal(_ context: ServiceContext, subject: String, reason: String) async throws {
        guard let login = context.identity?.account.login else { throw APIError.unauthorized }
        let entry = AuditEntry(.reporterRevealed, by: login, subject: subject, address: context.clientAddress,
                               detail: "reason: " + reason)
        if let error = await record(entry) {
            context.logger.error("a reveal could not be audited; refused", metadata: ["error": "\(error)"])
            throw APIError.readUnaudited
        }
    }

    /// Records that `context`'s account read tip-off details (`AuditEntry.Kind.tipOffRead`):
    /// `subject` the tip-off read, if one; `detail` the route. Throws 503 `audit-unavailable`
    /// when it cannot: a read that is not audited is not answered.
    func recordTipOffRead(_ context: ServiceContext, subject: String?, detail: String) async throws {
        guard let login = context.identity?.account.login else { throw APIError.unauthorized }
        let entry = AuditEntry(.tipOffRead, by: login, subject: subject, address: context.clientAddress, detail: detail)
        if let error = await record(entry) {
            context.logger.error("a read of tip-off details could not be audited; refused", metadata: ["error": "\(error)"])
            throw APIError.readUnaudited
        }
    }

    private static let queue = DispatchQueue(label: "qingling.audit")
}
