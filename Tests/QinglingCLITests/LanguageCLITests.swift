import Foundation
import Testing

/// One language per output: with `--lang zh` (the default) every label, finding, basis text and
/// vocabulary value a command prints is Chinese; with `--lang en`, English. Only ids, codes,
/// numbers and paths may be Latin in Chinese output, and only names (of people, organisations,
/// places) and the free text of events may be Chinese in English output.
@Suite(.serialized) struct LanguageCLITests {
    static let scratch = Scratch()
    static let log: String = {
        let directory = scratch.child("demo")
        _ = try? Qingling.run(["demo", "--directory", directory, "--hazards-per-year", "25", "--seed", "5"])
        return directory
    }()

    /// Keys of the interchange form whose values are vocabulary codes (translated on output),
    /// not names or free text.
    static let vocabularyKeys: Set<String> = ["type", "kind", "source", "supervisionLevel", "outcome", "level", "channel", "industry"]

    /// Every name, id and free text of the log's events and of the reference data: what either
    /// language may print as it is.
    static let verbatim: [String] = {
        var strings = Set<String>()
        func collect(_ value: Any, key: String?) {
            if let text = value as? String, !vocabularyKeys.contains(key ?? "") { strings.insert(text) }
            if let object = value as? [String: Any] { for (key, member) in object { collect(member, key: key) } }
            if let array = value as? [Any] { for item in array { collect(item, key: key) } }
        }
        let export = (try? Qingling.run(["export", "--log", log]))?.stdout ?? ""
        for line in export.split(separator: "\n") {
            if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) { collect(object, key: nil) }
        }
        let reference = (try? Data(contentsOf: URL(fileURLWithPath: ArchiveCLITests.repository + "/tools/reference/linxiang.json"))) ?? Data()
        if let object = try? JSONSerialization.jsonObject(with: reference) as? [String: Any] {
            for (key, value) in object where key != "industries" { collect(value, key: key) }
        }
        return strings.filter { !$0.isEmpty }.sorted { $0.count > $1.count }
    }()

    /// Plain English words in `text`: runs of two or more ASCII letters, all lower case or
    /// capitalised, that are not part of an id, code, number or path (a token with a digit,
    /// `-`, `_`, `.`, `/` or `@`), a camelCase code or an acronym, and not a name or id of the log.
    static func englishWords(_ text: String) -> [String] {
        // Commands quoted to be typed (`qingling export …`) and the program's name are code.
        let text = text.replacingOccurrences(of: "`[^`]*`", with: " ", options: .regularExpression)
            .replacingOccurrences(of: "qingling( [a-z-]+)?", with: " ", options: .regularExpression)
        let allowed = Set(verbatim.flatMap { $0.split { !$0.isASCII || !($0.isLetter || $0.isNumber || "-_./@".contains($0)) }.map(String.init) })
        let tokens = text.split { !$0.isASCII || !($0.isLetter || $0.isNumber || "-_./@".contains($0)) }.map(String.init)
        return tokens.filter { token in
            guard token.count >= 2, token.allSatisfy(\.isLetter), !allowed.contains(token) else { return false }
            let rest = token.dropFirst()
            return rest.allSatisfy(\.isLowercase)
        }
    }

    /// Chinese characters in `text` once every name and free text of the log is taken out.
    static func chinese(_ text: String) -> String {
        var rest = text
        for name in verbatim where name.unicodeScalars.contains(where: isCJK) { rest = rest.replacingOccurrences(of: name, with: " ") }
        return String(rest.unicodeScalars.filter(isCJK).map(Character.init))
    }

    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        (0x2E80...0x9FFF).contains(scalar.value) || (0xF900...0xFAFF).contains(scalar.value) || (0xFF00...0xFFEF).contains(scalar.value)
    }

    /// Checks a command's standard output and error in both languages.
    static func check(_ arguments: [String], status: Int32 = 0, input: String? = nil, fresh: (() throws -> [String])? = nil) throws {
        for lang in ["zh", "en"] {
            let extra = try fresh?() ?? []
            let result = try Qingling.run(arguments + extra + ["--lang", lang], input: input)
            #expect(result.status == status, "\(arguments) --lang \(lang): \(result.stdout)\(result.stderr)")
            let text = result.stdout + "\n" + result.stderr
            #expect(!text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(arguments): says nothing")
            if lang == "zh" {
                let words = englishWords(text)
                #expect(words.isEmpty, "\(arguments) --lang zh prints English: \(Set(words).sorted()) in\n\(text)")
            } else {
                let characters = chinese(text)
                #expect(characters.isEmpty, "\(arguments) --lang en prints Chinese: \(characters) in\n\(text)")
            }
        }
    }

    static func firstClosed() throws -> (hazard: String, person: String, enterprise: String) {
        let export = try Qingling.run(["export", "--log", log, "--type", "HazardClosed"])
        let first = try JSONSerialization.jsonObject(with: Data((export.stdout.split(separator: "\n").first ?? "").utf8)) as? [String: Any] ?? [:]
        let hazard = (first["data"] as? [String: Any])?["hazardId"] as? String ?? ""
        let person = ((first["actor"] as? [String: Any])?["person"] as? [String: Any])?["id"] as? String ?? ""
        let history = try Qingling.run(["export", "--log", log, "--hazard", hazard]).stdout
        let report = try JSONSerialization.jsonObject(with: Data((history.split(separator: "\n").first ?? "").utf8)) as? [String: Any] ?? [:]
        let enterprise = ((report["data"] as? [String: Any])?["enterprise"] as? [String: Any])?["creditCode"] as? String ?? ""
        return (hazard, person, enterprise)
    }

    /// Documents the decoder or the JSON parser refuses, one a line: an unknown field, a missing
    /// required field, a date that is no date, a text too long, values of the wrong type, a bad
    /// credit code and hazard id, a document that is no object, and several kinds of syntax error.
    static let malformedDocuments: [String] = {
        let actor = #""actor":{"organization":{"kind":"enterprise","id":"91430682MA4L0C7A47","name":"临湘市桃林烟花爆竹有限公司"},"person":{"id":"ent-001","name":"刘建国"}}"#
        let envelope = { (id: String, type: String) in #"{"eventId":"\#(id)","type":"\#(type)","occurredAt":"2024-04-01T11:00:00+08:00",\#(actor),"# }
        let report = #""hazardId":"LX-2024-0031","enterprise":{"creditCode":"91430682MA4L0C7A47","name":"临湘市桃林烟花爆竹有限公司"},"region":"桃林镇","industry":"烟花爆竹","criterionClause":"第 1 条","source":"departmentInspection""#
        return [
            envelope("bad-1", "HazardReported") + #""data":{\#(report),"description":"超量储存","discoveredOn":"2024-02-30","colour":"red"}}"#,
            envelope("bad-2", "HazardReported") + #""data":{\#(report),"description":"\#(String(repeating: "长", count: 2001))","discoveredOn":"2024-03-01"}}"#,
            envelope("bad-3", "HazardRectified") + #""expectedVersion":"2","data":{"completedOn":"2024-03-31","measures":"清理","fundsFen":"12500000"}}"#,
            envelope("bad-4", "PenaltyImposed")
                + #""data":{"enterprise":{"creditCode":"91430682MA4L0C7A48","name":"某公司"},"kind":"fine","amountFen":12.5,"legalBasis":"第一百零二条","caseNumber":"1","hazardIds":["LX-24-1"]}}"#,
            "42",
            #"{"eventId":"bad-6",}"#,
            #"{"eventId":"bad-7" "type":"HazardClosed"}"#,
            #"{"eventId":"bad-8","eventId":"bad-8"}"#,
            #"{"fundsFen":1.}"#,
            #"{"note":"\x"}"#,
            #"{"hazardIds":["LX-2024-0031"}"#,
            #"{"eventId":"bad-12"}}"#,
        ]
    }()

    @Test func chineseIsTheDefaultAndQinglingLangChangesIt() throws {
        let chinese = try Qingling.run(["status", "--log", Self.log], environment: ["QINGLING_LANG": ""])
        #expect(chinese.status == 0 && chinese.stdout.contains("按类型的事件数") && Self.englishWords(chinese.stdout).isEmpty, "\(chinese.stdout)")
        let english = try Qingling.run(["status", "--log", Self.log], environment: ["QINGLING_LANG": "en"])
        #expect(english.stdout.contains("events by type"))
        let explicit = try Qingling.run(["status", "--log", Self.log, "--lang", "zh"], environment: ["QINGLING_LANG": "en"])
        #expect(explicit.stdout.contains("按类型的事件数"))
        let wrong = try Qingling.run(["status", "--log", Self.log], environment: ["QINGLING_LANG": "fr"])
        #expect(wrong.status == 64 && wrong.stderr.contains("QINGLING_LANG=fr"))
    }

    @Test func theAnalystsCommandsSpeakOneLanguage() throws {
        let (hazard, person, enterprise) = try Self.firstClosed()
        let log = ["--log", Self.log]
        for command in [["stats", "2025"], ["stats", "2024Q4", "--by", "both"], ["overdue"], ["overdue", "--as-of", "2025-09-30"],
                        ["ranking", "2025Q3"], ["targets"], ["targets", "--as-of", "2024-03-31"], ["trace", "--hazard", hazard],
                        ["trace", "--enterprise", enterprise], ["trace", "--person", person], ["trace", "--organization", "lx-yjj"],
                        ["trace", "--reopened"], ["penalties"], ["rewards"], ["rebuild"]] {
            try Self.check(command + log)
            try Self.check(command + log + ["--format", "csv"])
        }
        try Self.check(["trace", "--person", "nobody-1"] + log, status: 2)
        try Self.check(["trace", "--hazard", "LX-1999-0001"] + log, status: 2)
    }

    @Test func theAdminCommandsSpeakOneLanguage() throws {
        let log = ["--log", Self.log]
        for command in [["status"], ["verify"], ["verify", "2024"], ["head"], ["recover"], ["seal", "--finished", "--private-key", Self.log + ".signing-key"]] {
            try Self.check(command + log)
        }
        try Self.check(["reference", "regions"])
        try Self.check(["reference", "departments"])
        // The vocabularies' lists show their codes, and in English their Chinese names too
        // (what the county's documents use): by design, in either language.
        for command in [["reference"], ["reference", "sources"], ["reference", "statuses"], ["reference", "industries"]] {
            for lang in ["zh", "en"] {
                let result = try Qingling.run(command + ["--lang", lang])
                #expect(result.status == 0 && result.stdout.contains(lang == "zh" ? "名称" : "Name"), "\(command) --lang \(lang): \(result.stderr)")
            }
        }
        let proof = Self.scratch.child("proof.json")
        _ = try Qingling.run(["prove", "3", "--output", proof] + log)
        try Self.check(["verify-proof", proof, "--public-key", Self.log + "/signing.pub"])
        // Errors of the log and of the command line's own checks.
        try Self.check(["status", "--log", Self.scratch.child("nothing-here")], status: 64)

        // Appending: a success, a dry run, malformed input.
        let scratch = Scratch()
        let generated = try Qingling.run(["generate", "--hazards-per-year", "5", "--first-year", "2024", "--last-year", "2024"]).stdout
        let lines = generated.split(separator: "\n").map(String.init)
        var counter = 0
        func freshLog() -> [String] { counter += 1; return ["--log", scratch.child("log-\(counter)")] }
        try Self.check(["append", "-"], input: lines.prefix(3).joined(separator: "\n"), fresh: freshLog)
        try Self.check(["append", "--dry-run", "-"], input: lines.prefix(3).joined(separator: "\n"), fresh: freshLog)
        try Self.check(["append", "-"], status: 2, input: lines[0] + "\n{not json\n" + "[1,", fresh: freshLog)
        // The decoder's and the parser's own words: field problems and syntax errors, in lines and in an array.
        try Self.check(["append", "-"], status: 2, input: Self.malformedDocuments.joined(separator: "\n"), fresh: freshLog)
        try Self.check(["append", "-"], status: 2, input: "[" + Self.malformedDocuments[0] + ", 42]", fresh: freshLog)
        try Self.check(["append", "-"], status: 2, input: "[" + Self.malformedDocuments[0] + ", {\"a\":1.}]", fresh: freshLog)
        try Self.check(["keygen", "--private-key", scratch.child("keys/a.key")], fresh: {
            counter += 1
            let directory = scratch.child("keyed-\(counter)")
            _ = try Qingling.run(["append", "--log", directory, "-"], input: lines[0])
            try? FileManager.default.removeItem(atPath: scratch.child("keys"))
            return ["--log", directory]
        })
        try Self.check(["demo", "--hazards-per-year", "5"], fresh: { counter += 1; return ["--directory", scratch.child("demo-\(counter)")] })
    }
}
