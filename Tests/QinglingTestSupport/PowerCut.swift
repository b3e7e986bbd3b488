import Foundation
import QinglingLog

/// One simulated power cut and its checks, shared by the test suite and the crash campaign:
/// a fresh log, up to 60 appends of 1–12 records (two thirds synced, one third deferred)
/// rolling 6 KB segments, the power cut at sync `cutAtSync` (or after the appends), recovery,
/// then every acknowledged record present, every visible record the one appended at its
/// sequence, `verify` passing, the log writable.
public struct PowerCut {
    public let cutAtSync: Int
    public let seed: UInt64

    public init(cutAtSync: Int, seed: UInt64) {
        self.cutAtSync = cutAtSync
        self.seed = seed
    }

    /// What the cut did, and the first broken promise, if any.
    public struct Result: Sendable {
        public var acknowledged = 0, visible = 0
        public var fates: [PowerLossFileSystem.Fate: Int] = [:]
        public var broken: String?
    }

    /// Runs the cut and its checks.
    public func run() throws -> Result {
        let directory = NSTemporaryDirectory() + "qingling-power-\(getpid())-\(seed)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fileSystem = PowerLossFileSystem(cutAtSync: cutAtSync, seed: seed)
        let clock = SimulatedClock(microseconds: ShanghaiTime.startOfYear(2024))
        var random = seed
        var submitted: [Record] = []
        var result = Result()
        if let writer = try? LogWriter(directory: directory, options: LogOptions(fileSystem: fileSystem, clock: clock, segmentBytes: 6_000)) {
            for batch in 0..<60 {
                let records = (0..<(1 + Int(PowerLossFileSystem.next(&random) % 12))).map { index in
                    Record(keys: ["H-\(index % 5)", "B-\(batch)"], payload: Array("batch \(batch) record \(index) \(PowerLossFileSystem.next(&random)) 隐患整改 \(String(repeating: "x", count: Int(PowerLossFileSystem.next(&random) % 200)))".utf8))
                }
                let durable = PowerLossFileSystem.next(&random) % 3 != 0
                clock.advance(microseconds: 1_000)
                submitted += records
                do {
                    _ = try writer.append(records, durability: durable ? .synced : .deferred)
                    if durable { result.acknowledged = submitted.count }
                } catch {
                    break
                }
            }
            if !fileSystem.hasCut { try fileSystem.cut() }
        }
        result.fates = fileSystem.fates
        do {
            try LogWriter(directory: directory, options: LogOptions(clock: SimulatedClock(microseconds: clock.now() + 1_000_000))).close()
            let reader = try LogReader(directory: directory)
            let records = try reader.readAll()
            result.visible = records.count
            if records.count < result.acknowledged { result.broken = "\(result.acknowledged) acknowledged, \(records.count) recovered" }
            for (index, record) in records.enumerated()
            where index >= submitted.count || record.sequence != UInt64(index) || record.payload != submitted[index].payload || record.keys != submitted[index].keys {
                result.broken = "record \(index) is not the record appended there"
                break
            }
            let report = try reader.verify()
            if !report.passed { result.broken = "verify: \(report.problems)" }
            let writer = try LogWriter(directory: directory, options: LogOptions(clock: SimulatedClock(microseconds: clock.now() + 2_000_000)))
            try writer.append([Record(keys: ["after"], payload: Array("after the cut".utf8))])
            try writer.close()
        } catch {
            result.broken = "recovery: \(error)"
        }
        return result
    }
}
