import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import QinglingService
import QinglingEvents
import Testing

/// `POST /api/v1/attachments` and `GET /api/v1/attachments/{sha256}`: evidence files stored by
/// the roles that record, given back within the scope of the hazards and penalties naming them.
@Suite struct AttachmentRouteTests {
    static let photo: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + [UInt8](repeating: 0x42, count: 1_000)
    static let decision: [UInt8] = Array("%PDF-1.7\n".utf8) + [UInt8](repeating: 0x43, count: 700)

    static func upload(_ client: any TestClientProtocol, _ bytes: [UInt8], _ token: String?, type: String = "application/octet-stream") async throws -> TestResponse {
        try await client.execute(uri: "/api/v1/attachments", method: .post,
                                 headers: [.authorization: "Bearer \(token ?? "")", .contentType: type], body: ByteBuffer(bytes: bytes))
    }

    static func append(_ client: any TestClientProtocol, _ token: String?, _ line: String) async throws -> TestResponse {
        try await client.execute(uri: "/api/v1/events", method: .post,
                                 headers: [.authorization: "Bearer \(token ?? "")", .contentType: "application/x-ndjson"], body: ByteBuffer(string: line))
    }

    @Test func anUploadIsStoredOnceAndRefusedForReadersAndWrongTypes() async throws {
        let county = try LedgerCounty()
        try await county.run { client, tokens in
            let first = try await Self.upload(client, Self.photo, tokens["ent.one"], type: "text/plain")
            #expect(first.status == .created)
            let object = try LedgerCounty.object(first)
            #expect(object["mediaType"] as? String == "image/jpeg" && object["size"] as? Int == Self.photo.count && object["caption"] as? String == "")
            #expect((object["sha256"] as? String)?.count == 64)
            #expect(try await Self.upload(client, Self.photo, tokens["town.taolin"]).status == .ok)
            for login in ["analyst", "archivist"] {
                #expect(try await Self.upload(client, Self.photo, tokens[login]).status == .forbidden, "\(login)")
            }
            let gif = try await Self.upload(client, Array("GIF89a-not-accepted".utf8), tokens["dept.yjj"], type: "image/jpeg")
            #expect(gif.status == .unsupportedMediaType)
            #expect(try await Self.upload(client, [], tokens["dept.yjj"]).status == .unsupportedMediaType)
            #expect(try await Self.upload(client, Self.photo, nil).status == .unauthorized)
        }
    }

