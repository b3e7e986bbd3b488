import ArgumentParser
import Foundation
import QinglingAudit
import QinglingEvents
import QinglingReports

/// `qingling audit`: the audit log's entries (sign-ins, failed sign-ins, account changes, reads
/// of tip-off details).
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "List the audit log: sign-ins, failed sign-ins, sign-outs, account changes, reads of tip-off details and reveals of reporters.",
        discussion: """
        The audit log is a segment log of its own beside the accounts database (the accounts \
        file's name with .sqlite replaced by .audit, e.g. qingling-data.accounts.audit), with \
        the same checksums and hash chain as the event log. `qingling users` and `qingling \
        serve` write it; it never holds a password, a token, a person's details or what a \
        tip-off says. A read of tip-off details (kind tip-off-read) names the tip-off as its \
        subject and the route as its detail. A reveal of a reporter's identity (kind \
        reporter-revealed, `qingling tipoff reveal` or the service's reveal route) names the \
        tip-off and the reason given, never the identity.

        Examples:
          qingling audit --log /var/lib/qingling/county
          qingling audit --accounts /etc/qingling/accounts.sqlite --since 2026-12-01 --format json
        """
    )

    @OptionGroup var accounts: AccountsLocation
    @Option(help: ArgumentHelp("Only entries recorded on or after this day (Asia/Shanghai).", valueName: "YYYY-MM-DD")) var since: String?
    @Option(help: "table (tab-separated, with a header line) or json.") var format: AuditFormat = .table

    enum AuditFormat: String, ExpressibleByArgument, CaseIterable { case table, json }

    /// One entry as `--format json` writes it.
    struct Line: Encodable {
        var sequence: UInt64
        var recordedAt: String
        var kind: String
        var by: String
        var subject: String?
        var address: String?
        var detail: String?
    }

    func run() throws {
        accounts.language.use()
        let start = try parseDate(since, option: "--since", Messages.language)
            .flatMap { ShanghaiDateTime(date: $0, hour: 0, minute: 0, second: 0)?.microseconds }
        let trail = AuditTrail(directory: AuditTrail.directory(besideAccounts: accounts.file))
        let records: [AuditRecord]
        do throws(AuditError) {
            records = try trail.entries(since: start)
        } catch {
            printError("qingling: " + error.description)
            if case .undecodable = error { throw ExitCodes.corruption }
            throw ExitCodes.ioError
        }
        let lines = records.map { record in
            Line(sequence: record.sequence, recordedAt: ShanghaiDateTime(microseconds: record.recordedAt).description,
                 kind: record.entry.kind.rawValue, by: record.entry.by, subject: record.entry.subject,
                 address: record.entry.address, detail: record.entry.detail)
        }
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
            print(String(decoding: try encoder.encode(lines), as: UTF8.self))
        case .table:
            print(["sequence", "recordedAt", "kind", "by", "subject", "address", "detail"].joined(separator: "\t"))
            for line in lines {
                print([String(line.sequence), line.recordedAt, line.kind, line.by, line.subject ?? "", line.address ?? "", line.detail ?? ""]
                    .map(\.terminalSafe).joined(separator: "\t"))
            }
        }
    }
}
