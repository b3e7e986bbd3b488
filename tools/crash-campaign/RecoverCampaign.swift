import ArgumentParser
import Foundation
import QinglingTestSupport

/// Kills recovery (`qingling recover --yes`'s work) at random moments, on logs whose last
/// segment has damage that recover may cut, and checks each log after the kill.
struct RecoverCampaign: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract: "SIGKILL recovery (qingling recover --yes) at random moments; check the damage stays or is cut exactly, saved, and nothing acknowledged is lost.",
        discussion: """
        Each kill: a fresh log with damage at the end of its last segment, in turn ambiguous (a \
        copy of the version-1 fixture log with random bytes, zeros or a torn copy of its batch \
        after its last batch) and a torn tail (a log of 2 to 6 appends, some of several \
        batches, with the same kinds of garbage after its last sync mark, or with a multi-batch \
        append written but not synced and cut inside its last batch). A child process inspects \
        and cuts it as `qingling recover --yes` does, every change it makes 4 ms apart, and is \
        killed at a random moment of the pause before one of its changes, chosen at random.

        After the kill the log shows exactly the damage it showed before (then an undisturbed \
        recover cuts it), or none, its segment ending exactly where the damage began. Then: a \
        file in recovered/ holds the damaged bytes exactly; every record before the damage reads \
        back as it was; the log takes an append and verifies.
        """
    )

    @Option(help: "How many kills.") var kills = 20
    @Option(help: "The random seed (the same seed gives the same logs and kill moments).") var seed: UInt64 = 1
    @Option(help: ArgumentHelp("The version-1 log to damage (written before sync marks).", valueName: "DIR"))
    var fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Tests/QinglingWorkflowTests/Fixtures/v1-log").path

    func run() throws {
        var random = SplitMix(state: seed)
        var checks = RecoverChecks()
        let started = Date()
        for kill in 1...kills {
            let directory = NSTemporaryDirectory() + "qingling-recover-\(getpid())-\(kill)"
            do {
                let log = try DamagedLog.make(DamagedLog.Kind.allCases[kill % 2], in: directory, fixture: fixture, random: &random)
                let child = try ChildProcess(["recoverer", directory])
                if let ready = child.waitForLine(startingWith: "READY "), let bytes = Int(ready.dropFirst("READY ".count)) {
                    // Killed in the pause before one of the cut's changes, chosen at random.
                    let changes = RecovererProcess.otherChanges + (bytes + RecovererProcess.piece - 1) / RecovererProcess.piece
                    let change = 1 + random.below(changes)
                    if (1...change).allSatisfy({ _ in child.waitForLine(startingWith: "STEP") != nil }) {
                        child.kill(afterMicroseconds: random.below(RecovererProcess.pauseMicroseconds))
                    }
                }
                try checks.check(log, cutReported: child.finish().contains { $0.hasPrefix("CUT ") })
            } catch let broken as BrokenPromise {
                print("kill \(kill): BROKEN: \(broken.what) (the log is kept in \(directory))")
                throw ExitCode(1)
            }
            try FileManager.default.removeItem(atPath: directory)
        }
        print(checks.figures.report(seconds: Date().timeIntervalSince(started), seed: seed))
    }
}
