import ArgumentParser
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

    func validate() throws {
        if head != nil, year != nil { throw ValidationError("give a YEAR or --head FILE, not both") }
    }

    func run() throws {
        if let head { return try verifyHead(head) }
        do {
            let key = try publicKey.map(SigningKeys.loadPublicKey)
            let report = try ArchiveVerifier.verify(directory: log.directory, year: year, publicKey: key)
            if let logReport = report.log {
                print("segments: \(logReport.segments), batches: \(logReport.batches), records: \(logReport.records), bytes: \(logReport.bytes)")
                print("hash chain head: \(logReport.lastBatchHash.hexString)")
                for problem in logReport.problems { print("problem: \(problem)") }
                if let torn = logReport.tornTail {
                    print("note: the log ends in a torn tail of \(torn.bytes) bytes at offset \(torn.offset) of \(torn.segment) (\(torn.reason)): never acknowledged; the writer moves it to recovered/ before it next writes")
                }
            }
            print("sealed years checked: \(report.years.isEmpty ? "none" : report.years.map(String.init).joined(separator: ", "))")
            for problem in report.problems { print("problem: \(problem)") }
            let checkpointProblems = year == nil ? checkCheckpoint(logPassed: report.log?.passed ?? true) : 0
            let count = report.problems.count + (report.log?.problems.count ?? 0) + checkpointProblems
            if report.passed, checkpointProblems == 0 {
                print("verify: passed")
            } else {
                print("verify: FAILED (\(count) problem\(count == 1 ? "" : "s"))")
                throw ExitCodes.corruption
            }
        } catch let error as ArchiveError {
            throw ExitCodes.report(error)
        }
    }
}
