import ArgumentParser
import Foundation
import QinglingProvince

extension ExitCodes {
    /// Prints a province error and gives its exit status: 2 for bad input (URL, county), 3 for
    /// a database not ready for it (no schema, a newer one), 4 when the server or the file
    /// system refused (connection, password, a statement, the target), 5 when a copy or a
    /// log is not what it must be (a replaced log, a damaged copy), 64 for a taken --into.
    static func report(_ error: ProvinceError) -> ExitCode {
        printError("qingling: \(error)")
        switch error {
        case .badURL, .unknownCounty: return invalidInput
        case .noSchema, .schemaTooNew, .noCopy: return conflict
        case .cannotConnect, .authentication, .server, .connectionLost, .log: return ioError
        case .logReplaced, .damagedCopy: return corruption
        case .restoreTarget: return usage
        }
    }
}

/// `--postgres URL`: the province's database.
struct PostgresOption: ParsableArguments {
    @Option(name: .customLong("postgres"), help: ArgumentHelp(
        "The province's PostgreSQL database, postgres://USER:PASSWORD@HOST:PORT/DATABASE (default: $QINGLING_POSTGRES).",
        valueName: "URL"))
    var url: String?

    func location() throws(ProvinceError) -> PostgresLocation {
        guard let text = url ?? ProcessInfo.processInfo.environment["QINGLING_POSTGRES"] else {
            throw .badURL(reason: "no database given")
        }
        return try PostgresLocation(url: text)
    }
}
