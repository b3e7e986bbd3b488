import Hummingbird
import HTTPTypes
import QinglingAccounts
import QinglingEvents
import QinglingEvidence
import QinglingWorkflow

/// Evidence files (`docs/evidence.md`): `POST /attachments` stores one (the raw body; its
/// type is read from its bytes, whatever `Content-Type` says) for the roles that record
/// reports, rectifications, verifications or penalties; `GET /attachments/{sha256}` gives it
/// back to whoever may see a hazard or penalty naming it, and answers 404 to anyone else, the
/// same as for a file never stored.
struct AttachmentRoutes {
    let ledger: LiveLedger
    let store: BlobStore
    let reference: ReferenceData

    /// The roles that record one of the events carrying attachments.
    static let uploaders: Set<Role> = [.enterprise, .town, .department, .committee]

    func upload(_ request: Request, context: ServiceContext) async throws -> Response {
        guard let account = context.identity?.account else { throw APIError.unauthorized }
        guard Self.uploaders.contains(account.role) else {
            throw APIError(.forbidden, "read-only", request.language.pick(
                zh: "\(account.role.rawValue) 账户只读，不上传附件", en: "the \(account.role.rawValue) account reads only; it stores no attachments"))
        }
        // Read as it arrives. Past the limit nothing more is kept, but the rest is read (up to
        // twice the limit) so that the client, still sending, gets the 413 rather than a reset.
        var body: [UInt8] = []
        var received = 0
        for try await chunk in request.body {
            received += chunk.readableBytes
            if received > 2 * Int(Attachment.maxBytes) { break }
            if received <= Int(Attachment.maxBytes) { body.append(contentsOf: chunk.readableBytesView) }
        }
        guard received <= Int(Attachment.maxBytes) else {
            throw Self.apiError(.tooLarge(bytes: Int64(received)), language: request.language)
        }
        let stored: BlobStore.Stored
        do throws(BlobError) { stored = try store.store(body) } catch {
            throw Self.apiError(error, language: request.language)
        }
        var output = JSONOutput()
        EventJSONEncoder.attachment(stored.attachment, to: &output)
        return JSONResponse.raw(String(decoding: output.bytes, as: UTF8.self), status: stored.created ? .created : .ok)
    }

    func download(_ request: Request, context: ServiceContext) async throws -> Response {
        guard let account = context.identity?.account else { throw APIError.unauthorized }
        let hash = try context.parameters.require("sha256")
        guard Attachment.isSHA256(hash) else { throw APIError.notFound }
        guard try await visible(hash, to: account, language: request.language) else { throw APIError.notFound }
        let bytes: [UInt8]
        do throws(BlobError) { bytes = try store.read(hash) } catch {
            if case .notFound = error { throw APIError.notFound }
            throw Self.apiError(error, language: request.language)
        }
        guard let type = AttachmentMediaType(sniffing: bytes) else { throw APIError.notFound }
        var headers: HTTPFields = [
            .contentType: type.rawValue,
            HTTPField.Name("X-Content-Type-Options") ?? .contentType: "nosniff",
            .cacheControl: "private, max-age=31536000, immutable",
        ]
        let disposition = type.isImage ? "inline" : "attachment"
        headers[.contentDisposition] = "\(disposition); filename=\"\(hash.prefix(16)).\(type.fileExtension)\""
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Whether `account` may see an event naming `hash`: a hazard's event when it sees the
    /// hazard (`ReadScope`); a penalty when its scope is the county, it is the penalised
    /// enterprise, or it sees a hazard the penalty names.
    func visible(_ hash: String, to account: Account, language: Language) async throws -> Bool {
        let events: [StoredEvent]
        switch await ledger.attachmentEvents(hash) {
        case .success(let found): events = found
        case .failure(let error): throw EventRoutes.apiError(error, language: language)
        }
        let scope = ReadScope(account: account, reference: reference)
        if !scope.isNarrow { return !events.isEmpty }
        let named = events.reduce(into: Set<String>()) { $0.formUnion($1.event.body.hazardIds) }
        let records: [HazardRecord]
        switch await ledger.records(named) {
        case .success(let found): records = found
        case .failure(let error): throw EventRoutes.apiError(error, language: language)
        }
        let seen = Set(records.filter(scope.sees).map(\.hazardId))
        return events.contains { stored in
            if case .penaltyImposed(let penalty) = stored.event.body {
                return (account.role == .enterprise && penalty.enterprise.creditCode == account.organization.id)
                    || penalty.hazardIds.contains(where: seen.contains)
            }
            return stored.event.body.hazardId.map(seen.contains) ?? false
        }
    }

    static func apiError(_ error: BlobError, language: Language) -> APIError {
        switch error {
        case .tooLarge:
            return APIError(.contentTooLarge, "too-large", language.pick(
                zh: "附件最大 \(Attachment.maxBytes) 字节（20 MiB）", en: "the file is larger than the \(Attachment.maxBytes) bytes (20 MiB) an attachment may hold"))
        case .empty, .unsupportedType:
            return APIError(.unsupportedMediaType, "unsupported-type", language.pick(
                zh: "附件须为 JPEG、PNG 或 PDF 文件（按文件内容判断）", en: error.description))
        case .notFound:
            return APIError.notFound
        case .damaged:
            return APIError(.internalServerError, "damaged", language.pick(
                zh: "附件已损坏，未返回；请联系管理员从归档恢复", en: "the stored file is damaged and is not returned; ask the operator to restore it from the archive"))
        case .io:
            return APIError(.serviceUnavailable, "io", language.pick(zh: "附件库暂时无法读写；请稍后重试", en: "the blob store cannot be read or written just now; try again"))
        }
    }
}
