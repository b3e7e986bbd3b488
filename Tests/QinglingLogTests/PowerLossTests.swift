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
}
