@testable import QinglingLog
import QinglingTestSupport
import Testing

/// Simulated power loss through the log's file-system seam: the power goes at a chosen sync,
/// and every write not yet synced is kept, dropped, torn or garbled. Recovery must keep every
/// record acknowledged before the cut, and show nothing else but whole records appended after.
@Suite struct PowerLossTests {
    /// One cut: appends (synced and deferred, rolling small segments) until the power goes at
    /// sync `cutAt`, then recovery and the checks. Returns what happened, for the figures.
    static func run(cutAt: Int, seed: UInt64) throws -> (acknowledged: Int, visible: Int, fates: [PowerLossFileSystem.Fate: Int]) {
        let temporary = TemporaryDirectory("power")
        let directory = temporary.child("log")
        let fileSystem = PowerLossFileSystem(cutAtSync: cutAt, seed: seed)
        let (options, clock) = simulatedOptions(segmentBytes: 6_000, fileSystem: fileSystem)
        var submitted: [Record] = []
        var acknowledged = 0
        var random = seed
        if let writer = try? LogWriter(directory: directory, options: options) {
            for batch in 0..<60 {
                let count = Int(PowerLossFileSystem.next(&random) % 12) + 1
                let records = sampleRecords(count, batch: batch, payloadBytes: 40 + Int(PowerLossFileSystem.next(&random) % 200))
                let durable = PowerLossFileSystem.next(&random) % 3 != 0
                clock.advance(microseconds: 1_000)
                do {
                    _ = try writer.append(records, durability: durable ? .synced : .deferred)
                    submitted += records
                    if durable { acknowledged = submitted.count }
                } catch {
                    // The append may or may not have reached the disk: its records count as submitted.
                    submitted += records
                    break
                }
            }
            if !fileSystem.hasCut { try fileSystem.cut() }
        }
        let recovered = try LogWriter(directory: directory, options: simulatedOptions(at: clock.now() + 1_000_000).0)
        try recovered.close()
        let reader = try LogReader(directory: directory)
        let records = try reader.readAll()
        #expect(records.count >= acknowledged, "cut at sync \(cutAt), seed \(seed): \(records.count) records, \(acknowledged) acknowledged")
        for (index, record) in records.enumerated() {
            guard index < submitted.count, record.sequence == UInt64(index),
                  record.payload == submitted[index].payload, record.keys == submitted[index].keys else {
                Issue.record("cut at sync \(cutAt), seed \(seed): record \(index) is not the record appended there")
                break
            }
        }
        #expect(try reader.verify().passed, "cut at sync \(cutAt), seed \(seed)")
        // Writable again.
        let writer = try LogWriter(directory: directory, options: simulatedOptions(at: clock.now() + 2_000_000).0)
        try writer.append(sampleRecords(2, batch: 999))
        try writer.close()
        #expect(try LogReader(directory: directory).readAll().count == records.count + 2)
        return (acknowledged, records.count, fileSystem.fates)
    }

    @Test func recoveryKeepsEveryAcknowledgedRecordAcrossManyCuts() throws {
        var fates: [PowerLossFileSystem.Fate: Int] = [:]
        var cuts = 0
        for seed in UInt64(1)...40 {
            for cutAt in stride(from: 1, through: 40, by: 3) {
                let result = try Self.run(cutAt: cutAt, seed: seed &* 7_919 &+ UInt64(cutAt))
                fates.merge(result.fates, uniquingKeysWith: +)
                cuts += 1
            }
        }
        #expect(cuts == 560)
        #expect(PowerLossFileSystem.Fate.allCases.allSatisfy { (fates[$0] ?? 0) > 50 }, "\(fates)")
    }
}
