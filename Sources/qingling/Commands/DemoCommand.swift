import ArgumentParser
import Foundation
import QinglingLog

/// `qingling demo`: the main job on built-in sample data.
///
/// Until the hazard events land, the demo exercises the log itself: a fresh log on a simulated
/// clock running from 2023 to 2025, appends in batches, a reopen, a read-back, a stream lookup
/// and a full verification.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create a fresh demo log, append sample records for 2023–2025, read them back and verify them.",
        discussion: """
        The log is created on a simulated clock (recorded in its log.meta), so that its past \
        years can be sealed later.

        Example:
          qingling demo
          qingling demo --directory /tmp/demo-log --records 20000
        """
    )

    @Option(help: ArgumentHelp("Where to create the demo log; it must not exist yet (default: ./qingling-demo-<date>-<time>).", valueName: "DIR"))
    var directory = "./qingling-demo-" + DemoCommand.timestamp()

    @Option(help: "How many records to append.")
    var records = 6_000

    func validate() throws {
        guard !FileManager.default.fileExists(atPath: directory) else {
            throw ValidationError("\(directory) already exists; remove it or pick another --directory")
        }
        guard records > 0 else { throw ValidationError("--records must be positive") }
    }

    func run() throws {
        do throws(LogError) {
            try runDemo()
        } catch {
            throw ExitCodes.report(error)
        }
    }

    private func runDemo() throws(LogError) {
        let start = ShanghaiTime.startOfYear(2023)
        let span = ShanghaiTime.startOfYear(2026) - start
        let clock = SimulatedClock(microseconds: start)
        let writer = try LogWriter(directory: directory, options: LogOptions(clock: clock, segmentBytes: 256 << 10))
        print("demo log: \(writer.layout.directory) (simulated clock)")
        var written = 0
        var batches = 0
        while written < records {
            let size = min(records - written, [1, 5, 20, 100][batches % 4])
            clock.set(microseconds: start + span * Int64(written) / Int64(records))
            let batch = (0..<size).map { sampleRecord(written + $0) }
            try writer.append(batch)
            written += size
            batches += 1
        }
        try writer.close()
        print("appended \(written) records in \(batches) batches")

        let reopened = try LogWriter(directory: directory, options: LogOptions(clock: clock))
        print("reopened: next sequence \(reopened.nextSequence), files changed by recovery: \(reopened.recovery.changedFiles ? "yes" : "no")")
        try reopened.close()

        let reader = try LogReader(directory: directory)
        var perYear: [Int: (segments: Int, records: Int, bytes: Int64)] = [:]
        for name in try reader.segments() {
            let size = (try? FileManager.default.attributesOfItem(atPath: reader.layout.segment(name))[.size] as? Int64) ?? 0
            perYear[name.year, default: (0, 0, 0)].segments += 1
            perYear[name.year, default: (0, 0, 0)].bytes += size
        }
        var payloadBytes = 0
        var count = 0
        try reader.forEach { record in
            perYear[ShanghaiTime.year(ofMicroseconds: record.recordedAt), default: (0, 0, 0)].records += 1
            payloadBytes += record.payload.count
            count += 1
        }
        print("read back \(count) records:")
        print("  year  segments  records  bytes on disk")
        for year in perYear.keys.sorted() {
            let entry = perYear[year] ?? (0, 0, 0)
            print("  \(year)  \(pad(entry.segments, 8))  \(pad(entry.records, 7))  \(pad(Int(entry.bytes), 13))")
        }
        let disk = perYear.values.reduce(Int64(0)) { $0 + $1.bytes }
        print("payload \(payloadBytes) bytes, on disk \(disk) bytes: \(String(format: "%.2f", Double(payloadBytes) / Double(max(disk, 1))))× compression")
        let trail = try reader.records(forKey: "LX-2024-0007")
        print("stream LX-2024-0007: \(trail.count) records at sequences \(trail.prefix(6).map(\.sequence).map(String.init).joined(separator: ", "))\(trail.count > 6 ? ", …" : "")")
        let report = try reader.verify()
        print("verify: \(report.passed ? "passed" : "FAILED") (\(report.batches) batches, hash chain head \(report.lastBatchHash.hexString.prefix(16))…)")
    }

    /// `20261129-043000`, local time, for a fresh default directory on every run.
    static func timestamp() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: Date())
    }

    private func sampleRecord(_ number: Int) -> Record {
        let hazard = "LX-\(2023 + number * 3 / records)-\(String(format: "%04d", number % 40))"
        let text = "{\"n\":\(number),\"hazardId\":\"\(hazard)\",\"note\":\"排查上报 整改 验收 销号 #\(number % 17)\"}"
        return Record(keys: [hazard], payload: Array(text.utf8))
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
