import Foundation
import Testing
import QinglingEvents
import QinglingLog
@testable import QinglingWorkflow

/// `Fixtures/v1-log` was written by the first version of the log and event formats, with its
/// export beside it (`v1-log.jsonl`). Every later version must read it identically.
@Suite struct FixtureLogTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    @Test func theFirstVersionsLogReadsIdentically() throws {
        let store = try EventStore(readingFrom: Self.fixtures.appendingPathComponent("v1-log").path)
        var stored: [StoredEvent] = []
        try store.forEachEvent { event, _ in stored.append(event) }
        let lines = try String(contentsOf: Self.fixtures.appendingPathComponent("v1-log.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        #expect(stored.count == lines.count)
        #expect(stored.count >= 10)
        for (event, line) in zip(stored, lines) {
            var written: [UInt8] = []
            EventJSONEncoder.write(event, to: &written)
            #expect(String(decoding: written, as: UTF8.self) == line)
            #expect(JSONWriter.string(EventJSONEncoder.encode(event.event, stored: (event.sequence, event.recordedAt, event.hash))) == line)
        }
        #expect(try store.reader.verify().passed)
    }
}
