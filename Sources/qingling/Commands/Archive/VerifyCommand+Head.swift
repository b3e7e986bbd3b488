import ArgumentParser
import QinglingArchive
import QinglingEvents
import QinglingReports
import QinglingLog

extension VerifyCommand {
    /// A signed head is one line of well under a kilobyte: far less than this.
    static let maximumHeadBytes = 64 << 10

    /// `qingling verify --head FILE`: whether the log still holds a signed head and extends it.
    func verifyHead(_ path: String) throws {
        let lang = language.lang
        let report: HeadVerifier.Report
        do throws(ArchiveError) {
            let key = try SigningKeys.loadPublicKey(publicKey ?? SigningKeys.publicKeyPath(forLog: log.directory))
            let bytes = try readArchiveFile(path, maximumBytes: Self.maximumHeadBytes, kind: "a signed head")
            report = try HeadVerifier.verify(try SignedHead.decode(bytes, path: path), directory: log.directory, publicKey: key)
        } catch {
            throw ExitCodes.report(error)
        }
        let statement = report.statement
        let signedAt = ShanghaiDateTime(microseconds: statement.signedAt)
        print(lang.pick(zh: "签名头：\(statement.size) 条记录，签名于 \(signedAt)；默克尔根 \(statement.merkleRoot.hexString)，链头 \(statement.chainHead.hexString)",
                        en: "head: \(statement.size) records, signed \(signedAt); Merkle root \(statement.merkleRoot.hexString), chain head \(statement.chainHead.hexString)"))
        if let size = report.logSize {
            print(lang.pick(zh: "日志现有：\(size) 条记录（\(size >= statement.size ? "签名头之后 \(size - statement.size) 条" : "少于签名头")）",
                            en: "log now: \(size) records (\(size >= statement.size ? "\(size - statement.size) after the head" : "fewer than the head"))"))
        }
        if let chain = report.chain {
            if chain.hash == nil {
                print(lang.pick(zh: "链头：未比较：签名头的最后一条记录位于 \(chain)；记录由默克尔根约束",
                                en: "chain head: not compared: the head's last record lies \(chain); the Merkle root binds the records"))
            } else if chain.hash == statement.chainHead {
                print(lang.pick(zh: "链头：相同，来自 \(chain)", en: "chain head: the same, from \(chain)"))
            }
        }
        for problem in report.problems { print(lang.pick(zh: "问题：", en: "problem: ") + "\(problem)") }
        if report.passed {
            print(lang.pick(zh: "verify --head：通过：日志完整保有签名头的 \(statement.size) 条记录",
                            en: "verify --head: passed: the log holds the head's \(statement.size) records unchanged"))
        } else {
            print(lang.pick(zh: "verify --head：未通过（\(report.problems.count) 个问题）",
                            en: "verify --head: FAILED (\(report.problems.count) problem\(report.problems.count == 1 ? "" : "s"))"))
            throw ExitCodes.corruption
        }
    }
}