    @Test func aFileIsGivenToWhoeverSeesAHazardOrPenaltyNamingItAndToNobodyElse() async throws {
        let county = try LedgerCounty()
        try await county.run { client, tokens in
            let photo = try LedgerCounty.object(try await Self.upload(client, Self.photo, tokens["dept.yjj"]))
            let decision = try LedgerCounty.object(try await Self.upload(client, Self.decision, tokens["dept.yjj"]))
            let photoHash = try #require(photo["sha256"] as? String), decisionHash = try #require(decision["sha256"] as? String)
            // Not yet named by any event: nobody gets it.
            #expect(try await client.get("/api/v1/attachments/\(photoHash)", tokens["dept.yjj"]).status == .notFound)
            let one = LedgerCounty.enterpriseOne
            let report = #"{"eventId":"r-att","type":"HazardReported","occurredAt":"2024-08-01T10:00:00+08:00","data":{"hazardId":"LX-2024-0006","enterprise":{"creditCode":"\#(one)","name":"临湘市桃林烟花爆竹有限公司"},"region":"桃林镇","industry":"烟花爆竹","criterionClause":"第三条","description":"库房超量","source":"departmentInspection","discoveredOn":"2024-08-01","attachments":[{"sha256":"\#(photoHash)","size":\#(Self.photo.count),"mediaType":"image/jpeg","caption":"库房现场"}]}}"#
            let appended = try await Self.append(client, tokens["dept.yjj"], report)
            #expect(appended.status == .ok, "\(String(buffer: appended.body))")
            let penalty = #"{"eventId":"p-att","type":"PenaltyImposed","occurredAt":"2024-08-02T10:00:00+08:00","data":{"enterprise":{"creditCode":"\#(one)","name":"临湘市桃林烟花爆竹有限公司"},"kind":"warning","amountFen":0,"legalBasis":"安全生产法","caseNumber":"罚-2024-09","attachments":[{"sha256":"\#(decisionHash)","size":\#(Self.decision.count),"mediaType":"application/pdf","caption":"处罚决定书"}]}}"#
            #expect(try await Self.append(client, tokens["dept.yjj"], penalty).status == .ok)

            for login in ["dept.yjj", "committee", "analyst", "archivist", "ent.one", "town.taolin"] {
                let response = try await client.get("/api/v1/attachments/\(photoHash)", tokens[login])
                #expect(response.status == .ok, "\(login)")
                #expect(Array(response.body.readableBytesView) == Self.photo, "\(login)")
                #expect(response.headers[.contentType] == "image/jpeg")
                #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            }
            for login in ["ent.two", "town.zhongfang"] {
                let response = try await client.get("/api/v1/attachments/\(photoHash)", tokens[login])
                #expect(response.status == .notFound, "\(login)")
                #expect(try LedgerCounty.object(response)["error"] as? String == "not-found")
            }
            // The penalty's decision: the penalised enterprise and the county, not another enterprise.
            let pdf = try await client.get("/api/v1/attachments/\(decisionHash)", tokens["ent.one"])
            #expect(pdf.status == .ok && pdf.headers[.contentType] == "application/pdf")
            #expect(pdf.headers[.contentDisposition]?.hasPrefix("attachment; filename=") == true)
            #expect(try await client.get("/api/v1/attachments/\(decisionHash)", tokens["ent.two"]).status == .notFound)
            #expect(try await client.get("/api/v1/attachments/\(decisionHash)", tokens["committee"]).status == .ok)
            // The hazard's file page (一患一档) shows the photo as a thumbnail with its caption.
            let page = try await client.get("/hazards/LX-2024-0006", tokens["ent.one"])
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains("<img src=\"/api/v1/attachments/\(photoHash)\" alt=\"库房现场\""), "\(html)")
            #expect(html.contains("证据材料") && html.contains("<span class=\"caption\">库房现场</span>"))
            #expect(!String(buffer: try await client.get("/hazards/LX-2024-0001", tokens["ent.one"]).body).contains("证据材料"))
            // An event naming a file never uploaded is refused, nothing written.
            let missing = String(repeating: "ab", count: 32)
            let unknown = #"{"eventId":"r-miss","type":"HazardReported","occurredAt":"2024-08-03T10:00:00+08:00","data":{"hazardId":"LX-2024-0007","enterprise":{"creditCode":"\#(one)","name":"临湘市桃林烟花爆竹有限公司"},"region":"桃林镇","industry":"烟花爆竹","criterionClause":"第三条","description":"库房超量","source":"departmentInspection","discoveredOn":"2024-08-03","attachments":[{"sha256":"\#(missing)","size":10,"mediaType":"image/png"}]}}"#
            let refused = try await Self.append(client, tokens["dept.yjj"], unknown)
            #expect(refused.status == .unprocessableContent, "\(String(buffer: refused.body))")
            #expect(String(buffer: refused.body).contains(missing))
            #expect(try await client.get("/api/v1/hazards/LX-2024-0007", tokens["dept.yjj"]).status == .notFound)
            // Unknown and malformed hashes: the same 404.
            #expect(try await client.get("/api/v1/attachments/\(String(repeating: "0", count: 64))", tokens["committee"]).status == .notFound)
            #expect(try await client.get("/api/v1/attachments/..%2F..%2Flog.meta", tokens["committee"]).status == .notFound)
        }
    }

    /// A file over the limit is refused with 413 (the route reads no more than twice the limit;
    /// a body of 20 MiB is not sent through the test server, which every suite shares).
    @Test func aFileOverTheLimitIs413AndAWrongTypeIs415() {
        #expect(AttachmentRoutes.apiError(.tooLarge(bytes: QinglingEvents.Attachment.maxBytes + 1), language: .en).status == .contentTooLarge)
        #expect(AttachmentRoutes.apiError(.unsupportedType(firstBytes: [0x47]), language: .en).status == .unsupportedMediaType)
        #expect(AttachmentRoutes.apiError(.empty, language: .zh).status == .unsupportedMediaType)
        #expect(AttachmentRoutes.apiError(.notFound(""), language: .en).status == .notFound)
    }
}
