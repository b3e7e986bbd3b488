import ArgumentParser
import Foundation
import QinglingArchive
import QinglingLog
import QinglingTestSupport

/// Starts the writer (and now and then the archive job) as a real process, kills it with
/// SIGKILL at a random moment, and checks the log after every kill.
struct KillCampaign: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kill",
        abstract: "SIGKILL a writer (and the archive job) at random moments; after each kill check every acknowledged event.",
        discussion: """
        Every --big-every kills, a writer appends one input of 12,000 to 15,000 events (a \
        multi-batch append) after a small one, in a fresh log of its own, and is killed during \
        it: a quarter of the time within 2 s of announcing it, a quarter during its write, a \
        quarter during the write of its last batch, a quarter in the 150 ms after the write.

        After every kill: damage at the end of the log is a torn tail at most; the log opens for \
        writing; every sequence from 0 holds exactly the event appended there (byte for byte); \
        every acknowledged event is present; of a multi-batch append, all events or none; the \
        hash chain verifies, and sealed years verify (signature, files, Merkle roots). A torn \
        tail is cut by the next writer, killed after its first append, and must then be in \
        recovered/, byte for byte.
        """
    )

    @Option(help: "How many kills (not counting those of a writer after it cut a torn tail).") var kills = 30
    @Option(help: "The random seed (the same seed gives the same kill schedule).") var seed: UInt64 = 1
    @Option(help: "Kill the archive job instead of the writer every this many kills (0: never).") var sealEvery = 6
    @Option(help: "Kill a writer during a multi-batch append every this many kills (0: never).") var bigEvery = 2
    @Option(help: ArgumentHelp("Where to keep the log (default: a fresh temporary directory).", valueName: "DIR")) var directory: String?

    func run() throws {
        let directory = self.directory ?? NSTemporaryDirectory() + "qingling-kill-\(getpid())"
        let multiBatchDirectory = directory + "-multi-batch"
        let keyPath = directory + ".signing-key"
        for path in [directory, multiBatchDirectory] where FileManager.default.fileExists(atPath: path) {
            throw ValidationError("\(path) exists; give a new directory")
        }
        var passed = false
        defer {
            // A log that broke a promise is kept for inspection.
            if self.directory == nil, passed {
                for path in [directory, multiBatchDirectory, keyPath] { try? FileManager.default.removeItem(atPath: path) }
            }
        }
        var random = SplitMix(state: seed)
        var checks = KillChecks(directory: directory)
        var multiBatchFigures = KillFigures()
        let started = Date()
        for cycle in 1...kills {
            do {
                if sealEvery > 0 && cycle % sealEvery == 0 && FileManager.default.fileExists(atPath: keyPath) {
                    let child = try ChildProcess(["sealer", directory, keyPath])
                    child.kill(afterMicroseconds: random.below(1_500_000))
                    checks.sealerKilled(sealed: child.finish().contains { $0.hasPrefix("SEALED") })
                    try checks.check()
                } else if bigEvery > 0 && cycle % bigEvery == 0 {
                    multiBatchFigures = multiBatchFigures + (try Self.killDuringMultiBatchAppend(in: multiBatchDirectory, random: &random))
                } else {
                    try Self.killWriter(checks: &checks, random: &random, firstMicroseconds: 20_000, spreadMicroseconds: 600_000)
                    try checks.check()
                }
            } catch let broken as BrokenPromise {
                print("kill \(cycle): BROKEN: \(broken.what) (the logs are kept in \(directory) and \(multiBatchDirectory))")
                throw ExitCode(1)
            }
            if !FileManager.default.fileExists(atPath: keyPath), FileManager.default.fileExists(atPath: directory + "/log.meta") {
                _ = try SigningKeys.generate(privateKeyPath: keyPath, logDirectory: directory)
            }
        }
        passed = true
        print((checks.figures + multiBatchFigures).report(seconds: Date().timeIntervalSince(started), seed: seed))
    }

    /// Starts a writer of small appends on the checked log and kills it at a random moment
    /// `first` to `first + spread` µs after its start; when a torn tail is to be cut, the writer
    /// first appends one event (cutting the tail just before) and the moment is counted from then.
    private static func killWriter(checks: inout KillChecks, random: inout SplitMix, firstMicroseconds: Int, spreadMicroseconds: Int) throws {
        let cutting = checks.tornTailPending
        let child = try ChildProcess(["writer", checks.directory, "--seed", String(random.next())] + (cutting ? ["--first", "1"] : []))
        if cutting { _ = child.waitForLine(startingWith: "ACK ") }
        child.kill(afterMicroseconds: firstMicroseconds + random.below(spreadMicroseconds))
        checks.writerKilled(output: child.finish(), bigAppend: nil)
    }

    /// One kill during a multi-batch append, in a fresh log: the writer creates it, appends 1 to
    /// 40 events, then one input of 12,000 to 15,000 events (half the time spooled, as
    /// `qingling append` writes it: a write per batch), and is killed (see
    /// `killDuringBigAppend`). The log is checked; if the kill left a torn tail, the next writer
    /// is killed once it has cut it, and the log checked again. In a log its store created, the
    /// store knows every event and looks none up through the index (a look-up costs about a
    /// millisecond in the debug build CI runs: half a minute for such an append otherwise).
    private static func killDuringMultiBatchAppend(in directory: String, random: inout SplitMix) throws -> KillFigures {
        try? FileManager.default.removeItem(atPath: directory)
        var checks = KillChecks(directory: directory)
        let size = 12_000 + random.below(3_001)
        let spooled = random.below(2) == 0
        let child = try ChildProcess(["writer", directory, "--seed", String(random.next()),
                                      "--first", String(1 + random.below(40)), "--big", String(size)] + (spooled ? ["--spooled"] : []))
        let announced = child.waitForLine(startingWith: "BIG ").flatMap(Self.range)
        if announced != nil { killDuringBigAppend(child, events: size, random: &random) }
        checks.writerKilled(output: child.finish(), bigAppend: announced)
        try checks.check()
        if checks.tornTailPending {
            try killWriter(checks: &checks, random: &random, firstMicroseconds: 0, spreadMicroseconds: 50_000)
            try checks.check()
        }
        var figures = checks.figures
        if spooled { figures.bigSpooled += 1 }
        return figures
    }

    /// Kills a writer that has announced a multi-batch append (`BIG`) of `events` events, in
    /// one of four ways, each a quarter of the time: at a random moment of the next 2 s (mostly
    /// while it checks and encodes the events, before anything is written); or, once it starts
    /// writing the append (`WRITING <bytes>`), at a random moment of the write, of the write of
    /// its last batch (`EventStore` puts 10,000 events in each batch but the last), or of the
    /// 150 ms after the write (its sync, sync mark and acknowledgement).
    private static func killDuringBigAppend(_ child: ChildProcess, events: Int, random: inout SplitMix) {
        let way = random.below(4)
        guard way != 0 else {
            child.kill(afterMicroseconds: random.below(2_000_000))
            return
        }
        guard let writing = child.waitForLine(startingWith: "WRITING "), let bytes = Int(writing.dropFirst("WRITING ".count)) else {
            child.kill(afterMicroseconds: 0)
            return
        }
        let write = (bytes + WriterProcess.piece - 1) / WriterProcess.piece * WriterProcess.pauseMicroseconds
        let lastBatch = write * (events - (events - 1) / 10_000 * 10_000) / events
        switch way {
        case 1: child.kill(afterMicroseconds: random.below(write))
        case 2: child.kill(afterMicroseconds: write - lastBatch + random.below(lastBatch))
        default: child.kill(afterMicroseconds: write + random.below(150_000))
        }
    }

    /// The sequences of a `BIG <first> <end>` line.
    private static func range(_ line: String) -> Range<Int>? {
        let parts = line.split(separator: " ")
        guard parts.count == 3, let first = Int(parts[1]), let end = Int(parts[2]), first <= end else { return nil }
        return first..<end
    }
}
