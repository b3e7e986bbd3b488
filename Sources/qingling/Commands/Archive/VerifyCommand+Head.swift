import ArgumentParser
import QinglingArchive
import QinglingEvents
import QinglingLog

extension VerifyCommand {
    /// A signed head is one line of well under a kilobyte: far less than this.
    static let maximumHeadBytes = 64 << 10

    /// `qingling verify --head FILE`: whether the log still holds a signed head and extends it.
    func verifyHead(_ path: String) throws {
        let report: HeadVerifier.Report
        do throws(ArchiveError) {
            let key = try SigningKeys.loadPublicKey(publicKey ?? SigningKeys.publicKeyPath(forLog: log.directory))
            let bytes = try readArchiveFile(path, maximumBytes: Self.maximumHeadBytes, kind: "a signed head")
            report = try HeadVerifier.verify(try SignedHead.decode(bytes, path: path), directory: log.directory, publicKey: key)
        } catch {
            throw ExitCodes.report(error)
        }
        let statement = report.statement
        print("head: \(statement.size) records, signed \(ShanghaiDateTime(microseconds: statement.signedAt)); Merkle root \(statement.merkleRoot.hexString), chain head \(statement.chainHead.hexString)")
        if let size = report.logSize { print("log now: \(size) records (\(size >= statement.size ? "\(size - statement.size) after the head" : "fewer than the head"))") }
        if let chain = report.chain {
            if chain.hash == nil {
                print("chain head: not compared: the head's last record lies \(chain); the Merkle root binds the records")
            } else if chain.hash == statement.chainHead {
                print("chain head: the same, from \(chain)")
            }
        }
        for problem in report.problems { print("problem: \(problem)") }
        if report.passed {
            print("verify --head: passed: the log holds the head's \(statement.size) records unchanged")
        } else {
            print("verify --head: FAILED (\(report.problems.count) problem\(report.problems.count == 1 ? "" : "s"))")
            throw ExitCodes.corruption
        }
    }
}
