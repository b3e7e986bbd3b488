import ArgumentParser
import QinglingEvents
import QinglingReports
import QinglingArchive
import QinglingLog

/// `qingling verify`: re-checks every byte of the log and its sealed years.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-check the log and its sealed years: checksums, the hash chain, Merkle roots, signatures, the chain of yearly roots.",
        discussion: """
        Without YEAR: every segment (live and sealed), then every sealed year, then the \
        projection checkpoint (DIR/projections/state.qlproj): brought up to date, it must equal \
        a full rebuild of the projections, figure by figure. With YEAR: that sealed year, and \
        what chains it to the years before. With --head FILE (a head signed by `qingling head \
        --sign`): only that the log still holds the head and extends it: the signature, the \
        log's identity, every record up to the head's size with the signed Merkle root and last \
        recorded time (live and sealed alike), and the hash chain there where a batch boundary \
        is left (a live batch, or the end of a sealed year). Exits 0 when everything checks \
        out, 5 when any problem is found; each problem names its file (and byte offset, or \
        figure, where one applies), or says what does not match. Exits 3 when YEAR is not \
        sealed (nothing to verify yet: that is no failure), 4 when the log cannot be read (the \
        errno is named), 64 when DIR is not a log.

        Examples:
          qingling verify --log ./qingling-data
          qingling verify 2024 --public-key auditor-copy-of-signing.pub
          qingling verify --head head.json --public-key auditor-copy-of-signing.pub
        """
    )

    @Argument(help: ArgumentHelp("Only this sealed year.", valueName: "YEAR")) var year: Int?
    @Option(name: .customLong("public-key"), help: ArgumentHelp("Check signatures with this public key file (default: DIR/signing.pub).", valueName: "FILE"))
    var publicKey: String?
    @Option(help: ArgumentHelp("Check only that the log still holds this signed head (qingling head --sign) and extends it.", valueName: "FILE"))
    var head: String?
    @OptionGroup var log: LogLocation
    @OptionGroup var language: LanguageOption

    func validate() throws {
        if head != nil, year != nil { throw ValidationError("give a YEAR or --head FILE, not both") }
    }

    func run() throws {
        language.use()
        let lang = language.lang
        if let head { return try verifyHead(head) }
        do {
            let key = try publicKey.map(SigningKeys.loadPublicKey)
            let report = try ArchiveVerifier.verify(directory: log.directory, year: year, publicKey: key)
            if let logReport = report.log {
                print(lang.pick(zh: "段：\(logReport.segments)，批次：\(logReport.batches)，记录：\(logReport.records)，字节：\(logReport.bytes)",
                                en: "segments: \(logReport.segments), batches: \(logReport.batches), records: \(logReport.records), bytes: \(logReport.bytes)"))
                print(lang.pick(zh: "哈希链头：", en: "hash chain head: ") + logReport.lastBatchHash.hexString)
                for problem in logReport.problems { print(lang.pick(zh: "问题：", en: "problem: ") + "\(problem)") }
                if let torn = logReport.tornTail {
                    print(lang.pick(zh: "注意：日志以撕裂的尾部结束：\(torn.segment) 偏移 \(torn.offset) 处的 \(torn.bytes) 字节（\(torn.reason)）：从未确认；写入者下次写入前会把它移到 recovered/",
                                    en: "note: the log ends in a torn tail of \(torn.bytes) bytes at offset \(torn.offset) of \(torn.segment) (\(torn.reason)): never acknowledged; the writer moves it to recovered/ before it next writes"))
                }
            }
            let years = report.years.isEmpty ? lang.pick(zh: "无", en: "none") : report.years.map(String.init).joined(separator: ", ")
            print(lang.pick(zh: "已检查的封存年份：", en: "sealed years checked: ") + years)
            for problem in report.problems { print(lang.pick(zh: "问题：", en: "problem: ") + "\(problem)") }
            let checkpointProblems = year == nil ? checkCheckpoint(logPassed: report.log?.passed ?? true) : 0
            let count = report.problems.count + (report.log?.problems.count ?? 0) + checkpointProblems
            if report.passed, checkpointProblems == 0 {
                print(lang.pick(zh: "校验：通过", en: "verify: passed"))
            } else {
                print(lang.pick(zh: "校验：未通过（\(count) 个问题）", en: "verify: FAILED (\(counted(count, "problem")))"))
                throw ExitCodes.corruption
            }
        } catch let error as ArchiveError {
            throw ExitCodes.report(error)
        }
    }
}
