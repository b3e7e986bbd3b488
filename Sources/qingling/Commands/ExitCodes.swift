import ArgumentParser
import Foundation
import QinglingLog
import QinglingWorkflow

/// The documented exit statuses, and how a log error maps to them.
enum ExitCodes {
    static let invalidInput = ExitCode(2)
    static let conflict = ExitCode(3)
    static let ioError = ExitCode(4)
    static let corruption = ExitCode(5)

    /// Prints the error to standard error and returns the exit status for it.
    static func report(_ error: LogError) -> ExitCode {
        printError("qingling: \(error)")
        switch error {
        case .corrupt, .unsupportedVersion: return corruption
        case .locked, .sealingRefused, .changedMeanwhile: return conflict
        case .recordTooLarge, .invalidBatch, .invalidStreamKey, .notALog, .sequenceOutOfRange: return invalidInput
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
            for violation in violations { printError(violation.description) }
            return invalidInput
        case .undecodable:
            printError("qingling: \(error)")
            return corruption
        case .readOnly:
            printError("qingling: \(error)")
            return ioError
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
