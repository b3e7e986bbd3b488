import ArgumentParser
import QinglingLog

/// `qingling recover`: shows damage at the end of the log and, on request, moves it aside.
struct RecoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract: "Show damage at the end of the log and, with --yes, move it aside to recovered/.",
        discussion: """
        The writer cuts a torn tail by itself (bytes a crash left that were never acknowledged: \
        no sync mark or batch after them says they were synced) just before it next writes. \
        Any other damage stops every command with exit status 5, naming the file and offset. \
        This command handles the rest:

        - ambiguous damage at the end of a segment written before sync marks (an older log): \
        nothing tells a torn write from lost synced data. `recover` shows the bytes it would \
        move aside (how many, and the batches and sequences they seem to hold); with --yes it \
        copies them to recovered/<segment>@<offset>.tail, syncs that, and cuts the segment.
        - a torn tail: cut now with --yes, as the writer would.
        - damage to acknowledged data (a valid batch or sync mark after it says it was synced) \
        is never cut: restore the segment from a copy (the sealed archive, a backup).

        Exit status: 0 when the log reads to its end or the damage was cut; 5 when damage \
        remains.

        Examples:
          qingling recover --log ./county-log
          qingling recover --log ./county-log --yes
        """
    )

    @OptionGroup var log: LogLocation

    @Flag(help: "Move the damaged bytes aside and cut the segment (otherwise only show them).")
    var yes = false

    func run() throws {
        let damage: TailDamage?
        do throws(LogError) { damage = try LogRecovery.inspect(directory: log.directory) } catch { throw ExitCodes.report(error) }
        guard let damage else {
            print("the log reads to its end: nothing to recover")
            return
        }
        print(StatusCommand.describe(damage))
        if damage.batchesAfter > 0 {
            let sequences = damage.sequencesAfter.map { " claiming sequences \($0.lowerBound)–\($0.upperBound)" } ?? ""
            print("the bytes to move aside hold \(damage.batchesAfter) intact-looking batch header\(damage.batchesAfter == 1 ? "" : "s")\(sequences)")
        }
        guard damage.kind != .acknowledged else {
            printError("qingling: not cut: these bytes were synced; restore \(damage.segment) from a copy")
            throw ExitCodes.corruption
        }
        guard yes else {
            print("nothing changed; run again with --yes to move \(damage.bytes) bytes to recovered/ and cut \(damage.segment) at offset \(damage.offset)")
            if damage.kind == .ambiguous { throw ExitCodes.corruption }
            return
        }
        do throws(LogError) {
            let savedTo = try LogRecovery.cut(damage, directory: log.directory)
            print("moved \(damage.bytes) bytes to \(savedTo); \(damage.segment) now ends at offset \(damage.offset)")
        } catch {
            throw ExitCodes.report(error)
        }
    }
}
