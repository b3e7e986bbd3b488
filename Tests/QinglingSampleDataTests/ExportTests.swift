import Foundation
import QinglingEvents
import QinglingSampleData
import Testing

/// On-demand exports and the throughput figure, run only when their environment variable is set:
///
///     QINGLING_SAMPLE_JSONL=/tmp/linxiang.jsonl swift test --filter ExportTests
///     QINGLING_REFERENCE_JSON=/tmp/linxiang.json swift test --filter ExportTests
///     QINGLING_SAMPLE_BENCH=1000000 swift test -c release --filter ExportTests
@Suite("Exports and throughput (on demand)")
struct ExportTests {
    static let environment = ProcessInfo.processInfo.environment

    @Test("writes the default data as JSON Lines", .enabled(if: environment["QINGLING_SAMPLE_JSONL"] != nil))
    func jsonLines() throws {
        let path = try #require(Self.environment["QINGLING_SAMPLE_JSONL"])
        var output: [UInt8] = []
        LinxiangGenerator().forEachEvent { event in
            JSONWriter.write(EventJSONEncoder.encode(event), to: &output)
            output.append(0x0A)
        }
        try Data(output).write(to: URL(fileURLWithPath: path))
    }

    @Test("writes the built-in reference data as JSON", .enabled(if: environment["QINGLING_REFERENCE_JSON"] != nil))
    func referenceJSON() throws {
        let path = try #require(Self.environment["QINGLING_REFERENCE_JSON"])
        try Data(JSONWriter.string(ReferenceData.linxiang.jsonValue()).utf8).write(to: URL(fileURLWithPath: path))
    }

    @Test("generates about N events with hazardsPerYear scaled to it", .enabled(if: environment["QINGLING_SAMPLE_BENCH"] != nil))
    func throughput() throws {
        let target = Int(Self.environment["QINGLING_SAMPLE_BENCH"] ?? "") ?? 1_000_000
        // Calibrate events per hazard on the default data.
        let perHazardYear = Double(SampleData.events.count) / 150.0
        let hazardsPerYear = Int((Double(target) / perHazardYear).rounded())
        let generator = LinxiangGenerator(hazardsPerYear: hazardsPerYear)
        let clock = ContinuousClock()
        var count = 0
        var types: [EventType: Int] = [:]
        let elapsed = clock.measure {
            generator.forEachEvent { event in
                count += 1
                types[event.type, default: 0] += 1
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        print("sample data: hazardsPerYear \(hazardsPerYear): \(count) events in \(String(format: "%.2f", seconds)) s, "
              + "\(Int(Double(count) / seconds)) events/s")
        print("sample data: " + EventType.allCases.map { "\($0.rawValue) \(types[$0, default: 0])" }.joined(separator: ", "))
        #expect(count > target * 8 / 10 && count < target * 12 / 10)
    }
}
