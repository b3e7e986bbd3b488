import ArgumentParser
import Foundation
import QinglingLog
import QinglingTestSupport

/// Simulated power cuts through the log's I/O seam (`PowerLossFileSystem`).
struct PowerCampaign: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "power",
        abstract: "Cut the power at chosen syncs; each unsynced write is kept, dropped, torn or garbled; check recovery.",
        discussion: """
        Each cut: a fresh log, synced and deferred appends rolling small segments, the power cut \
        at a chosen sync (or after the appends), recovery, then: every acknowledged record \
        present, every visible record exactly the one appended at its sequence, the hash chain \
        verifying, the log writable.
        """
    )

    @Option(help: "How many power cuts.") var cuts = 1_000
    @Option(help: "The random seed.") var seed: UInt64 = 1

    func run() throws {
        var random = SplitMix(state: seed)
        var fates: [PowerLossFileSystem.Fate: Int] = [:]
        var acknowledged = 0, visible = 0
        let started = Date()
        for cut in 1...cuts {
            let cutSeed = random.next()
            let result = try PowerCut(cutAtSync: 1 + random.below(45), seed: cutSeed).run()
            if let broken = result.broken {
                print("cut \(cut) (seed \(cutSeed)): BROKEN: \(broken)")
                throw ExitCode(1)
            }
            fates.merge(result.fates, uniquingKeysWith: +)
            acknowledged += result.acknowledged
            visible += result.visible
        }
        let fateText = PowerLossFileSystem.Fate.allCases.map { "\($0.rawValue) \(fates[$0] ?? 0)" }.joined(separator: ", ")
        print("""
        power campaign (seed \(seed)) passed in \(String(format: "%.0f", Date().timeIntervalSince(started))) s:
          power cuts simulated: \(cuts); unsynced writes: \(fateText)
          records acknowledged before the cuts: \(acknowledged), all present; records visible after recovery: \(visible), all whole
        """)
    }
}

/// One simulated power cut and its checks.
struct PowerCut {
    let cutAtSync: Int
    let seed: UInt64

    struct Result {
        var acknowledged = 0, visible = 0
        var fates: [PowerLossFileSystem.Fate: Int] = [:]
        var broken: String?
    }

    func run() throws -> Result {
        let directory = NSTemporaryDirectory() + "qingling-power-\(getpid())-\(seed)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fileSystem = PowerLossFileSystem(cutAtSync: cutAtSync, seed: seed)
        let clock = SimulatedClock(microseconds: ShanghaiTime.startOfYear(2024))
        var random = SplitMix(state: seed)
        var submitted: [Record] = []
        var result = Result()
        if let writer = try? LogWriter(directory: directory, options: LogOptions(fileSystem: fileSystem, clock: clock, segmentBytes: 6_000)) {
            for batch in 0..<60 {
                let records = (0..<(1 + random.below(12))).map { index in
                    Record(keys: ["H-\(index % 5)", "B-\(batch)"], payload: Array("batch \(batch) record \(index) \(random.next()) 隐患整改 \(String(repeating: "x", count: random.below(200)))".utf8))
                }
                let durable = random.below(3) != 0
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
