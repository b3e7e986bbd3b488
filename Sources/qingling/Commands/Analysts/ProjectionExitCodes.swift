import ArgumentParser
import QinglingProjections

extension ExitCodes {
    /// Prints a projection error to standard error and returns the exit status for it: a
    /// checkpoint that contradicts the log is corruption.
    static func report(_ error: ProjectionError) -> ExitCode {
        switch error {
        case .store(let error):
            return report(error)
        case .checkpoint:
            printError("qingling: \(error)")
            return corruption
        }
    }
}
