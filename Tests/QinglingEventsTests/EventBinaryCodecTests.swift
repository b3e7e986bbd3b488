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
        #expect(throws: EventDecodingError.endsEarly(at: 0)) { try EventBinaryCodec.decode([]) }
        let type = try EventBinaryCodec.decode(bytes).type
        #expect(throws: EventDecodingError.trailingBytes(count: 1, after: type)) { try EventBinaryCodec.decode(bytes + [0]) }
        var newer = bytes
        newer[0] = EventBinaryCodec.version + 1
        #expect(throws: EventDecodingError.unreadableVersion(EventBinaryCodec.version + 1, newest: EventBinaryCodec.version)) {
            try EventBinaryCodec.decode(newer)
        }
        var unknownType = bytes
        unknownType[1] = 0xEE
        #expect(throws: EventDecodingError.unknownEventType(tag: 0xEE)) { try EventBinaryCodec.decode(unknownType) }
        // The view refuses each of them for the same reason.
        for refused in [[], bytes + [0], newer, unknownType] {
            let decoded = #expect(throws: EventDecodingError.self) { try EventBinaryCodec.decode(refused) }
            let viewed = #expect(throws: EventDecodingError.self) { try refused.withUnsafeBytes { try EventView($0) } }
            #expect(decoded == viewed)
        }
    }

    @Test func theStorableRangesAreWhatTheInterchangeFormWrites() throws {
        let first = try #require(CalendarDate(year: 1, month: 1, day: 1)), last = try #require(CalendarDate(year: 9999, month: 12, day: 31))
        #expect(CalendarDate.storableDays == first.daysSinceEpoch...last.daysSinceEpoch)
        let earliest = try #require(ShanghaiDateTime("0001-01-01T00:00:00+08:00"))
        let latest = try #require(ShanghaiDateTime("9999-12-31T23:59:59.999999+08:00"))
        #expect(ShanghaiDateTime.storableMicroseconds == earliest.microseconds...latest.microseconds)
        #expect(earliest.date == first && latest.date == last)
    }

    @Test func valuesBeyondTheStorableRangesAreRefusedByBothReaders() throws {
        let document = try exampleDocuments("valid.jsonl").first { $0.contains("HazardSupervised") }
        let supervised = try EventJSONDecoder.decode(try JSONParser.parse(try #require(document))).get()
        guard case .hazardSupervised(let body) = supervised.body else { Issue.record("not a supervision"); return }
        func withDeadline(_ days: Int32) -> Event {
            var event = supervised, changed = body
            changed.deadline = CalendarDate(daysSinceEpoch: days)
            event.body = .hazardSupervised(changed)
            return event
        }
        func withMoment(_ microseconds: Int64) -> Event {
            var event = supervised
            event.occurredAt = ShanghaiDateTime(microseconds: microseconds)
            return event
        }
        func withVersion(_ version: Int) -> Event {
            var event = supervised
            event.expectedVersion = version
            return event
        }
        let days = CalendarDate.storableDays, moments = ShanghaiDateTime.storableMicroseconds, versions = EventBinaryCodec.expectedVersions
        let kept = [withDeadline(days.lowerBound), withDeadline(days.upperBound), withMoment(moments.lowerBound),
                    withMoment(moments.upperBound), withVersion(versions.lowerBound), withVersion(versions.upperBound)]
        for event in kept {
            let bytes = EventBinaryCodec.encode(event)
            #expect(try EventBinaryCodec.decode(bytes) == event)
            #expect(throws: Never.self) { try bytes.withUnsafeBytes { try EventView($0) } }
        }
        // Int.min is stored as 2^63, the value a fuzzer found: decoding it used to give a
        // negative version that trapped when encoded again.
        let refused = [withDeadline(days.lowerBound - 1), withDeadline(days.upperBound + 1), withDeadline(.min), withDeadline(.max),
                       withMoment(moments.lowerBound - 1), withMoment(moments.upperBound + 1), withMoment(.min), withMoment(.max),
                       withVersion(-1), withVersion(versions.upperBound + 1), withVersion(.min), withVersion(.max)]
        for event in refused {
            let bytes = EventBinaryCodec.encode(event)
            let decoded = #expect(throws: EventDecodingError.self) { try EventBinaryCodec.decode(bytes) }
            let viewed = #expect(throws: EventDecodingError.self) { try bytes.withUnsafeBytes { try EventView($0) } }
            #expect(decoded == viewed, "both readers name the same value at the same byte")
            guard case .outOfRange(let value, _)? = decoded else { Issue.record("\(String(describing: decoded))"); continue }
            switch value {
            case .date(let days):
                #expect(days < Int64(CalendarDate.storableDays.lowerBound) || days > Int64(CalendarDate.storableDays.upperBound))
            case .occurredAt(let moment): #expect(!ShanghaiDateTime.storableMicroseconds.contains(moment))
            case .expectedVersion(let version): #expect(version > UInt64(EventBinaryCodec.expectedVersions.upperBound))
            case .attachmentSize: Issue.record("no attachment here")
            }
        }
    }

    @Test func varintsRoundTripAtTheirEdges() throws {
        for value: Int64 in [0, 1, -1, 63, -64, 64, 1 << 40, -(1 << 40), .max, .min] {
            var writer = BinaryWriter()
            writer.signed(value)
            var reader = BinaryReader(writer.bytes)
            #expect(try reader.signed() == value)
            #expect(reader.isAtEnd)
        }
        // One, two and more bytes (the first two read inline), each followed by a byte or not.
        for value: UInt64 in [0, 1, 127, 128, 255, 300, 16_383, 16_384, 1 << 21 - 1, 1 << 21, .max] {
            for tail: [UInt8] in [[], [0x7F], [0x80]] {
                var writer = BinaryWriter()
                writer.unsigned(value)
                var reader = BinaryReader(writer.bytes + tail)
                #expect(try reader.unsigned() == value)
                #expect(reader.isAtEnd == tail.isEmpty)
            }
        }
        for cut: [UInt8] in [[0x80], [0xFF], [0x80, 0x80], [0xFF, 0xFF, 0xFF]] {
            var reader = BinaryReader(cut)
            #expect(throws: EventDecodingError.endsEarly(at: cut.count), "\(cut) ends inside a varint") { try reader.unsigned() }
        }
        // The tenth byte carries bit 63 and may hold only that bit; the error names where the varint starts.
        var reader = BinaryReader([0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
        #expect(try reader.unsigned() == 0)
        #expect(throws: EventDecodingError.varintTooLong(at: 1)) { try reader.unsigned() }
    }
}
