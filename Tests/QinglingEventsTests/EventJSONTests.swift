import Foundation
import Testing
@testable import QinglingEvents

/// The repository's example documents (tools/schemas/examples), one per line.
func exampleDocuments(_ name: String) throws -> [String] {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let text = try String(contentsOf: root.appendingPathComponent("tools/schemas/examples/\(name)"), encoding: .utf8)
    return text.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
}

@Suite struct EventJSONTests {
    @Test func everyValidExampleDecodesAndReEncodesToTheSameDocument() throws {
        let documents = try exampleDocuments("valid.jsonl")
        #expect(documents.count >= 12)
        var types = Set<EventType>()
        for document in documents {
            let value = try JSONParser.parse(document)
            let event = try EventJSONDecoder.decode(value).get()
            types.insert(event.type)
            // Writing it back and reading again gives the same event.
            let again = try EventJSONDecoder.decode(try JSONParser.parse(JSONWriter.string(EventJSONEncoder.encode(event)))).get()
            #expect(again == event)
        }
        #expect(types == Set(EventType.allCases))
    }

    /// The bytes `write` gives, written out by hand: member order, escapes, dates, the hash.
    @Test func anEventIsWrittenExactlyAsItsDocument() throws {
        let actor = Actor(organization: OrganizationRef(kind: .department, id: "lx-yjj", name: "临湘市应急管理局"),
                          person: PersonRef(id: "p-1", name: "李\"卫\\东"))
        let tip = TipOffReceived(tipOffId: "JB-2024-0007", channel: .hotline, summary: "一\n二\t三\r\u{1}\u{1F}/é😀", reporterPseudonym: "甲")
        let event = Event(eventId: "t-1", occurredAt: ShanghaiDateTime(microseconds: 1_700_000_000_123_456), actor: actor, body: .tipOffReceived(tip))
        let stored: EventJSONEncoder.Stored = (42, ShanghaiDateTime(microseconds: 1_700_000_001_000_000), Array(0..<32))
        let expected = #"{"sequence":42,"eventId":"t-1","type":"TipOffReceived","occurredAt":"2023-11-15T06:13:20.123456+08:00","#
            + #""recordedAt":"2023-11-15T06:13:21+08:00","actor":{"organization":{"kind":"department","id":"lx-yjj","name":"临湘市应急管理局"},"#
            + #""person":{"id":"p-1","name":"李\"卫\\东"}},"data":{"tipOffId":"JB-2024-0007","channel":"hotline","#
            + #""summary":"一\n二\t三\r\u0001\u001f/é😀","reporterPseudonym":"甲"},"#
            + #""hash":"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"}"#
        var bytes: [UInt8] = Array("previous line\n".utf8)
        EventJSONEncoder.write(event, stored: stored, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "previous line\n" + expected)
        #expect(JSONWriter.string(EventJSONEncoder.encode(event, stored: stored)) == expected)
        #expect(ShanghaiDateTime(microseconds: ShanghaiDateTime.storableMicroseconds.lowerBound).description == "0001-01-01T00:00:00+08:00")
        #expect(ShanghaiDateTime(microseconds: ShanghaiDateTime.storableMicroseconds.upperBound).description == "9999-12-31T23:59:59.999999+08:00")
        #expect(ShanghaiDateTime(microseconds: 1_700_000_000_000_050).description == "2023-11-15T06:13:20.000050+08:00")
    }

