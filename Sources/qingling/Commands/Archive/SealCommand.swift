import ArgumentParser
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

    func validate() throws {
        guard finished != !years.isEmpty else { throw ValidationError("give the years to seal, or --finished (not both)") }
    }

    func run() throws {
        let path = try key.path()
        let signingKey: Curve25519.Signing.PrivateKey
        do throws(ArchiveError) { signingKey = try SigningKeys.loadSigningKey(path, forLog: log.directory) } catch { throw ExitCodes.report(error) }
        let options = try archiveLogOptions(log.directory)
        var toSeal = years
        if finished { toSeal = try Self.finishedYears(log.directory, now: options.clock.now()) }
        if toSeal.isEmpty { print("nothing to seal: every finished year with events is sealed") }
        for year in toSeal {
            do throws(ArchiveError) {
                let started = Date()
                let report = try ArchiveSealer.seal(year: year, directory: log.directory, options: options, key: signingKey)
                print(Self.summary(report, seconds: Date().timeIntervalSince(started)))
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

    static func summary(_ report: ArchiveSealer.Report, seconds: Double) -> String {
        let m = report.manifest
        let ratio = Double(m.liveBytes) / Double(max(m.archiveBytes, 1))
        return """
        sealed \(m.year): \(m.eventCount) events (sequences \(m.firstSequence)–\(m.lastSequence)) in \(String(format: "%.1f", seconds)) s
          Merkle root \(m.merkleRoot.hexString)
          \(m.liveBytes) bytes of live segments → \(m.archiveBytes) bytes re-packed with LZ4 HC (\(String(format: "%.2f", ratio))× smaller); \(report.directory)
        """
    }
}
