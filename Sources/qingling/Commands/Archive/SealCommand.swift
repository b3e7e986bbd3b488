import ArgumentParser
import QinglingEvents
import QinglingReports
import Crypto
import Foundation
import QinglingArchive
import QinglingLog

/// `qingling seal`: the archive job.
struct SealCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seal",
        abstract: "Seal finished years into signed, verifiable, read-only archives.",
        discussion: """
        A year of recorded time (Asia/Shanghai) can be sealed once it has ended by the log's \
        clock, when every earlier year with events is sealed. Its events are re-packed with \
        LZ4 HC into DIR/archive/<year>/, a Merkle tree (RFC 6962) is built over them, and a \
        manifest is signed with Ed25519; the archive is read back and checked before the \
        year's live segments are removed. Every command reads sealed years as before.

        Examples:
          qingling seal 2024 --private-key ~/.qingling/signing.key
          qingling seal --finished            # every finished year not sealed yet
        """
    )

    @Argument(help: ArgumentHelp("The years to seal, in order.", valueName: "YEAR"))
    var years: [Int] = []

    @Flag(help: "Seal every finished year that is not sealed yet.")
    var finished = false

    @OptionGroup var log: LogLocation
    @OptionGroup var key: SigningKeyOption
    @OptionGroup var language: LanguageOption

    func validate() throws {
        guard finished != !years.isEmpty else { throw ValidationError("give the years to seal, or --finished (not both)") }
    }

    func run() throws {
        language.use()
        let lang = language.lang
        let path = try key.path()
        let signingKey: Curve25519.Signing.PrivateKey
        do throws(ArchiveError) { signingKey = try SigningKeys.loadSigningKey(path, forLog: log.directory) } catch { throw ExitCodes.report(error) }
        let options = try archiveLogOptions(log.directory)
        var toSeal = years
        if finished { toSeal = try Self.finishedYears(log.directory, now: options.clock.now()) }
        if toSeal.isEmpty { print(lang.pick(zh: "没有需要封存的年份：有事件的已结束年份都已封存", en: "nothing to seal: every finished year with events is sealed")) }
        for year in toSeal {
            do throws(ArchiveError) {
                let started = Date()
                let report = try ArchiveSealer.seal(year: year, directory: log.directory, options: options, key: signingKey)
                print(Self.summary(report, seconds: Date().timeIntervalSince(started), lang))
            } catch {
                throw ExitCodes.report(error)
            }
        }
    }

    /// Years with live segments that ended before `now`, ascending.
    static func finishedYears(_ directory: String, now: Int64) throws -> [Int] {
        do throws(LogError) {
            let names = try LogReader(directory: directory).segments()
            let current = ShanghaiTime.year(ofMicroseconds: now)
            return Set(names.filter { !$0.sealed && $0.year < current }.map(\.year)).sorted()
        } catch {
            throw ExitCodes.report(error)
        }
    }

    /// What sealing a year did, in `lang`.
    static func summary(_ report: ArchiveSealer.Report, seconds: Double, _ lang: Language) -> String {
        let m = report.manifest
        let ratio = String(format: "%.2f", Double(m.liveBytes) / Double(max(m.archiveBytes, 1)))
        let time = String(format: "%.1f", seconds)
        return lang.pick(zh: """
        已封存 \(m.year) 年：\(m.eventCount) 个事件（序号 \(m.firstSequence)–\(m.lastSequence)），用时 \(time) 秒
          默克尔根 \(m.merkleRoot.hexString)
          在用段 \(m.liveBytes) 字节 → 以 LZ4 HC 重新打包为 \(m.archiveBytes) 字节（缩小 \(ratio)×）；\(report.directory)
        """, en: """
        sealed \(m.year): \(m.eventCount) events (sequences \(m.firstSequence)–\(m.lastSequence)) in \(time) s
          Merkle root \(m.merkleRoot.hexString)
          \(m.liveBytes) bytes of live segments → \(m.archiveBytes) bytes re-packed with LZ4 HC (\(ratio)× smaller); \(report.directory)
        """)
    }
}
