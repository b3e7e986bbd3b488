import ArgumentParser
import Glibc
import QinglingEvents
import QinglingLog
import QinglingWorkflow

/// Reads events from a file or standard input, in any of the forms `EventDocuments` tells
/// apart, handing each on in input order. JSON Lines are read a piece at a time (1 MiB) and
/// parsed and decoded in chunks of 256 lines on worker threads (`OrderedWork`), so that only
/// the chunks in flight are held (at most ten: about 2,500 lines and their events; the taker
/// may keep more, as `append` keeps a window of events to look up together); a JSON array or
/// one document over several lines is read whole. Every problem is collected with its
/// line (or, in an array, its item number), in the language of the run.
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
        // Each chunk of lines is parsed and decoded on a worker thread; the events are taken
        // (checked) here, in input order.
        let work = OrderedWork<[Outcome]>(label: "qingling.input-lines", ahead: Self.chunksAhead)
        var chunk = LineChunk()
        func submit() throws {
            let full = chunk, lang = lang
            chunk = LineChunk()
            work.submit { full.outcomes(lang) }
            while let done = work.takeReady() { try hand(done, take) }
        }
        var lineNumber = 1
        var consumed = 0
        while true {
            while let newline = bytes[consumed...].firstIndex(of: UInt8(ascii: "\n")) {
                chunk.add(bytes[consumed..<newline], number: lineNumber)
                if chunk.count == Self.linesPerChunk { try submit() }
                lineNumber += 1
                consumed = newline + 1
            }
            if ended { break }
            bytes.removeFirst(consumed)
            consumed = 0
            ended = try readChunk(into: &bytes)
        }
        chunk.add(bytes[consumed...], number: lineNumber)
        try submit()
        while let done = work.take() { try hand(done, take) }
    }

    private func readWhole(_ bytes: [UInt8], _ take: (EventStore.Input) throws -> Void) throws {
        let documents = EventDocuments(bytes)
        numbered += documents.problems.map { (number: $0.line ?? 0, text: $0.text(lang)) }
        try hand(documents.documents.map { Self.outcome(of: $0, lang: lang) }, take)
    }

    /// Takes the events of `outcomes`, and notes their problems, in order.
    private func hand(_ outcomes: [Outcome], _ take: (EventStore.Input) throws -> Void) throws {
        for outcome in outcomes {
            switch outcome {
            case .event(let input): try take(input)
            case .problems(let problems): numbered += problems
            }
        }
    }

    /// What a document or line of the input gives: an event, or its problems.
    fileprivate enum Outcome: Sendable {
        case event(EventStore.Input)
        case problems([(number: Int, text: String)])
    }

    fileprivate static func outcome(of document: EventDocuments.Document, lang: Language) -> Outcome {
        switch EventJSONDecoder.decodeInput(document.value) {
        case .success(let input):
            return .event(EventStore.Input(line: document.place.number, event: input.event, reporter: input.reporter))
        case .failure(let error):
            let place = document.place.text(lang)
            let label = error.eventId.map { place + lang.pick(zh: "（事件 \($0)）", en: " (event \($0))") } ?? place
            return .problems(error.problems.map { (document.place.number, label + lang.pick(zh: "：", en: ": ") + $0.text(lang)) })
        }
    }

    /// Lines parsed and decoded together on a worker thread (about 150 KB of JSON Lines).
    private static let linesPerChunk = 256
    /// Chunks decoded and waiting to be checked, at most.
    private static let chunksAhead = 8

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

/// Lines of JSON Lines read together, with their numbers: copied out of the read buffer, to be
/// parsed and decoded on a worker thread.
private struct LineChunk: Sendable {
    private var bytes: [UInt8] = []
    private var lines: [(number: Int, range: Range<Int>)] = []

    var count: Int { lines.count }

    mutating func add(_ line: ArraySlice<UInt8>, number: Int) {
        lines.append((number, bytes.count..<bytes.count + line.count))
        bytes.append(contentsOf: line)
    }

    /// Each line's event or problems, in order; nothing for a blank line.
    func outcomes(_ lang: Language) -> [EventInputFile.Outcome] {
        lines.compactMap { line in
            switch EventDocuments.line(bytes[line.range], number: line.number) {
            case .success(let document)?: return EventInputFile.outcome(of: document, lang: lang)
            case .failure(let problem)?: return .problems([(line.number, problem.text(lang))])
            case nil: return nil
            }
        }
    }
}
