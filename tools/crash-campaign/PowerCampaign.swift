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
