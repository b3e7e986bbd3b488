import ArgumentParser
import Foundation

/// `--log DIR`: the log directory, defaulting to `$QINGLING_LOG`, else `./qingling-data`.
struct LogLocation: ParsableArguments {
    @Option(name: .customLong("log"), help: ArgumentHelp(
        "The log directory (default: $QINGLING_LOG, else ./qingling-data).", valueName: "DIR"))
    var explicitDirectory: String?

    /// The directory to use.
    var directory: String {
        explicitDirectory ?? ProcessInfo.processInfo.environment["QINGLING_LOG"] ?? "./qingling-data"
    }
}
