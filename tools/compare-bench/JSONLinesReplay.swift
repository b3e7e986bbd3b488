import Foundation
import QinglingEvents
import QinglingProjections

/// The naive approach: the events as JSON Lines (`qingling export`), each line decoded with
/// Foundation's `JSONDecoder`, turned into an event and folded into the same projections.
enum JSONLinesReplay {
    static func run(jsonLines: String, statisticsOutput: String) throws {
        guard let input = FileHandle(forReadingAtPath: jsonLines) else { throw BenchError("cannot read \(jsonLines)") }
        guard let period = Period(statisticsPeriodText) else { throw BenchError("bad period \(statisticsPeriodText)") }
        let decoder = JSONDecoder()
        var state = ProjectionState()
        var events = 0
        let replay = try seconds {
            try JSONLines.forEachLine(input) { line in
                let document = try decoder.decode(DecodedJSON.self, from: Data(line))
                guard case .object(let members) = document.value,
                      case .number(let sequenceText)? = members.first(where: { $0.key == "sequence" })?.value,
                      let sequence = UInt64(sequenceText),
                      case .string(let recordedText)? = members.first(where: { $0.key == "recordedAt" })?.value,
                      let recordedAt = ShanghaiDateTime(recordedText)
                else { throw BenchError("line \(events + 1) of \(jsonLines) is not an exported event") }
                switch EventJSONDecoder.decode(document.value) {
                case .success(let event):
                    try state.apply(StoredEvent(sequence: sequence, recordedAt: recordedAt, event: event, hash: []))
                case .failure(let error):
                    throw BenchError("line \(events + 1) of \(jsonLines): \(error)")
                }
                events += 1
            }
        }
        let statistics = ClearanceStatistics(state, period: period, grouping: .regionAndIndustry, reference: .linxiang)
        try RebuildMeasures.write(statistics, to: statisticsOutput)
        result("jsonl_seconds", replay)
        result("jsonl_events_per_second", Double(events) / replay)
        result("jsonl_peak_mib", peakMemoryMiB())
        note("JSON Lines + JSONDecoder: \(events) events replayed in \(String(format: "%.1f", replay)) s")
    }
}

/// Any JSON document, decoded by Foundation's `JSONDecoder` into the project's `JSONValue`.
struct DecodedJSON: Decodable {
    let value: JSONValue

    init(from decoder: any Decoder) throws {
        // Most values are strings, then objects: try those first (each failed attempt throws).
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            value = .string(text)
        } else if let object = try? decoder.container(keyedBy: AnyKey.self) {
            value = .object(try object.allKeys.map { JSONMember($0.stringValue, try object.decode(DecodedJSON.self, forKey: $0).value) })
        } else if var array = try? decoder.unkeyedContainer() {
            var elements: [JSONValue] = []
            while !array.isAtEnd { elements.append(try array.decode(DecodedJSON.self).value) }
            value = .array(elements)
        } else {
            let single = try decoder.singleValueContainer()
            if single.decodeNil() {
                value = .null
            } else if let bool = try? single.decode(Bool.self) {
                value = .bool(bool)
            } else if let integer = try? single.decode(Int64.self) {
                value = .number(String(integer))
            } else {
                value = .number(String(try single.decode(Double.self)))
            }
        }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// Reads a file of lines in large chunks.
enum JSONLines {
    static func forEachLine(_ file: FileHandle, _ body: (ArraySlice<UInt8>) throws -> Void) throws {
        var buffer: [UInt8] = []
        while let chunk = try file.read(upToCount: 4 << 20), !chunk.isEmpty {
            buffer += chunk
            var start = buffer.startIndex
            while let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                if newline > start { try body(buffer[start..<newline]) }
                start = newline + 1
            }
            buffer.removeFirst(start)
        }
        if !buffer.isEmpty { try body(buffer[...]) }
    }
}
