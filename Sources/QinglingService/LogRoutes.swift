import Foundation
import Hummingbird
import QinglingAccounts
import QinglingArchive
import QinglingEvents
import QinglingLog

/// `GET /head` and `GET /events?after=SEQ&limit=N`: where the log stands, and its events in
/// order, for the committee, analysts and archivists (followers and the province's copy).
struct LogRoutes {
    let ledger: LiveLedger

    /// The most events one `GET /events` answers; a follower asks again with `after`.
    static let pageLimit = 10_000

    func head(_ request: Request, context: ServiceContext) async throws -> Response {
        try Self.requireCountyOffice(context)
        let head: LogHead, signed: SignedHead?
        switch await ledger.head() {
        case .success(let found): (head, signed) = found
        case .failure(.log(let error)): throw EventRoutes.apiError(error, language: request.language)
        case .failure(.signing(let error)):
            context.logger.error("the head could not be signed", metadata: ["error": "\(error)"])
            throw APIError(.serviceUnavailable, "head-unsigned", "the head cannot be signed just now; try again")
        }
        var members = [JSONMember("size", .number(String(head.size))), JSONMember("chainHead", .string(head.chainHead.hexString))]
        if let last = head.lastSequence { members.append(JSONMember("lastSequence", .number(String(last)))) }
        if let recorded = head.lastRecordedAt { members.append(JSONMember("lastRecordedAt", .string(ShanghaiDateTime(microseconds: recorded).description))) }
        if let year = head.sealedYear { members.append(JSONMember("sealedYear", .number(String(year)))) }
        if let signed {
            // What `qingling head --sign` writes to its file, which `qingling verify --head` checks.
            members.append(JSONMember("signedHead", .object([
                JSONMember("head", .string(String(decoding: signed.statementBytes, as: UTF8.self))),
                JSONMember("signature", .string(signed.signature.hexString)),
            ])))
        }
        return JSONResponse.raw(JSONWriter.string(.object(members)))
    }

    func events(_ request: Request, context: ServiceContext) async throws -> Response {
        try Self.requireCountyOffice(context)
        let after = try Self.number(request, "after")
        let limit = try Self.number(request, "limit").map { Int(clamping: $0) } ?? 1000
        guard (1...Self.pageLimit).contains(limit) else {
            throw APIError(.badRequest, "bad-request", "limit is 1 to \(Self.pageLimit)")
        }
        let events: [StoredEvent]
        switch await ledger.events(after: after, limit: limit) {
        case .success(let found): events = found
        case .failure(let error): throw EventRoutes.apiError(error, language: request.language)
        }
        var body: [UInt8] = []
        for stored in events {
            EventJSONEncoder.write(stored, to: &body)
            body.append(UInt8(ascii: "\n"))
        }
        return Response(status: .ok, headers: [.contentType: "application/x-ndjson; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The whole log is for the county office only: the committee, analysts, archivists.
    static func requireCountyOffice(_ context: ServiceContext) throws {
        guard let role = context.identity?.account.role, isCountyOffice(role) else { throw APIError.notFound }
    }

    /// Whether `role` reads the log itself (head, events, the event stream, metrics).
    static func isCountyOffice(_ role: Role) -> Bool { [.committee, .analyst, .archivist].contains(role) }

    private static func number(_ request: Request, _ name: String) throws -> UInt64? {
        guard let text = request.uri.queryParameters[name[...]] else { return nil }
        guard let value = UInt64(text) else { throw APIError(.badRequest, "bad-request", "\(name) must be a whole number, not \(text)") }
        return value
    }
}
