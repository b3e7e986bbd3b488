import ArgumentParser
import Foundation
import QinglingLog
import QinglingWorkflow

/// The documented exit statuses (README, `qingling --help`), and how errors map to them.
enum ExitCodes {
    /// Invalid input: events (or a key file) that cannot be accepted; nothing was written.
    static let invalidInput = ExitCode(2)
    /// The log's state does not allow it: another writer, an expected version, a reused event
    /// id, a year not sealed (or not sealable), an event not sealed or not in the log.
    static let conflict = ExitCode(3)
    /// The system refused: a file or directory that cannot be read or written (the `errno` is
    /// in the message), a full disk, a failed sync.
    static let ioError = ExitCode(4)
    /// Corruption or failed verification, and nothing else.
    static let corruption = ExitCode(5)
    /// The master key does not open the key store: nothing was revealed or changed.
    static let wrongMasterKey = ExitCode(6)
    /// A bad option or argument, as swift-argument-parser's own: also a `--log` that is not a
    /// usable log directory and an `--output` path already taken.
    static let usage = ExitCode.validationFailure

    /// Prints the error to standard error and returns the exit status for it.
    static func report(_ error: LogError) -> ExitCode {
        printError("qingling: " + Messages.describe(error, Messages.language))
        switch error {
        // A file of a format version this program does not know cannot be checked: it fails
        // verification like damage would (a flipped version byte looks the same).
        case .corrupt, .unsupportedVersion: return corruption
        case .locked, .sealingRefused, .sequenceOutOfRange, .changedMeanwhile: return conflict
        case .notALog: return usage
        case .recordTooLarge, .invalidBatch, .invalidStreamKey: return invalidInput
        case .io, .writerStopped, .closed: return ioError
        }
    }
}

extension ExitCodes {
    /// Prints a store error to standard error and returns the exit status for it.
    static func report(_ error: StoreError) -> ExitCode {
        switch error {
        case .log(let logError): return report(logError)
        case .refused(let violations):
            for violation in violations { printError(violation.text(Messages.language)) }
            return invalidInput
        case let .undecodable(sequence, decodingError):
            printError("qingling: " + Messages.say(zh: "第 \(sequence) 条记录不是有效的事件：\(decodingError.reason)", en: error.description))
            return corruption
        case .readOnly:
            printError("qingling: " + Messages.say(zh: "事件库以只读方式打开", en: error.description))
            return ioError
        case .keyStore(let keyStoreError):
            return report(keyStoreError)
        }
    }
}

/// Writes a line to standard error.
func printError(_ line: String, terminator: String = "\n") {
    var standardError = StandardError()
    print(line, terminator: terminator, to: &standardError)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}
