import Foundation
import Testing
@testable import QinglingEvents

/// Codec version 2: the attachments of reports, rectifications, verifications and penalties,
/// in the binary stored form and the JSON interchange form; version 1 records still read.
@Suite struct AttachmentCodecTests {
    static let photo = QinglingEvents.Attachment(sha256: String(repeating: "0123456789abcdef", count: 4), size: 2_345_678, mediaType: .jpeg, caption: "整改后仓库")
    static let report = QinglingEvents.Attachment(sha256: String(repeating: "fedcba9876543210", count: 4), size: 98_765, mediaType: .pdf, caption: "")

    static func documents() throws -> [String] {
        try exampleDocuments("valid.jsonl").filter { line in
            guard let event = try? EventJSONDecoder.decode(try JSONParser.parse(line)).get() else { return false }
            return [.hazardReported, .hazardRectified, .hazardVerified, .penaltyImposed].contains(event.type)
        }
    }

    static func withAttachments(_ event: Event) -> Event {
        var event = event
        switch event.body {
        case .hazardReported(var e): e.attachments = [photo]; event.body = .hazardReported(e)
        case .hazardRectified(var e): e.attachments = [photo, report]; event.body = .hazardRectified(e)
        case .hazardVerified(var e): e.attachments = [report]; event.body = .hazardVerified(e)
        case .penaltyImposed(var e): e.attachments = [report]; event.body = .penaltyImposed(e)
        default: break
        }
        return event
    }

    @Test func attachmentsRoundTripThroughBothForms() throws {
        let documents = try Self.documents()
        #expect(documents.count >= 4)
        for document in documents {
            let event = Self.withAttachments(try EventJSONDecoder.decode(try JSONParser.parse(document)).get())
            #expect(!event.body.attachments.isEmpty)
            let bytes = EventBinaryCodec.encode(event)
            #expect(bytes[0] == 2)
            #expect(try EventBinaryCodec.decode(bytes) == event)
            #expect(throws: Never.self) { try bytes.withUnsafeBytes { raw in try Result { () throws(EventDecodingError) in try EventView(raw) }.get() } }
            let json = JSONWriter.string(EventJSONEncoder.encode(event))
            #expect(json.contains("\"attachments\":[{\"sha256\":\""))
            #expect(try EventJSONDecoder.decode(try JSONParser.parse(json)).get() == event)
        }
    }

    /// A version 1 record is the version 2 record without the trailing list: it reads as none.
    @Test func aVersionOneRecordReadsWithNoAttachments() throws {
        for document in try Self.documents() {
            let event = try EventJSONDecoder.decode(try JSONParser.parse(document)).get()
            var bytes = EventBinaryCodec.encode(event)
            #expect(bytes.last == 0, "an empty list is written as count 0")
            bytes.removeLast()
            bytes[0] = 1
            #expect(try EventBinaryCodec.decode(bytes) == event)
            #expect(throws: Never.self) { try bytes.withUnsafeBytes { raw in try Result { () throws(EventDecodingError) in try EventView(raw) }.get() } }
            // A version 2 record must carry the list.
            bytes[0] = 2
            #expect(throws: EventDecodingError.self) { try EventBinaryCodec.decode(bytes) }
        }
    }

    @Test func anUnknownMediaTypeInStoredBytesIsRefusedByBothReaders() throws {
        let document = try #require(try Self.documents().first { $0.contains("findings") })
        let event = Self.withAttachments(try EventJSONDecoder.decode(try JSONParser.parse(document)).get())
        var bytes = EventBinaryCodec.encode(event)
        let pdf = Array("application/pdf".utf8)
        let at = try #require((0...(bytes.count - pdf.count)).first { Array(bytes[$0..<$0 + pdf.count]) == pdf })
        bytes[at] = UInt8(ascii: "x")
        // Both name the media type's field, where its length (one byte) begins.
        #expect(throws: EventDecodingError.unknownMediaType(at: at - 1)) { try EventBinaryCodec.decode(bytes) }
        #expect(throws: EventDecodingError.unknownMediaType(at: at - 1)) {
            try bytes.withUnsafeBytes { raw in try Result { () throws(EventDecodingError) in try EventView(raw) }.get() }
        }
    }

    @Test func theInterchangeFormChecksEachAttachment() throws {
        let document = try #require(try Self.documents().first { $0.contains("findings") })
        func problems(_ attachments: String) throws -> [String] {
            let edited = document.replacingOccurrences(of: "\"findings\":", with: "\"attachments\":\(attachments),\"findings\":")
            switch EventJSONDecoder.decode(try JSONParser.parse(edited)) {
            case .success: return []
            case .failure(let error): return error.problems.map(\.path)
            }
        }
        let hash = String(repeating: "ab", count: 32)
        #expect(try problems("[{\"sha256\":\"\(hash)\",\"size\":10,\"mediaType\":\"image/png\",\"caption\":\"\"}]") == [])
        #expect(try problems("[{\"sha256\":\"\(hash)\",\"size\":10,\"mediaType\":\"image/png\"}]") == [], "the caption may be left out")
        #expect(try problems("[{\"sha256\":\"\(hash.uppercased())\",\"size\":10,\"mediaType\":\"image/png\"}]") == ["data.attachments[0].sha256"])
        #expect(try problems("[{\"sha256\":\"\(hash)\",\"size\":0,\"mediaType\":\"image/png\"}]") == ["data.attachments[0].size"])
        #expect(try problems("[{\"sha256\":\"\(hash)\",\"size\":\(QinglingEvents.Attachment.maxBytes + 1),\"mediaType\":\"image/png\"}]") == ["data.attachments[0].size"])
        #expect(try problems("[{\"sha256\":\"\(hash)\",\"size\":10,\"mediaType\":\"image/gif\"}]") == ["data.attachments[0].mediaType"])
        #expect(try problems("[{\"sha256\":\"\(hash)\",\"size\":10,\"mediaType\":\"image/png\",\"caption\":\"\(String(repeating: "图", count: 201))\"}]") == ["data.attachments[0].caption"])
        #expect(try problems("[{\"sha256\":\"\(hash)\",\"size\":10,\"mediaType\":\"image/png\",\"caption\":\"a\\u0007\"}]") == ["data.attachments[0].caption"])
        #expect(try problems("[{\"sha256\":\"\(hash)\",\"size\":10,\"mediaType\":\"image/png\",\"name\":\"x.png\"}]") == ["data.attachments[0].name"])
        let twice = "{\"sha256\":\"\(hash)\",\"size\":10,\"mediaType\":\"image/png\"}"
        #expect(try problems("[\(twice),\(twice)]") == ["data.attachments[1].sha256"])
        #expect(try problems("{}") == ["data.attachments"])
    }

    @Test func theTypeOfAFileIsReadFromItsFirstBytes() {
        #expect(AttachmentMediaType(sniffing: [0xFF, 0xD8, 0xFF, 0xDB]) == .jpeg)
        #expect(AttachmentMediaType(sniffing: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]) == .png)
        #expect(AttachmentMediaType(sniffing: Array("%PDF-1.4".utf8)) == .pdf)
        #expect(AttachmentMediaType(sniffing: [0x89, 0x50, 0x4E, 0x47]) == nil)
        #expect(AttachmentMediaType(sniffing: Array("%PDF".utf8)) == nil)
        #expect(AttachmentMediaType(sniffing: Array("GIF89a".utf8)) == nil)
        #expect(AttachmentMediaType(sniffing: []) == nil)
    }
}
