import ArgumentParser
import Foundation
import QinglingArchive
import QinglingLog

/// `--private-key FILE`: the archive job's signing key (default `$QINGLING_SIGNING_KEY`).
struct SigningKeyOption: ParsableArguments {
    @Option(name: .customLong("private-key"), help: ArgumentHelp(
        "The Ed25519 private key file, outside the log directory (default: $QINGLING_SIGNING_KEY).", valueName: "FILE"))
    var explicitPath: String?

    /// The path to use, or a usage error naming both ways to give it.
    func path() throws -> String {
        guard let path = explicitPath ?? ProcessInfo.processInfo.environment["QINGLING_SIGNING_KEY"] else {
            throw ValidationError(Messages.say(zh: "没有签名密钥：请给出 --private-key FILE 或设置 QINGLING_SIGNING_KEY（用 `qingling keygen` 创建）",
                                               en: "no signing key: give --private-key FILE or set QINGLING_SIGNING_KEY (create one with `qingling keygen`)"))
        }
        return path
    }
}

extension ExitCodes {
    /// Prints an archive error to standard error and returns the exit status for it.
    static func report(_ error: ArchiveError) -> ExitCode {
        switch error {
        case .log(let logError): return report(logError)
        // A manifest, signature or proof that is not what it must be: failed verification.
        case let .invalid(path, reason):
            printError("qingling: " + Messages.say(zh: "\(path)：\(reason)", en: error.description))
            return corruption
        case let .key(path, reason):
            printError("qingling: " + Messages.say(zh: "签名密钥 \(path)：\(reason)", en: error.description))
            return invalidInput
        case let .notSealed(path, reason):
            printError("qingling: " + Messages.say(zh: "\(path)：\(reason)", en: error.description))
            return conflict
        }
    }
}

/// Options to open a log for the archive job: its own clock kind; a simulated clock stands at
/// the log's last recorded time.
func archiveLogOptions(_ directory: String) throws -> LogOptions {
    do throws(LogError) {
        let metadata = try LogMetadata.read(directory: directory)
        guard metadata.clock == .simulated else { return LogOptions(clock: SystemClock(), createIfMissing: false) }
        let last = try LogReader(directory: directory).lastRecordedAt() ?? metadata.createdAt
        return LogOptions(clock: SimulatedClock(microseconds: last), createIfMissing: false)
    } catch {
        throw ExitCodes.report(error)
    }
}

/// The bytes of a file the archive commands check (a proof, a signed head): a file that cannot
/// be read is the system's refusal (exit 4, with the errno), not a check that fails; one over
/// `maximumBytes` is not `kind`.
func readArchiveFile(_ path: String, maximumBytes: Int, kind: String) throws(ArchiveError) -> [UInt8] {
    let bytes: [UInt8]
    do throws(LogError) {
        let file = try PosixFileSystem().openForReading(path)
        defer { file.close() }
        bytes = try file.read(at: 0, count: Int(min(try file.size(), Int64(maximumBytes) + 1)))
    } catch {
        throw .log(error)
    }
    guard bytes.count <= maximumBytes else { throw .invalid(path: path, reason: "is larger than \(maximumBytes) bytes: not \(kind)") }
    return bytes
}
