import ArgumentParser
import QinglingLog

/// `qingling verify`: re-checks every byte of the log.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-check every segment: checksums, LZ4 frames, sequence numbers, times and the SHA-256 hash chain.",
        discussion: """
        Exits 0 when everything checks out, 5 when any problem is found; each problem names \
        its file and byte offset.

        Example:
          qingling verify --log ./qingling-data
        """
    )

    @OptionGroup var log: LogLocation

    func run() throws {
        do {
            let report = try LogReader(directory: log.directory).verify()
            print("segments: \(report.segments), batches: \(report.batches), records: \(report.records), bytes: \(report.bytes)")
            print("hash chain head: \(report.lastBatchHash.hexString)")
            for problem in report.problems { print("problem: \(problem)") }
            if report.passed {
                print("verify: passed")
            } else {
                print("verify: FAILED (\(report.problems.count) problem\(report.problems.count == 1 ? "" : "s"))")
                throw ExitCodes.corruption
            }
        } catch let error as LogError {
            throw ExitCodes.report(error)
        }
    }
}

extension Array where Element == UInt8 {
    /// Lowercase hexadecimal digits.
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(count * 2)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
