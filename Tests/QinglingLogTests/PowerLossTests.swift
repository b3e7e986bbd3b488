@testable import QinglingLog
import QinglingTestSupport
import Testing

/// Simulated power loss through the log's file-system seam: the power goes at a chosen sync,
/// and every write not yet synced is kept, dropped, torn or garbled. Recovery must keep every
/// record acknowledged before the cut, and show nothing else but whole records appended after.
@Suite struct PowerLossTests {
    @Test func recoveryKeepsEveryAcknowledgedRecordAcrossManyCuts() throws {
        var fates: [PowerLossFileSystem.Fate: Int] = [:]
        var cuts = 0
        for seed in UInt64(1)...40 {
            for cutAt in stride(from: 1, through: 40, by: 3) {
                let result = try PowerCut(cutAtSync: cutAt, seed: seed &* 7_919 &+ UInt64(cutAt)).run()
                #expect(result.broken == nil, "cut at sync \(cutAt), seed \(seed): \(result.broken ?? "")")
                #expect(result.visible >= result.acknowledged)
                fates.merge(result.fates, uniquingKeysWith: +)
                cuts += 1
            }
        }
        #expect(cuts == 560)
        #expect(PowerLossFileSystem.Fate.allCases.allSatisfy { (fates[$0] ?? 0) > 50 }, "\(fates)")
    }

    /// A writer killed after writing but before syncing leaves bytes only the page cache holds.
    /// The next writer, if it writes nothing, must not write an index claiming them (an index
    /// says its bytes were synced): a power cut would then make the log refuse to open, saying
    /// synced data was lost.
    @Test func aWriterThatWritesNothingIndexesNoBytesItDidNotSync() throws {
        var refusals: [String] = []
        for seed in UInt64(1)...24 {
            let directory = TemporaryDirectory("unsynced-index")
            let fileSystem = PowerLossFileSystem(cutAtSync: .max, seed: seed)
            do {
                let killed = try LogWriter(directory: directory.path, options: simulatedOptions(fileSystem: fileSystem).0)
                try killed.append(sampleRecords(5))
                try killed.append(sampleRecords(5, batch: 1), durability: .deferred)
            }  // killed: neither synced nor closed
            try LogWriter(directory: directory.path, options: simulatedOptions(at: june2024 + 1_000_000, fileSystem: fileSystem).0).close()
            try fileSystem.cut()
            do {
                try LogWriter(directory: directory.path, options: simulatedOptions(at: june2024 + 2_000_000).0).close()
                #expect(try LogReader(directory: directory.path).readAll().count >= 5)
            } catch {
                refusals.append("seed \(seed): \(error)")
            }
        }
        #expect(refusals.isEmpty, "\(refusals.count) of 24 logs refused after the cut: \(refusals.first ?? "")")
    }
}
