/// The event documents of an input (a file, standard input, a request body), in one of three
/// forms told apart by their text:
///
/// - a JSON array of event documents: the first character that is not white space (or a
///   byte-order mark) is `[`;
/// - one JSON document spread over several lines (pretty-printed, as `docs/events.md` prints
///   them): the first non-blank line opens an object that it does not close, and the whole
///   input is that one object;
/// - JSON Lines: one document per line, blank lines ignored.
///
/// A multi-line input that is not one document (two pretty-printed documents, say) is reported
/// with the line and column of the first place it stops being one; unless some of its lines are
/// whole objects by themselves: then it is JSON Lines with a broken line, and every line's
/// problem is listed.
public struct EventDocuments: Sendable {
    /// Where a document is in the input.
    public enum Place: Equatable, Sendable {
        /// The item of a JSON array, from 1.
        case item(Int)
        /// The line of the input, from 1.
        case line(Int)

        /// The number of the line or item, from 1.
        public var number: Int {
            switch self {
            case .item(let number), .line(let number): number
            }
        }

        /// "第 3 行" / "line 3", "第 2 项" / "item 2".
        public func text(_ language: Language) -> String {
            switch self {
            case .item(let number): language.pick(zh: "第 \(number) 项", en: "item \(number)")
            case .line(let number): language.pick(zh: "第 \(number) 行", en: "line \(number)")
            }
        }
    }

    /// One document and where it is.
    public struct Document: Sendable {
        public var place: Place
        public var value: JSONValue
    }

    /// Input that is not JSON.
    public struct SyntaxProblem: Error, Sendable, Equatable {
        public var error: JSONSyntaxError
        /// The line it is on; `nil` when a JSON array as a whole is not JSON (the error's own
        /// line and column then say where).
        public var line: Int?
        /// The input held several documents one after another, neither in an array nor one per line.
        public var severalDocuments: Bool

        public func text(_ language: Language) -> String {
            guard let line else {
                return language.pick(zh: "输入不是有效的 JSON：第 \(error.line) 行第 \(error.column) 列：",
                                     en: "input is not valid JSON: line \(error.line), column \(error.column): ") + error.kind.message(language)
            }
            var text = language.pick(zh: "第 \(line) 行：不是有效的 JSON：", en: "line \(line): not valid JSON: ")
                + error.kind.message(language) + language.pick(zh: "（第 \(error.column) 列）", en: " (column \(error.column))")
            if severalDocuments {
                text += language.pick(zh: "；多个事件请放在一个 JSON 数组中，或每行一个（JSON Lines）",
                                      en: "; give several events as a JSON array, or one per line (JSON Lines)")
            }
            return text
        }
    }

    public private(set) var documents: [Document] = []
    public private(set) var problems: [SyntaxProblem] = []
    /// The input holds more documents than the limit it was read with: reading stopped there
    /// (JSON Lines), or the array had more items; `documents` and `problems` are then partial.
    public private(set) var exceedsLimit = false
    private var limit = Int.max
    /// Lines read as JSON Lines that are whole JSON objects by themselves.
    private var wholeLines = 0

    /// The documents of `input`, a UTF-8 text with or without a byte-order mark; with `limit`,
    /// reading stops past that many documents (`exceedsLimit`), so that a crafted input of
    /// millions of tiny lines costs no more than the limit's worth.
    public init(_ input: [UInt8], limit: Int = .max) {
        self.limit = limit
        var bytes = input
        if bytes.starts(with: Self.byteOrderMark) { bytes.removeFirst(3) }
        if Self.opensAnArray(bytes) {
            readArray(bytes)
            return
        }
        let first = FirstLine(bytes)
        if first.opensADocument {
            readDocument(bytes)
        } else {
            readLines(bytes, firstParsed: first.parsed)
        }
    }

    private init() {}

