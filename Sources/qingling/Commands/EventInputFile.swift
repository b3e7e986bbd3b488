import ArgumentParser
import Glibc
import QinglingEvents
import QinglingWorkflow

/// Reads events from a file or standard input, in any of the forms `EventDocuments` tells
/// apart, handing each on as soon as it is read. JSON Lines are read a piece at a time (1 MiB),
/// so that only the line being read is held; a JSON array or one document over several lines
/// is read whole. Every problem is collected with its line (or, in an array, its item number),
/// in the language of the run.
final class EventInputFile {
    private let path: String
    private let lang: Language
    private let descriptor: Int32
    /// Problems with their line or item number, in the order found.
    private var numbered: [(number: Int, text: String)] = []

    /// How much is read at a time.
    private static let chunkBytes = 1 << 20

    /// Opens `path` (`-` for standard input); one that cannot be opened is reported, and exits
    /// with the I/O status.
    init(path: String, lang: Language) throws {
        self.path = path
        self.lang = lang
        descriptor = path == "-" ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Self.failure(path: path, errno: errno, lang: lang) }
    }

    deinit {
        if path != "-" { close(descriptor) }
    }

    /// Reads the events, calling `take` with each in input order; returns every problem found,
    /// syntax and schema, in the order of the input. An error `take` throws ends the reading
    /// and is thrown on; a failed read is reported, and exits with the I/O status.
    func read(_ take: (EventStore.Input) throws -> Void) throws -> [String] {
        try readAll(take)
        return numbered.enumerated().sorted { ($0.element.number, $0.offset) < ($1.element.number, $1.offset) }.map(\.element.text)
    }

    private func readAll(_ take: (EventStore.Input) throws -> Void) throws {
        // Enough to tell the form: the first non-blank line whole, or all of the input.
        var bytes: [UInt8] = []
        var ended = false
        while !ended, !Self.holdsFirstLine(bytes) { ended = try readChunk(into: &bytes) }
        if bytes.starts(with: EventDocuments.byteOrderMark) { bytes.removeFirst(3) }
        guard EventDocuments.isJSONLines(bytes) else {
            while !ended { ended = try readChunk(into: &bytes) }
            try readWhole(bytes, take)
            return
        }
        var lineNumber = 1
        var consumed = 0
        while true {
            while let newline = bytes[consumed...].firstIndex(of: UInt8(ascii: "\n")) {
                try readLine(bytes[consumed..<newline], number: lineNumber, take)
                lineNumber += 1
                consumed = newline + 1
            }
            if ended { break }
            bytes.removeFirst(consumed)
            consumed = 0
            ended = try readChunk(into: &bytes)
        }
        try readLine(bytes[consumed...], number: lineNumber, take)
    }

    private func readLine(_ line: ArraySlice<UInt8>, number: Int, _ take: (EventStore.Input) throws -> Void) throws {
        switch EventDocuments.line(line, number: number) {
        case .success(let document)?: try decode(document, take)
        case .failure(let problem)?: numbered.append((number, problem.text(lang)))
        case nil: return
        }
    }

    private func readWhole(_ bytes: [UInt8], _ take: (EventStore.Input) throws -> Void) throws {
        let documents = EventDocuments(bytes)
        numbered += documents.problems.map { (number: $0.line ?? 0, text: $0.text(lang)) }
        for document in documents.documents { try decode(document, take) }
    }

    private func decode(_ document: EventDocuments.Document, _ take: (EventStore.Input) throws -> Void) throws {
        switch EventJSONDecoder.decodeInput(document.value) {
        case .success(let input):
            try take(EventStore.Input(line: document.place.number, event: input.event, reporter: input.reporter))
        case .failure(let error):
            let place = document.place.text(lang)
            let label = error.eventId.map { place + lang.pick(zh: "（事件 \($0)）", en: " (event \($0))") } ?? place
            numbered += error.problems.map { (document.place.number, label + lang.pick(zh: "：", en: ": ") + $0.text(lang)) }
        }
    }

    /// Whether `bytes` hold a line feed after something other than white space.
    private static func holdsFirstLine(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.firstIndex(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return false }
        return bytes[first...].contains(UInt8(ascii: "\n"))
    }

    /// Appends up to `chunkBytes` of the input to `bytes`; whether the input has ended.
    private func readChunk(into bytes: inout [UInt8]) throws -> Bool {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: Self.chunkBytes))
        while true {
            let count = bytes.withUnsafeMutableBytes { Glibc.read(descriptor, UnsafeMutableRawBufferPointer(rebasing: $0[start...]).baseAddress, Self.chunkBytes) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw Self.failure(path: path, errno: errno, lang: lang) }
            bytes.removeLast(Self.chunkBytes - count)
            return count == 0
        }
    }

    private static func failure(path: String, errno code: Int32, lang: Language) -> ExitCode {
        printError("qingling: " + lang.pick(zh: "无法读取 \(path)：", en: "cannot read \(path): ") + Messages.errnoText(code, lang) + " (errno \(code))")
        return ExitCodes.ioError
    }
}
