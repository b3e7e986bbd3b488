import ArgumentParser
import Foundation
import QinglingAccounts
import QinglingLog

/// `--accounts FILE`: the accounts database, defaulting to `$QINGLING_ACCOUNTS`, else a file
/// beside the log directory (`qingling-data.accounts.sqlite` for `./qingling-data`).
struct AccountsLocation: ParsableArguments {
    @OptionGroup var log: LogLocation
    @OptionGroup var reference: ReferenceOption
    @OptionGroup var language: LanguageOption

    @Option(name: .customLong("accounts"), help: ArgumentHelp(
        "The accounts database (default: $QINGLING_ACCOUNTS, else DIR.accounts.sqlite beside the log directory DIR).",
        valueName: "FILE"))
    var explicitFile: String?

    /// The file to use.
    var file: String {
        if let explicitFile { return explicitFile }
        if let fromEnvironment = ProcessInfo.processInfo.environment["QINGLING_ACCOUNTS"], !fromEnvironment.isEmpty { return fromEnvironment }
        return LogLayout(directory: log.directory).directory + ".accounts.sqlite"
    }

    /// Who the audit log names for a change made by this command: `local:` and the
    /// operating-system user running it.
    static var localUser: String { "local:" + NSUserName() }

    /// Opens the accounts database, creating it if missing.
    func open() throws -> AccountStore {
        language.use()
        let reference = try reference.load()
        do throws(AccountError) {
            return try AccountStore(path: file, reference: reference)
        } catch {
            throw ExitCodes.report(error)
        }
    }
}

extension ExitCodes {
    /// Prints an account error to standard error and returns the exit status for it.
    static func report(_ error: AccountError) -> ExitCode {
        printError("qingling: " + error.message(Messages.language))
        switch error {
        case .invalidLogin, .invalidPerson, .invalidOrganization, .weakPassword: return invalidInput
        case .loginTaken, .unknownLogin, .personTaken: return conflict
        case .database, .audit: return ioError
        }
    }
}

/// Reads a password from standard input: its first line, without the line break.
func readPasswordFromStandardInput() throws -> String {
    guard let line = readLine(strippingNewline: true), !line.isEmpty else {
        printError("qingling: " + Messages.say(zh: "标准输入中没有密码（--password-stdin 从第一行读取）",
                                               en: "no password on standard input (give it as the first line: --password-stdin)"))
        throw ExitCodes.invalidInput
    }
    return line
}