    /// The UTF-8 byte-order mark an input may start with.
    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Whether an input that starts with `start` (without its byte-order mark, and holding at
    /// least its first non-blank line whole, or all of it) is JSON Lines: it is neither a JSON
    /// array nor one document over several lines. JSON Lines can be read a line at a time
    /// (`line(_:number:)`), the other forms only whole.
    public static func isJSONLines(_ start: [UInt8]) -> Bool {
        !opensAnArray(start) && !FirstLine(start).opensADocument
    }

    private static func opensAnArray(_ bytes: [UInt8]) -> Bool {
        bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) } == UInt8(ascii: "[")
    }

    /// The document on line `number` (from 1) of JSON Lines, given without its line feed, or
    /// the line's syntax problem; `nil` for a blank line.
    public static func line(_ line: ArraySlice<UInt8>, number: Int) -> Result<Document, SyntaxProblem>? {
        if isBlank(line) { return nil }
        do throws(JSONSyntaxError) {
            return .success(Document(place: .line(number), value: try JSONParser.parse(Array(line))))
        } catch {
            return .failure(SyntaxProblem(error: error, line: number, severalDocuments: false))
        }
    }

    /// The first non-blank line of an input that is not an array, read once: whether it begins
    /// an object it does not finish (the input is meant as one document over several lines),
    /// and, when it is a whole object by itself, that object (so JSON Lines do not parse it twice).
    private struct FirstLine {
        var opensADocument = false
        var parsed: JSONValue?

        init(_ bytes: [UInt8]) {
            var start = bytes.startIndex
            var found: ArraySlice<UInt8>?
            while start < bytes.endIndex {
                let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
                if !EventDocuments.isBlank(bytes[start..<end]) {
                    found = bytes[start..<end]
                    break
                }
                start = end + 1
            }
            guard let line = found, line.first(where: { ![0x20, 0x09, 0x0D].contains($0) }) == UInt8(ascii: "{") else { return }
            var content = line
            while let last = content.last, [0x20, 0x09, 0x0D].contains(last) { content.removeLast() }
            do throws(JSONSyntaxError) {
                parsed = try JSONParser.parse(Array(line))
            } catch {
                // The line broke off the document (the parser stopped at its end), not in it.
                opensADocument = error.line == 1 && error.column > String(decoding: content, as: UTF8.self).count
            }
        }
    }

    private static func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
        line.allSatisfy { [0x20, 0x09, 0x0D].contains($0) }
    }

    private mutating func readArray(_ bytes: [UInt8]) {
        do throws(JSONSyntaxError) {
            guard case .array(let items) = try JSONParser.parse(bytes) else { return }
            guard items.count <= limit else {
                exceedsLimit = true
                return
            }
            for (index, item) in items.enumerated() { documents.append(Document(place: .item(index + 1), value: item)) }
        } catch {
            problems.append(SyntaxProblem(error: error, line: nil, severalDocuments: false))
        }
    }

    private mutating func readDocument(_ bytes: [UInt8]) {
        let firstLine = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).firstIndex { !Self.isBlank($0) } ?? 0
        do throws(JSONSyntaxError) {
            documents.append(Document(place: .line(firstLine + 1), value: try JSONParser.parse(bytes)))
        } catch {
            var lines = EventDocuments()
            lines.limit = limit
            lines.readLines(bytes)
            if lines.wholeLines > 0 {
                self = lines
                return
            }
            problems.append(SyntaxProblem(error: error, line: error.line, severalDocuments: error.kind == .textAfterValue))
        }
    }

    /// Reads `bytes` as JSON Lines; `firstParsed` is the first non-blank line's document when
    /// it was already parsed (`FirstLine`).
    private mutating func readLines(_ bytes: [UInt8], firstParsed: JSONValue? = nil) {
        var firstParsed = firstParsed
        for (index, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            if Self.isBlank(line) { continue }
            guard documents.count + problems.count < limit else {
                exceedsLimit = true
                return
            }
            let read = firstParsed.map { Result<Document, SyntaxProblem>.success(Document(place: .line(index + 1), value: $0)) }
                ?? Self.line(line, number: index + 1)
            firstParsed = nil
            switch read {
            case .success(let document)?:
                if case .object = document.value { wholeLines += 1 }
                documents.append(document)
            case .failure(let problem)?:
                problems.append(problem)
            case nil:
                continue
            }
        }
    }
}
