import Testing
import QinglingEvents

/// Every problem of a JSON text or document says itself in Chinese and in English: both
/// non-empty and different, the Chinese with Chinese words, the English without.
@Suite struct ProblemMessageTests {
    /// One value of each syntax error.
    static let syntaxKinds: [JSONSyntaxError.Kind] = [
        .unexpectedEnd, .unexpectedCharacter, .invalidLiteral(expected: "true"), .textAfterValue, .nestedTooDeep(limit: 64),
        .expectedKey, .duplicateKey("eventId"), .expectedColon, .unfinishedObject, .expectedCommaOrBrace, .unfinishedArray,
        .expectedCommaOrBracket, .invalidNumber, .digitsAfterPoint, .digitsAfterExponent, .unterminatedString, .invalidUTF8,
        .controlCharacter, .unterminatedEscape, .invalidEscape, .truncatedUnicodeEscape, .invalidHexDigit, .unpairedSurrogate,
        .invalidLowSurrogate, .invalidUnicodeEscape,
    ]

    /// One value of each document problem, with every expectation, found value and identifier form.
    static let documentKinds: [DocumentProblem.Kind] = [
        .unknownField, .required, .null, .blank, .duplicate("LX-2024-0001"), .outOfRange(-1, 0...9), .itemCount(1...200, found: 0),
        .length(1...64, found: 65), .organizationKind(allowed: ["enterprise", "town"]), .outputFieldsApart, .notASHA256,
        .notAnIndustry("航空"), .industryAlreadyLed("烟花爆竹", by: "lx-yjj"), .committeeLeadsIndustries,
        .controlCharacter("\u{1B}", position: 3),
        .creditCode("91430682MA4L0C7A4", .length(17)), .creditCode("9143068IMA4L0C7A47", .character(position: 8)),
        .creditCode("914306A2MA4L0C7A47", .divisionNotDigits), .creditCode("91430682MA4L0C7A48", .checkCharacter(found: "8", expected: "7")),
        .expected(.object, found: .kind(.null)), .expected(.string, found: .kind(.boolean)), .expected(.array, found: .kind(.number)),
        .expected(.nonEmptyArray, found: .emptyArray), .expected(.boolean, found: .kind(.string)), .expected(.integer, found: .kind(.array)),
        .expected(.fen, found: .value("12.5")), .expected(.date, found: .value("\"2024-02-30\"")),
        .expected(.dateTime, found: .kind(.object)), .expected(.oneOf(["passed", "failed"]), found: .value("\"ok\"")),
        .expected(.nonBlankString(maxLength: 20), found: .value("\" \"")),
        .notAn(.eventId, found: "-x"), .notAn(.hazardId, found: "LX-24-1"), .notAn(.tipOffId, found: "JB-1"),
        .notAn(.divisionCode, found: "43068"), .notAn(.hazardIdPrefix, found: "lx"),
        .reporterField(.phone), .reporterField(.idNumber), .reporterField(.idNumberCheck), .reporterField(.bankAccount),
        .reporterEmpty, .reporterSealedOnInput, .reporterNotSealedHere,
    ]

    /// The place of each case in its enum; the `switch` fails to compile when a case is added.
    static func ordinal(_ kind: JSONSyntaxError.Kind) -> Int {
        switch kind {
        case .unexpectedEnd: 0
        case .unexpectedCharacter: 1
        case .invalidLiteral: 2
        case .textAfterValue: 3
        case .nestedTooDeep: 4
        case .expectedKey: 5
        case .duplicateKey: 6
        case .expectedColon: 7
        case .unfinishedObject: 8
        case .expectedCommaOrBrace: 9
        case .unfinishedArray: 10
        case .expectedCommaOrBracket: 11
        case .invalidNumber: 12
        case .digitsAfterPoint: 13
        case .digitsAfterExponent: 14
        case .unterminatedString: 15
        case .invalidUTF8: 16
        case .controlCharacter: 17
        case .unterminatedEscape: 18
        case .invalidEscape: 19
        case .truncatedUnicodeEscape: 20
        case .invalidHexDigit: 21
        case .unpairedSurrogate: 22
        case .invalidLowSurrogate: 23
        case .invalidUnicodeEscape: 24
        }
    }

