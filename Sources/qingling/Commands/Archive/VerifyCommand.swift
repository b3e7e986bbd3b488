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
        what chains it to the years before. Exits 0 when everything checks out, 5 when any \
        problem is found; each problem names its file (and byte offset, or figure, where one \
        applies).

        Examples:
          qingling verify --log ./qingling-data
          qingling verify 2024 --public-key auditor-copy-of-signing.pub
        """
    )

    @Argument(help: ArgumentHelp("Only this sealed year.", valueName: "YEAR")) var year: Int?
    @Option(name: .customLong("public-key"), help: ArgumentHelp("Check signatures with this public key file (default: DIR/signing.pub).", valueName: "FILE"))
    var publicKey: String?
    @OptionGroup var log: LogLocation

    func run() throws {
        do {
            let key = try publicKey.map(SigningKeys.loadPublicKey)
            let report = try ArchiveVerifier.verify(directory: log.directory, year: year, publicKey: key)
            if let logReport = report.log {
                print("segments: \(logReport.segments), batches: \(logReport.batches), records: \(logReport.records), bytes: \(logReport.bytes)")
                print("hash chain head: \(logReport.lastBatchHash.hexString)")
                for problem in logReport.problems { print("problem: \(problem)") }
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
