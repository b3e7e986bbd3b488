import Foundation
import Testing
@testable import QinglingEvents

@Suite struct EventBinaryCodecTests {
    @Test func everyExampleRoundTripsThroughTheBinaryForm() throws {
        for document in try exampleDocuments("valid.jsonl") {
            let event = try EventJSONDecoder.decode(try JSONParser.parse(document)).get()
            let bytes = EventBinaryCodec.encode(event)
            #expect(try EventBinaryCodec.decode(bytes) == event)
            #expect(bytes.count < document.utf8.count, "the binary form is smaller than the JSON")
        }
    }

    @Test func truncatedOrExtendedBytesAreRefusedNeverMisread() throws {
        let document = try exampleDocuments("valid.jsonl")[0]
        let bytes = EventBinaryCodec.encode(try EventJSONDecoder.decode(try JSONParser.parse(document)).get())
        for length in 0..<bytes.count {
            #expect(throws: EventDecodingError.self) { try EventBinaryCodec.decode(Array(bytes.prefix(length))) }
        }
        #expect(throws: EventDecodingError.self) { try EventBinaryCodec.decode(bytes + [0]) }
        var newer = bytes
        newer[0] = EventBinaryCodec.version + 1
        #expect(throws: EventDecodingError.self) { try EventBinaryCodec.decode(newer) }
    }

    @Test func skippingFreeTextKeepsEveryOtherFieldAndEmptiesTheText() throws {
        var texts = 0
        for document in try exampleDocuments("valid.jsonl") {
            let event = try EventJSONDecoder.decode(try JSONParser.parse(document)).get()
            let bytes = EventBinaryCodec.encode(event)
            // A slice of a larger buffer, as the log hands payloads over.
            let buffer = [0xAA] + bytes + [0xBB]
            let lean = try EventBinaryCodec.decode(buffer[1..<buffer.count - 1], skippingFreeText: true)
            #expect(lean.eventId == event.eventId && lean.occurredAt == event.occurredAt && lean.actor == event.actor)
            #expect(lean.type == event.type && lean.body.hazardIds == event.body.hazardIds && lean.body.tipOffId == event.body.tipOffId)
            // Free text is gone, so the lean event encodes shorter exactly when the event had some.
            let leanBytes = EventBinaryCodec.encode(lean)
            if leanBytes.count < bytes.count { texts += 1 }
            #expect(try EventBinaryCodec.decode(leanBytes) == lean, "nothing but free text was left out")
            for length in [0, bytes.count / 2, bytes.count - 1] {
                #expect(throws: EventDecodingError.self) { try EventBinaryCodec.decode(bytes[0..<length], skippingFreeText: true) }
            }
        }
        #expect(texts > 5)
    }

    @Test func varintsRoundTripAtTheirEdges() throws {
        for value: Int64 in [0, 1, -1, 63, -64, 64, 1 << 40, -(1 << 40), .max, .min] {
            var writer = BinaryWriter()
            writer.signed(value)
            var reader = BinaryReader(writer.bytes)
            #expect(try reader.signed() == value)
            #expect(reader.isAtEnd)
        }
        var reader = BinaryReader([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
        #expect(throws: EventDecodingError.self) { try reader.unsigned() }
    }
}
