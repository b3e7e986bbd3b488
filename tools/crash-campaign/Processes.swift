import ArgumentParser
import Crypto
import Foundation
import QinglingArchive
import QinglingEvents
import QinglingLog
import QinglingWorkflow

/// The child the kill campaign starts: appends campaign events from where the log ends, in
/// synced batches of random size, and prints `ACK <first> <end>` once each append has
/// returned (is durable). Runs until killed.
struct WriterProcess: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "writer", abstract: "(internal) the writer the kill campaign kills.", shouldDisplay: false)

    @Argument var directory: String
    @Option var seed: UInt64 = 1

    func run() throws {
        let clock = SimulatedClock(microseconds: CampaignEvents.start)
        let store = try EventStore(appendingTo: directory, reference: .linxiang, options: LogOptions(clock: clock))
        var next = Int(try store.reader.nextSequence())
        var random = SplitMix(state: seed ^ UInt64(next))
        while true {
            let count = 1 + random.below(40)
            let inputs = (next..<next + count).map { EventStore.Input(event: CampaignEvents.event($0)) }
            clock.set(microseconds: max(clock.now(), CampaignEvents.occurredAt(next + count - 1) + 600_000_000))
            let report = try store.append(inputs, durability: .synced)
            FileHandle.standardOutput.write(Data("ACK \(report.written.lowerBound) \(report.written.upperBound)\n".utf8))
            next += count
        }
    }
}

/// The child that seals the first finished, unsealed year (killed at a random moment).
struct SealerProcess: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sealer", abstract: "(internal) the archive job the kill campaign kills.", shouldDisplay: false)

    @Argument var directory: String
    @Argument var privateKey: String

    func run() throws {
        let key = try SigningKeys.loadPrivateKey(privateKey)
        let reader = try LogReader(directory: directory)
        guard let now = try reader.lastRecordedAt() else { return }
        let current = ShanghaiTime.year(ofMicroseconds: now)
        guard let year = try reader.segments().filter({ !$0.sealed && $0.year < current }).map(\.year).min() else { return }
        let report = try ArchiveSealer.seal(year: year, directory: directory,
                                            options: LogOptions(clock: SimulatedClock(microseconds: now), createIfMissing: false), key: key)
        print("SEALED \(report.manifest.year)")
    }
}
