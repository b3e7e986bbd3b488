import Foundation
import QinglingEvents
import QinglingWorkflow

/// Events read from a file or standard input, in one of three forms told apart by their text:
///
/// - a JSON array of event documents: the first character that is not white space (or a
///   byte-order mark) is `[`;
/// - one JSON document spread over several lines (pretty-printed, as `docs/events.md` prints
///   them): the first non-blank line opens an object that it does not close (it ends before
///   the document does), and the whole input is that one object;
/// - JSON Lines: one document per line, blank lines ignored.
///
/// A multi-line input that is not one document (two pretty-printed documents, say) is reported
/// with the line and column of the first place it stops being one, and what to do instead;
/// unless some of its lines are whole objects by themselves: then it is JSON Lines with a broken
/// line, and every line's problem is listed. Every problem is collected with its line (or, in an
/// array, its item number), in the language of the run.
struct EventInputFile {
    var inputs: [EventStore.Input] = []
    var problems: [String] = []
    private let lang: Language
    /// Lines read as JSON Lines that are whole JSON objects by themselves.
    private var wholeLines = 0

    init(path: String, lang: Language) throws {
        self.lang = lang
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            let descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else {
                let code = errno
                printError("qingling: " + lang.pick(zh: "无法读取 \(path)：", en: "cannot read \(path): ") + Messages.errnoText(code, lang) + " (errno \(code))")
                throw ExitCodes.ioError
            }
            let file = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
            do {
                data = try file.readToEnd() ?? Data()
            } catch {
                printError("qingling: " + lang.pick(zh: "无法读取 \(path)：", en: "cannot read \(path): ") + "\(error)")
                throw ExitCodes.ioError
            }
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let firstSignificant = bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        if firstSignificant == UInt8(ascii: "[") {
            readArray(bytes)
        } else if Self.opensADocument(bytes) {
            readDocument(bytes)
        } else {
            readLines(bytes)
        }
    }

    /// Whether the first non-blank line begins an object it does not finish: the input is
    /// meant as one document over several lines.
    private static func opensADocument(_ bytes: [UInt8]) -> Bool {
        guard let line = bytes.split(separator: UInt8(ascii: "\n")).first(where: { !isBlank($0) }),
              line.first(where: { ![0x20, 0x09, 0x0D].contains($0) }) == UInt8(ascii: "{") else { return false }
        var content = line
        while let last = content.last, [0x20, 0x09, 0x0D].contains(last) { content.removeLast() }
        do throws(JSONSyntaxError) {
            _ = try JSONParser.parse(Array(line))
            return false
        } catch {
            // The line broke off the document (the parser stopped at its end), not in it.
            return error.line == 1 && error.column > String(decoding: content, as: UTF8.self).count
        }
    }

    private static func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
        line.allSatisfy { [0x20, 0x09, 0x0D].contains($0) }
    }

    private mutating func readArray(_ bytes: [UInt8]) {
        do throws(JSONSyntaxError) {
            guard case .array(let items) = try JSONParser.parse(bytes) else { return }
            for (index, item) in items.enumerated() {
                add(item, line: index + 1, place: lang.pick(zh: "第 \(index + 1) 项", en: "item \(index + 1)"))
            }
        } catch {
            problems.append(lang.pick(zh: "输入不是有效的 JSON：第 \(error.line) 行第 \(error.column) 列：", en: "input is not valid JSON: line \(error.line), column \(error.column): ")
                            + error.kind.message(lang))
        }
    }

    private mutating func readDocument(_ bytes: [UInt8]) {
        let firstLine = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).firstIndex { !Self.isBlank($0) } ?? 0
        do throws(JSONSyntaxError) {
            add(try JSONParser.parse(bytes), line: firstLine + 1, place: lang.pick(zh: "第 \(firstLine + 1) 行", en: "line \(firstLine + 1)"))
        } catch {
            var lines = EventInputFile(lang: lang)
            lines.readLines(bytes)
            if lines.wholeLines > 0 {
                self = lines
                return
            }
            var problem = lang.pick(zh: "第 \(error.line) 行：不是有效的 JSON：", en: "line \(error.line): not valid JSON: ")
                + error.kind.message(lang) + lang.pick(zh: "（第 \(error.column) 列）", en: " (column \(error.column))")
            if error.kind == .textAfterValue {
                problem += lang.pick(zh: "；多个事件请放在一个 JSON 数组中，或每行一个（JSON Lines）",
                                     en: "; give several events as a JSON array, or one per line (JSON Lines)")
            }
            problems.append(problem)
        }
    }

    private init(lang: Language) { self.lang = lang }

    private mutating func readLines(_ bytes: [UInt8]) {
        for (index, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            if Self.isBlank(line) { continue }
            let place = lang.pick(zh: "第 \(index + 1) 行", en: "line \(index + 1)")
            do throws(JSONSyntaxError) {
                let value = try JSONParser.parse(Array(line))
                if case .object = value { wholeLines += 1 }
                add(value, line: index + 1, place: place)
            } catch {
                problems.append(place + lang.pick(zh: "：不是有效的 JSON：", en: ": not valid JSON: ") + error.kind.message(lang)
                                + lang.pick(zh: "（第 \(error.column) 列）", en: " (column \(error.column))"))
            }
        }
    }

    private mutating func add(_ value: JSONValue, line: Int, place: String) {
        switch EventJSONDecoder.decode(value) {
        case .success(let event):
            inputs.append(EventStore.Input(line: line, event: event))
        case .failure(let error):
            let label = error.eventId.map { place + lang.pick(zh: "（事件 \($0)）", en: " (event \($0))") } ?? place
            for problem in error.problems { problems.append(label + lang.pick(zh: "：", en: ": ") + problem.text(lang)) }
        }
    }
}
