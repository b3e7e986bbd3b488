import Testing
@testable import QinglingEvents

/// No string of an event carries a control character (C0, DEL, C1) into the log; long free text
/// alone may hold line feeds and tabs (`docs/events.md`, Decisions).
@Suite struct ControlCharacterTests {
    /// An escalation whose `reason` and actor's person name are the JSON strings given
    /// (escapes included), decoded.
    static func escalation(reason: String = "逾期未整改", personName: String = "周立新",
                           hazardId: String = "LX-2024-0031") throws -> Result<Event, EventDocumentError> {
        let document = """
        {"eventId":"e-ctl","type":"EscalationIssued","occurredAt":"2024-05-06T09:00:00+08:00",
         "actor":{"organization":{"kind":"committee","id":"lx-aqw","name":"临湘市安委办"},"person":{"id":"aqw-003","name":"\(personName)"}},
         "data":{"level":"letter","target":{"kind":"department","id":"lx-zjj","name":"临湘市住房和城乡建设局"},
                 "hazardIds":["\(hazardId)"],"reason":"\(reason)"}}
        """
        return EventJSONDecoder.decode(try JSONParser.parse(document))
    }

    static func problems(_ result: Result<Event, EventDocumentError>) -> [DocumentProblem] {
        guard case .failure(let error) = result else { return [] }
        return error.problems
    }

    @Test func aTerminalEscapeInFreeTextIsRefusedNamingTheFieldAndPosition() throws {
        let result = try Self.escalation(reason: #"ok\u001b[2K\rlevel issued: NONE \u001b[31mred"#)
        let problems = Self.problems(result)
        #expect(problems == [DocumentProblem(path: "data.reason", .controlCharacter("\u{1B}", position: 3))])
        #expect(problems.first?.text(.en) == "data.reason: holds the control character U+001B at character 3; no string may hold control characters (long free text may hold line feeds and tabs)")
        #expect(problems.first?.text(.zh) == "data.reason：第 3 个字符为控制字符 U+001B；字符串不得含控制字符（长文本可含换行符和制表符）")
    }

    @Test func everyStringFieldRefusesC0DelAndC1() throws {
        #expect(Self.problems(try Self.escalation(personName: #"周\u0007立新"#))
                == [DocumentProblem(path: "actor.person.name", .controlCharacter("\u{07}", position: 2))])
        #expect(Self.problems(try Self.escalation(personName: "周立新\u{7F}"))
                == [DocumentProblem(path: "actor.person.name", .controlCharacter("\u{7F}", position: 4))])
        #expect(Self.problems(try Self.escalation(reason: "逾期\u{85}未整改"))
                == [DocumentProblem(path: "data.reason", .controlCharacter("\u{85}", position: 3))])
        #expect(Self.problems(try Self.escalation(reason: #"逾期\r\n未整改"#))
                == [DocumentProblem(path: "data.reason", .controlCharacter("\r", position: 3))], "a carriage return is refused even in free text")
        #expect(Self.problems(try Self.escalation(hazardId: #"LX-2024-0031\u0000"#))
                == [DocumentProblem(path: "data.hazardIds[0]", .controlCharacter("\u{00}", position: 13))], "ids too")
        #expect(Self.problems(try Self.escalation(personName: #"周\n立新"#))
                == [DocumentProblem(path: "actor.person.name", .controlCharacter("\n", position: 2))], "no line feed in a name")
    }

    @Test func longFreeTextMayHoldLineFeedsAndTabs() throws {
        let event = try Self.escalation(reason: #"一、逾期未整改；\n二、\t未按期报送整改方案。"#).get()
        guard case .escalationIssued(let escalation) = event.body else { return }
        #expect(escalation.reason == "一、逾期未整改；\n二、\t未按期报送整改方案。")
        // Characters beyond C1 that merely look unusual are not control characters.
        #expect((try? Self.escalation(personName: "周立新\u{A0}").get()) != nil)
    }

    /// The checks read a string's UTF-8 bytes first, its scalars only where the bytes leave it
    /// open: they must agree with the scalars everywhere.
    @Test func theChecksOnBytesAgreeWithTheScalars() {
        let texts = ["", "a", "周立新", " 周", "\u{3000}", "\u{3000}周", " \t ", "e\u{301}", "🔥x", "\u{A0}", "§\u{A0}",
                     "\u{85}", "ab\u{9F}", "x\u{7F}", "\u{2028}", "~", "\u{1F}z", "\n", "a\u{200B}"]
        for text in texts {
            #expect(ControlCharacters.scalarCount(of: text) == text.unicodeScalars.count, "\(text.unicodeScalars.map(\.value))")
            #expect(ControlCharacters.isBlank(text) == !text.unicodeScalars.contains { !$0.properties.isWhitespace },
                    "\(text.unicodeScalars.map(\.value))")
            for freeText in [false, true] {
                let expected = text.unicodeScalars.enumerated().first { _, scalar in
                    ControlCharacters.isControl(scalar) && !(freeText && (scalar == "\n" || scalar == "\t"))
                }
                let found = ControlCharacters.first(in: text, freeText: freeText)
                #expect(found?.scalar == expected?.element && found?.position == expected.map { $0.offset + 1 },
                        "\(text.unicodeScalars.map(\.value)), free text: \(freeText)")
            }
        }
    }

    @Test func theReferenceDataHoldsNoControlCharacterEither() {
        var data = ReferenceData.linxiang
        data.regions[7].name = "桃林镇\u{1B}[2K"
        data.industries[0] = "燃\u{9B}气"
        let error = #expect(throws: ReferenceDataError.self) { try ReferenceData.parse(data.jsonValue(), file: "county.json") }
        let text = error.map(String.init(describing:)) ?? ""
        #expect(text.contains("county.json: regions[7].name: holds the control character U+001B at character 4"), "\(text)")
        #expect(text.contains("county.json: industries[0]: holds the control character U+009B at character 2"), "\(text)")
    }
}