    /// The place of each case in its enum; the `switch` fails to compile when a case is added.
    static func ordinal(_ kind: DocumentProblem.Kind) -> Int {
        switch kind {
        case .unknownField: 0
        case .required: 1
        case .null: 2
        case .expected: 3
        case .length: 4
        case .blank: 5
        case .notAn: 6
        case .duplicate: 7
        case .outOfRange: 8
        case .itemCount: 9
        case .organizationKind: 10
        case .outputFieldsApart: 11
        case .notASHA256: 12
        case .creditCode: 13
        case .notAnIndustry: 14
        case .industryAlreadyLed: 15
        case .committeeLeadsIndustries: 16
        case .controlCharacter: 17
        case .reporterField: 18
        case .reporterEmpty: 19
        case .reporterSealedOnInput: 20
        case .reporterNotSealedHere: 21
        }
    }

    static func saysItselfInBothLanguages(zh: String, en: String) {
        #expect(!zh.isEmpty && !en.isEmpty && zh != en, "\(zh) | \(en)")
        #expect(zh.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "not Chinese: \(zh)")
        let values = "航空烟花爆竹".unicodeScalars  // the samples' industries, carried as they are
        #expect(en.unicodeScalars.allSatisfy { $0.isASCII || values.contains($0) }, "not English: \(en)")
    }

    @Test func everySyntaxErrorSaysItselfInBothLanguages() {
        #expect(Set(Self.syntaxKinds.map(Self.ordinal)) == Set(0...24), "a case has no sample")
        for kind in Self.syntaxKinds { Self.saysItselfInBothLanguages(zh: kind.message(.zh), en: kind.message(.en)) }
    }

    @Test func everyDocumentProblemSaysItselfInBothLanguages() {
        #expect(Set(Self.documentKinds.map(Self.ordinal)) == Set(0...21), "a case has no sample")
        for kind in Self.documentKinds { Self.saysItselfInBothLanguages(zh: kind.message(.zh), en: kind.message(.en)) }
    }

    @Test func theEnglishWordsAreTheParsersAndTheDecodersOwn() throws {
        let syntax = #expect(throws: JSONSyntaxError.self) { try JSONParser.parse("{\"a\":1 \"b\":2}") }
        #expect(syntax?.kind == .expectedCommaOrBrace)
        #expect(syntax?.description == "line 1, column 8: expected ',' or '}' in an object")
        #expect(syntax?.kind.message(.zh) == "对象中应为 ',' 或 '}'")

        let document = """
        {"eventId":"e1","type":"HazardRectified","occurredAt":"2024-03-05T10:00:00+08:00",
         "actor":{"organization":{"kind":"enterprise","id":"x","name":"n"},"person":{"id":"p","name":"n"}},
         "data":{"completedOn":"2024-02-30","measures":"done","fundsFen":"12","colour":"red"}}
        """
        guard case .failure(let error) = EventJSONDecoder.decode(try JSONParser.parse(document)) else {
            Issue.record("accepted")
            return
        }
        #expect(error.problems.map { $0.text(.en) } == [
            "data.hazardId: required", "data.completedOn: expected a date YYYY-MM-DD, found \"2024-02-30\"",
            "data.fundsFen: expected an integer number of fen, found a string", "data.colour: unknown field",
        ])
        #expect(error.problems.map { $0.text(.zh) } == [
            "data.hazardId：必填", "data.completedOn：应为日期（YYYY-MM-DD），实为 \"2024-02-30\"",
            "data.fundsFen：应为整数（单位：分），实为字符串", "data.colour：未知字段",
        ])
        guard case .failure(let notAnObject) = EventJSONDecoder.decode(.number("42")) else { return }
        #expect(notAnObject.problems.map { $0.text(.en) } == ["expected an object, found a number"])
    }
}
