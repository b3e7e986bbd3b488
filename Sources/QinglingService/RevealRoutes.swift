import Hummingbird
import QinglingEvents
import QinglingWorkflow

/// `POST /tipoffs/{id}/reveal` with `{"reason"}`: a tip-off reporter's identity, for the
/// committee only (anyone else: 404, as for a tip-off never received). The reveal, with its
/// reason and who asked, is recorded in the audit log before the identity is opened; one that
/// cannot be recorded is refused (503). A destroyed key answers 410 `identity-destroyed`; a
/// service started without a key store answers 503 `keystore-not-configured`.
struct RevealRoutes {
    let ledger: LiveLedger
    let audit: AuditRecorder

    /// The longest reason taken (characters).
    static let maxReason = 500

    func reveal(_ request: Request, context: ServiceContext) async throws -> Response {
        guard let account = context.identity?.account else { throw APIError.unauthorized }
        guard account.role == .committee else { throw APIError.notFound }
        let id = try context.parameters.require("id")
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true else {
            throw APIError(.unsupportedMediaType, "content-type", "POST /tipoffs/{id}/reveal takes Content-Type: application/json")
        }
        guard let reason = try await JSONObjectBody.strings(request, ["reason"])?.first else {
            throw APIError(.badRequest, "bad-request", "the body must be JSON {\"reason\": \"…\"} and nothing else")
        }
        guard reason.contains(where: { !$0.isWhitespace }), reason.count <= Self.maxReason,
              !reason.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw APIError(.badRequest, "bad-request", "reason: 1 to \(Self.maxReason) characters, not blank, no control characters")
        }
        let events: [StoredEvent]
        switch await ledger.tipOff(id) {
        case .success(let found): events = found
        case .failure(let error): throw EventRoutes.apiError(error, language: request.language)
        }
        let received = events.lazy.compactMap { stored -> TipOffReceived? in
            if case .tipOffReceived(let tip) = stored.event.body { tip } else { nil }
        }.first
        guard let received, received.reporterSealed != nil else { throw APIError.notFound }
        guard let vault = ledger.vault else {
            throw APIError(.serviceUnavailable, "keystore-not-configured", "the service was started without a key store and master key: no identity can be revealed")
        }
        try await audit.recordReveal(context, subject: id, reason: reason)
        let identity: ReporterIdentity
        do throws(ReporterVault.RevealFailure) {
            identity = try vault.reveal(received)
        } catch {
            switch error {
            case .keyDestroyed:
                throw APIError(.gone, "identity-destroyed", "the reporter key of tip-off \(id) was destroyed: the identity can no longer be recovered")
            case .noSealedReporter:
                throw APIError.notFound
            case .keyMissing, .unopenable:
                context.logger.error("a sealed identity could not be opened", metadata: ["tipOff": "\(id)", "failure": "\(error)"])
                throw APIError(.internalServerError, "keystore", "the key store cannot open this identity; the administrator's log has the details")
            }
        }
        let answer = JSONValue.object([
            JSONMember("tipOffId", .string(id)),
            JSONMember("reporter", .object(identity.fields.map { JSONMember($0.key, .string($0.value)) })),
        ])
        // A person's identity: kept by no cache, the browser's or a proxy's.
        var response = JSONResponse.raw(JSONWriter.string(answer))
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