    /// Numbers, dates and times are built on the stack (`ShortText`) and appended at once:
    /// held to the text `String` gives, over the whole range of each.
    @Test func numbersDatesAndTimesAreWrittenAsTheirDecimalText() {
        func padded(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        for value in [Int64.min, .max, 0, 1, -1, 9, 10, -10, 99, 100] + (0..<2_000).map({ _ in Int64.random(in: .min ... .max) }) {
            var json = JSONOutput(bytes: Array("[".utf8))
            json.number(value)
            #expect(String(decoding: json.bytes, as: UTF8.self) == "[" + String(value))
        }
        for days in [Int32.min, .max, 0, -1] + (0..<2_000).map({ _ in Int32.random(in: .min ... .max) }) {
            let date = CalendarDate(daysSinceEpoch: days)
            let (year, month, day) = date.components
            #expect(date.description == padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2))
        }
        let moments = ShanghaiDateTime.storableMicroseconds
        for microseconds in [moments.lowerBound, moments.upperBound, 0, -1] + (0..<2_000).map({ _ in Int64.random(in: moments) }) {
            let moment = ShanghaiDateTime(microseconds: microseconds)
            let inDay = Int((microseconds + 8 * 3_600_000_000) % 86_400_000_000 + 86_400_000_000) % 86_400_000_000
            let seconds = inDay / 1_000_000, fraction = inDay % 1_000_000
            let expected = moment.date.description + "T" + padded(seconds / 3600, 2) + ":" + padded(seconds / 60 % 60, 2) + ":"
                + padded(seconds % 60, 2) + (fraction == 0 ? "" : "." + padded(fraction, 6)) + "+08:00"
            #expect(moment.description == expected)
        }
    }

    @Test func everyInvalidExampleIsRefusedWithAFieldPath() throws {
        for document in try exampleDocuments("invalid.jsonl") {
            let value: JSONValue
            do {
                value = try JSONParser.parse(document)
            } catch {
                continue  // refused by the parser itself (e.g. a duplicate key)
            }
            guard case .failure(let error) = EventJSONDecoder.decode(value) else {
                Issue.record("accepted an invalid document: \(document.prefix(60))")
                continue
            }
            #expect(!error.problems.isEmpty)
        }
    }

    @Test func allProblemsOfADocumentAreListed() throws {
        let document = """
        {"eventId":"e1","type":"HazardRectified","occurredAt":"2024-03-05T10:00:00Z",
         "actor":{"organization":{"kind":"enterprise","id":"x","name":"n"},"person":{"id":"p","name":"n"}},
         "data":{"hazardId":"LX-2024-0001","completedOn":"2024-02-30","measures":"done","fundsFen":12.5,"colour":"red"}}
        """
        guard case .failure(let error) = EventJSONDecoder.decode(try JSONParser.parse(document)) else {
            Issue.record("accepted")
            return
        }
        #expect(error.eventId == "e1")
        let text = error.problems.map { $0.text(.en) }.joined(separator: "\n")
        #expect(text.contains("occurredAt"))
        #expect(text.contains("data.completedOn"))
        #expect(text.contains("data.fundsFen"))
        #expect(text.contains("data.colour: unknown field"))
        #expect(error.problems.count == 4)
    }

    @Test func moneyIsWholeFenAndFinesArePositive() throws {
        func penalty(_ amount: String, kind: String = "fine") throws -> Result<Event, EventDocumentError> {
            let document = """
            {"eventId":"p1","type":"PenaltyImposed","occurredAt":"2024-03-05T10:00:00+08:00",
             "actor":{"organization":{"kind":"department","id":"lx-yjj","name":"临湘市应急管理局"},"person":{"id":"p","name":"李"}},
             "data":{"enterprise":{"creditCode":"91430682MA4L0C7A47","name":"临湘某公司"},"kind":"\(kind)","amountFen":\(amount),
                     "legalBasis":"《安全生产法》第一百零二条","caseNumber":"临应急罚〔2024〕1号"}}
            """
            return EventJSONDecoder.decode(try JSONParser.parse(document))
        }
        let code = "91430682MA4L0C7A47"
        try #require(CreditCode.problem(code) == nil, "the fixture's credit code must be valid: \(CreditCode.problem(code)?.message(.en) ?? "")")
        #expect((try? penalty("500000").get()) != nil)
        #expect((try? penalty("0", kind: "warning").get()) != nil)
        for bad in ["0", "-1", "12.5", "1e3", "\"100\"", "1000000000000001"] {
            #expect((try? penalty(bad).get()) == nil, "amount \(bad)")
        }
    }

    @Test func creditCodesAreCheckedWithTheGB32100CheckCharacter() {
        let valid = CreditCode.withCheckCharacter("91430682MA4L0C7A4")
        #expect(valid == "91430682MA4L0C7A47")
        #expect(CreditCode.isValid("91430682MA4L0C7A47"))
        #expect(!CreditCode.isValid("91430682MA4L0C7A48"))
        #expect(!CreditCode.isValid("91430682MA4L0C7A4"))
        #expect(!CreditCode.isValid("9143068IMA4L0C7A4N"))  // I is not in the alphabet
        #expect(!CreditCode.isValid("914306A2MA4L0C7A4N"))  // the division code is digits
        // The published example from GB 32100-2015 practice: a well-known valid code.
        #expect(CreditCode.isValid("91350100M000100Y43"))
    }

    @Test func timesMustCarryTheShanghaiOffset() {
        #expect(ShanghaiDateTime("2024-03-05T10:20:00+08:00")?.description == "2024-03-05T10:20:00+08:00")
        #expect(ShanghaiDateTime("2024-03-05T10:20:00.5+08:00")?.description == "2024-03-05T10:20:00.500000+08:00")
        #expect(ShanghaiDateTime("2024-03-05T10:20:00Z") == nil)
        #expect(ShanghaiDateTime("2024-03-05T10:20:00+09:00") == nil)
        #expect(ShanghaiDateTime("2024-02-30T10:20:00+08:00") == nil)
        #expect(ShanghaiDateTime("2024-03-05T24:00:00+08:00") == nil)
        let time = ShanghaiDateTime("2024-01-01T00:30:00+08:00")
        #expect(time?.date.description == "2024-01-01")
        #expect(time?.microseconds == 1_704_040_200_000_000)
        #expect(CalendarDate("2024-02-29") != nil)
        #expect(CalendarDate("2023-02-29") == nil)
        #expect(CalendarDate("２０２４-02-01") == nil)
    }

    @Test func theParserRefusesWhatJSONDoesNotAllow() throws {
        for text in ["{\"a\":1,\"a\":2}", "[1,]", "{'a':1}", "NaN", "01", "1.", "\"\\x\"", "[1] [2]", "{\"a\":1", "\"\u{01}\""] {
            #expect(throws: JSONSyntaxError.self, "\(text)") { try JSONParser.parse(text) }
        }
        #expect(try JSONParser.parse("{\"a\":[1,-2.5e3,true,null,\"\\u4e2d\\ud83d\\ude00\"]}") == .object([JSONMember("a", .array([
            .number("1"), .number("-2.5e3"), .bool(true), .null, .string("中😀"),
        ]))]))
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(deep) }
    }
}
