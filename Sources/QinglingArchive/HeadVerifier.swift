import QinglingEvents
import QinglingLog

/// Checks that a log still holds a signed head and extends it: the signature, the log's
/// identity, that records `0..<size` are all there and produce the signed Merkle root (read
/// from live and sealed segments alike) with the signed last recorded time, and that the hash
/// chain after record `size − 1` is the signed chain head wherever the log still has a batch
/// boundary there (a live batch, or the end of a sealed year).
public enum HeadVerifier {
    /// What the check found.
    public struct Report: Sendable {
        /// The signed statement checked.
        public var statement: HeadStatement
        /// The number of records the log holds now (`nil` when it could not be read).
        public var logSize: UInt64?
        /// What the hash chain says after the head's last record now (`nil` when not reached).
        public var chain: ChainBoundary?
        /// Every way the log or the head does not match, each saying what differs.
        public var problems: [String] = []

        /// Whether the log holds the head, unchanged.
        public var passed: Bool { problems.isEmpty }
    }

    /// Checks `head` against the log in `directory`, its signature against `publicKey`.
    /// Failures to read the log past the head's records are problems; only a log that cannot
    /// be opened at all is thrown.
    public static func verify(_ head: SignedHead, directory: String, publicKey: [UInt8],
                              fileSystem: any FileSystem = PosixFileSystem()) throws(ArchiveError) -> Report {
        let statement = head.statement
        var report = Report(statement: statement, problems: head.problems(publicKey: publicKey))
        let reader: LogReader
        do throws(LogError) { reader = try LogReader(directory: directory, fileSystem: fileSystem) } catch { throw .log(error) }
        let metadata = reader.metadata
        guard metadata.createdAt == statement.logCreatedAt, (metadata.clock == .simulated) == statement.simulatedClock else {
            report.problems.append("the head is of another log: one created at \(statement.logCreatedAt) on the \(statement.simulatedClock ? "simulated" : "system") clock; this log was created at \(metadata.createdAt) on the \(metadata.clock.rawValue) clock")
            return report
        }
        do throws(LogError) {
            report.logSize = try reader.nextSequence()
            let tree = try LogTree.prefix(statement.size, of: reader)
            guard tree.count == statement.size else {
                report.problems.append("the log holds \(tree.count) records; the head was signed over \(statement.size): records \(tree.count)–\(statement.size - 1) are gone (the log was shortened)")
                return report
            }
            if tree.root != statement.merkleRoot {
                report.problems.append("the log's first \(statement.size) records do not produce the head's Merkle root \(statement.merkleRoot.hexString.prefix(16))… (they give \(tree.root.hexString.prefix(16))…): a record was changed, removed, inserted or reordered")
            }
            if let last = tree.lastRecordedAt, last != statement.lastRecordedAt {
                report.problems.append("record \(statement.size - 1) was recorded at \(last); the head says \(statement.lastRecordedAt.map(String.init) ?? "none")")
            }
            let chain = try reader.chainBoundary(afterSize: statement.size)
            report.chain = chain
            switch chain {
            case .start, .liveBatch, .sealedYear:
                if let hash = chain.hash, hash != statement.chainHead {
                    report.problems.append("the hash chain after the head's \(statement.size) records is \(hash.hexString.prefix(16))… (from \(chain)); the head says \(statement.chainHead.hexString.prefix(16))…")
                }
            case .repacked:
                break
            case let .insideLiveBatch(path, offset, records):
                report.problems.append("no batch ends with record \(statement.size - 1): the live batch at offset \(offset) of \(path) holds records \(records.lowerBound)–\(records.upperBound - 1), so the live segments were rewritten after the head was signed")
            case .beyondEnd:
                report.problems.append("the log ended before the head's \(statement.size) records while it was being checked")
            }
        } catch {
            report.problems.append("the log cannot be read through the head's \(statement.size) records: \(error)")
        }
        return report
    }
}
