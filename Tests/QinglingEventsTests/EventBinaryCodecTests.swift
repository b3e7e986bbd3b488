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
