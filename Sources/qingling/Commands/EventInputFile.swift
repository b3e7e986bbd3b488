import Foundation
import QinglingEvents
import QinglingWorkflow

/// Events read from a file or standard input, in any of the forms `EventDocuments` tells apart.
/// Every problem is collected with its line (or, in an array, its item number), in the
/// language of the run.
struct EventInputFile {
    var inputs: [EventStore.Input] = []
    var problems: [String] = []
    private let lang: Language

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
        let documents = EventDocuments([UInt8](data))
        // Problems in the order of the input: syntax and document problems by their line.
        var numbered = documents.problems.map { (number: $0.line ?? 0, text: $0.text(lang)) }
        for document in documents.documents {
            switch EventJSONDecoder.decode(document.value) {
            case .success(let event):
                inputs.append(EventStore.Input(line: document.place.number, event: event))
            case .failure(let error):
                let place = document.place.text(lang)
                let label = error.eventId.map { place + lang.pick(zh: "（事件 \($0)）", en: " (event \($0))") } ?? place
                numbered += error.problems.map { (document.place.number, label + lang.pick(zh: "：", en: ": ") + $0.text(lang)) }
            }
        }
        problems = numbered.enumerated().sorted { ($0.element.number, $0.offset) < ($1.element.number, $1.offset) }.map(\.element.text)
    }
}
