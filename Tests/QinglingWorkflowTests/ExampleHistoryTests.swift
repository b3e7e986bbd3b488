import Foundation
import Testing
import QinglingEvents
@testable import QinglingWorkflow

/// The interchange examples (`tools/schemas/examples/valid.jsonl`) tell one history, which the
/// workflow accepts whole: their ids, actors and dates follow every rule.
@Suite struct ExampleHistoryTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("tools/schemas/examples/valid.jsonl")

    @Test func theValidExamplesAreAcceptedAsOneHistory() throws {
        let text = try String(contentsOf: Self.examples, encoding: .utf8)
        // Less the key destruction: it needs a sealed identity, which only an append with a key
        // store makes (`ReporterSealingTests`), never an example.
        let events = try text.split(separator: "\n").map { try EventJSONDecoder.decode(try JSONParser.parse(String($0))).get() }
            .filter { $0.type != .reporterKeyDestroyed }
        #expect(events.count >= 12)
        let log = TemporaryLog()
        #expect(try log.store().violations(events).map(\.description) == [])
    }
}
