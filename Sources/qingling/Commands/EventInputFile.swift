import Foundation
import QinglingEvents
import QinglingWorkflow

/// Events read from a file or standard input: a JSON array of event documents, or JSON Lines
/// (one document per line, blank lines ignored). Every problem is collected with its line (or,
/// in an array, its item number).
struct EventInputFile {
    var inputs: [EventStore.Input] = []
    var problems: [String] = []

    init(path: String) throws {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: path) else {
                printError("qingling: cannot read \(path)")
                throw ExitCodes.ioError
            }
            data = contents
        }
        let bytes = [UInt8](data)
        let firstSignificant = bytes.first { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
        if firstSignificant == UInt8(ascii: "[") {
            readArray(bytes)
        } else {
            readLines(bytes)
        }
    }

    private mutating func readArray(_ bytes: [UInt8]) {
        do throws(JSONSyntaxError) {
            guard case .array(let items) = try JSONParser.parse(bytes) else { return }
            for (index, item) in items.enumerated() { add(item, line: index + 1, place: "item \(index + 1)") }
        } catch {
            problems.append("input is not valid JSON: \(error)")
        }
    }

    private mutating func readLines(_ bytes: [UInt8]) {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        for (index, line) in body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.filter { ![0x20, 0x09, 0x0D].contains($0) }
            if trimmed.isEmpty { continue }
            do throws(JSONSyntaxError) {
                add(try JSONParser.parse(Array(line)), line: index + 1, place: "line \(index + 1)")
            } catch {
                problems.append("line \(index + 1): not valid JSON: \(error.reason) (column \(error.column))")
            }
        }
    }

    private mutating func add(_ value: JSONValue, line: Int, place: String) {
        switch EventJSONDecoder.decode(value) {
        case .success(let event):
            inputs.append(EventStore.Input(line: line, event: event))
        case .failure(let error):
            let label = error.eventId.map { "\(place) (event \($0))" } ?? place
            for problem in error.problems { problems.append("\(label): \(problem)") }
        }
    }
}
