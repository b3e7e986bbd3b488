import ArgumentParser
import QinglingEvents
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
    @OptionGroup var language: LanguageOption

    @Flag(help: "Move the damaged bytes aside and cut the segment (otherwise only show them).")
    var yes = false

    func run() throws {
        language.use()
        let lang = language.lang
        let damage: TailDamage?
        do throws(LogError) { damage = try LogRecovery.inspect(directory: log.directory) } catch { throw ExitCodes.report(error) }
        guard let damage else {
            print(lang.pick(zh: "日志可以读到末尾：没有需要恢复的内容", en: "the log reads to its end: nothing to recover"))
            return
        }
        print(StatusCommand.describe(damage, lang))
        if damage.batchesAfter > 0 {
            let sequences = damage.sequencesAfter.map { lang.pick(zh: "，声称序号 \($0.lowerBound)–\($0.upperBound)", en: " claiming sequences \($0.lowerBound)–\($0.upperBound)") } ?? ""
            print(lang.pick(zh: "要移走的字节中有 \(damage.batchesAfter) 个看似完整的批次头\(sequences)",
                            en: "the bytes to move aside hold \(damage.batchesAfter) intact-looking batch header\(damage.batchesAfter == 1 ? "" : "s")\(sequences)"))
        }
        guard damage.kind != .acknowledged else {
            printError("qingling: " + lang.pick(zh: "未截断：这些字节已同步过；请从副本恢复 \(damage.segment)",
                                                en: "not cut: these bytes were synced; restore \(damage.segment) from a copy"))
            throw ExitCodes.corruption
        }
        guard yes else {
            print(lang.pick(zh: "未做任何改动；加 --yes 再运行，把 \(damage.bytes) 字节移到 recovered/ 并在偏移 \(damage.offset) 处截断 \(damage.segment)",
                            en: "nothing changed; run again with --yes to move \(damage.bytes) bytes to recovered/ and cut \(damage.segment) at offset \(damage.offset)"))
            if damage.kind == .ambiguous { throw ExitCodes.corruption }
            return
        }
        do throws(LogError) {
            let savedTo = try LogRecovery.cut(damage, directory: log.directory)
            print(lang.pick(zh: "已把 \(damage.bytes) 字节移到 \(savedTo)；\(damage.segment) 现在在偏移 \(damage.offset) 处结束",
                            en: "moved \(damage.bytes) bytes to \(savedTo); \(damage.segment) now ends at offset \(damage.offset)"))
        } catch {
            throw ExitCodes.report(error)
        }
    }
}
