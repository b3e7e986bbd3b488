import ArgumentParser
import Crypto
import Foundation
import QinglingArchive
import QinglingEvents
import QinglingLog
import QinglingTestSupport
import QinglingWorkflow

/// The child the kill campaign starts: appends campaign events from where the log ends through
/// `EventStore.append` (as `qingling append` does), in synced appends of random size, and
/// prints `ACK <first> <end>` once each append has returned (is durable). With `--big N` it
/// first appends one input of N events (over 10,000: a multi-batch append), printing
/// `BIG <first> <end>` before it, gathered in a spool as `qingling append` gathers it when
/// `--spooled` (`EventStore.beginAppend(spooled:)`, written a batch at a time), else held in
/// memory; with `--first N` its first append is of N events (a writer that must cut a torn tail
/// does so before its first append, after looking up its events). Runs until killed.
///
/// Writes longer than `piece` bytes (a multi-batch append's, an index's) are made in pieces
/// `pause` apart (`PacedFileSystem`), the start of each such write to a segment announced with
/// `WRITING <bytes>`, so that the campaign's kill can land inside it.
struct WriterProcess: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "writer", abstract: "(internal) the writer the kill campaign kills.", shouldDisplay: false)
    static let piece = 32 << 10
    static let pauseMicroseconds = 3_000

    @Argument var directory: String
    @Option var seed: UInt64 = 1
    @Option var big = 0
    @Option var first = 0
    @Flag var spooled = false

    func run() throws {
        let clock = SimulatedClock(microseconds: CampaignEvents.start)
        let fileSystem = PacedFileSystem(pauseMicroseconds: useconds_t(Self.pauseMicroseconds), piece: Self.piece, pausingEveryChange: false,
                                         onLongWrite: { path, bytes in if path.hasSuffix(SegmentName.suffix) { say("WRITING \(bytes)") } })
        let store = try EventStore(appendingTo: directory, reference: .linxiang, options: LogOptions(fileSystem: fileSystem, clock: clock))
        var next = Int(try store.reader.nextSequence())
        var random = SplitMix(state: seed ^ UInt64(next))
        if first > 0 {
            try append(next..<next + first, to: store, clock: clock)
            next += first
        }
        if big > 0 {
            say("BIG \(next) \(next + big)")
            try append(next..<next + big, to: store, clock: clock, spooled: spooled)
            next += big
        }
        while true {
            let count = 1 + random.below(40)
            try append(next..<next + count, to: store, clock: clock)
            next += count
        }
    }

    /// Appends the campaign's events `range` as one input, synced, and says so once it is durable.
    private func append(_ range: Range<Int>, to store: EventStore, clock: SimulatedClock, spooled: Bool = false) throws {
        let inputs = range.map { EventStore.Input(event: CampaignEvents.event($0)) }
        clock.set(microseconds: max(clock.now(), CampaignEvents.occurredAt(range.upperBound - 1) + 600_000_000))
        let report = try store.append(inputs, durability: .synced, spooled: spooled)
        say("ACK \(report.written.lowerBound) \(report.written.upperBound)")
    }
}

/// Prints `line` to standard output at once (the campaign reads it as it comes).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
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

/// The child the recover campaign kills: does what `qingling recover --yes` does
/// (`LogRecovery.inspect`, then `LogRecovery.cut`), every change it makes waiting `pause`
/// first and its copy of the damaged bytes written in pieces of `piece` bytes
/// (`PacedFileSystem`), so that a kill lands between any two of its steps. Prints
/// `READY <bytes>` (the damaged bytes it will move) before it cuts, `STEP` as each pause
/// begins, and `CUT <path>` after.
struct RecovererProcess: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "recoverer", abstract: "(internal) the recovery the recover campaign kills.", shouldDisplay: false)
    static let piece = 1_024
    static let pauseMicroseconds = 4_000
    /// The changes a cut makes besides writing its copy (each after a pause): create
    /// `recovered/`, create, empty, sync the copy, sync `recovered/`, truncate and sync the segment.
    static let otherChanges = 7

    @Argument var directory: String

    func run() throws {
        let fileSystem = PacedFileSystem(pauseMicroseconds: useconds_t(Self.pauseMicroseconds), piece: Self.piece, pausingEveryChange: true) {
            say("STEP")
        }
        guard let damage = try LogRecovery.inspect(directory: directory, fileSystem: fileSystem) else { return }
        say("READY \(damage.bytes)")
        say("CUT \(try LogRecovery.cut(damage, directory: directory, fileSystem: fileSystem))")
    }
}
