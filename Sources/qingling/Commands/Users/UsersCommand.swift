import ArgumentParser
import QinglingAccounts
import QinglingEvents

/// `qingling users`: the accounts of the service, kept outside the immutable log.
struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Manage the accounts that sign in to `qingling serve`.",
        discussion: """
        Accounts live in an SQLite database outside the log (--accounts FILE, default \
        $QINGLING_ACCOUNTS, else DIR.accounts.sqlite beside the log directory DIR), created \
        with mode 0600. Passwords are read from standard input and kept only as bcrypt hashes.

        Roles: enterprise (--organization is its credit code, with --organization-name), town \
        (its region's code), department (its id), committee (the office's id), analyst and \
        archivist (read-only; the committee's office or a department). `qingling reference` \
        lists the valid codes and ids.

        Example:
          echo 'a long passphrase' | qingling users add li.weidong --role department \\
              --organization lx-yjj --person-id yjj-017 --person-name 李卫东 --password-stdin
        """,
        subcommands: [AddUser.self, ListUsers.self, DisableUser.self, SetPassword.self]
    )
}

/// `qingling users add`.
struct AddUser: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add an account.")

    @OptionGroup var accounts: AccountsLocation
    @Argument(help: "The login: lower-case letters, digits and . _ -, up to 64.") var login: String
    @Option(help: "enterprise, town, department, committee, analyst or archivist.") var role: Role
    @Option(help: ArgumentHelp("The organisation's id: a credit code, a region code or a department id.", valueName: "ID"))
    var organization: String
    @Option(help: ArgumentHelp("The enterprise's name (enterprise accounts only).", valueName: "NAME"))
    var organizationName: String?
    @Option(help: ArgumentHelp("The person's id, as events name them.", valueName: "ID")) var personId: String
    @Option(help: ArgumentHelp("The person's name.", valueName: "NAME")) var personName: String
    @Flag(help: "Read the password from the first line of standard input (required).") var passwordStdin = false

    func validate() throws {
        guard passwordStdin else { throw ValidationError("give the password on standard input with --password-stdin") }
    }

    func run() throws {
        let store = try accounts.open()
        let password = try readPasswordFromStandardInput()
        do throws(AccountError) {
            let account = try store.add(login: login, role: role, organizationId: organization, organizationName: organizationName,
                                        person: PersonRef(id: personId, name: personName), password: password,
                                        by: AccountsLocation.localUser)
            print(Messages.say(
                zh: "已添加 \(account.login)：\(account.organization.name)（\(account.organization.id)）的 \(account.role.rawValue)，\(account.person.name)（\(account.person.id)）",
                en: "added \(account.login): \(account.role.rawValue) of \(account.organization.name) (\(account.organization.id)), \(account.person.name) (\(account.person.id))"))
        } catch {
            throw ExitCodes.report(error)
        }
    }
}

/// `qingling users list`.
struct ListUsers: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the accounts (never their passwords).")

    @OptionGroup var accounts: AccountsLocation

    func run() throws {
        let store = try accounts.open()
        do throws(AccountError) {
            print(["login", "role", "organization", "organizationName", "personId", "personName", "disabled"].joined(separator: "\t"))
            for account in try store.list() {
                print([account.login, account.role.rawValue, account.organization.id, account.organization.name,
                       account.person.id, account.person.name, account.disabled ? "yes" : "no"].joined(separator: "\t"))
            }
        } catch {
            throw ExitCodes.report(error)
        }
    }
}

/// `qingling users disable`.
struct DisableUser: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "disable", abstract: "Disable an account: it can no longer sign in.")

    @OptionGroup var accounts: AccountsLocation
    @Argument(help: "The account's login.") var login: String

    func run() throws {
        let store = try accounts.open()
        do throws(AccountError) {
            try store.disable(login, by: AccountsLocation.localUser)
            print(Messages.say(zh: "已停用 \(login)", en: "disabled \(login)"))
        } catch {
            throw ExitCodes.report(error)
        }
    }
}

/// `qingling users set-password`.
struct SetPassword: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set-password", abstract: "Replace an account's password.")

    @OptionGroup var accounts: AccountsLocation
    @Argument(help: "The account's login.") var login: String
    @Flag(help: "Read the new password from the first line of standard input (required).") var passwordStdin = false

    func validate() throws {
        guard passwordStdin else { throw ValidationError("give the password on standard input with --password-stdin") }
    }

    func run() throws {
        let store = try accounts.open()
        let password = try readPasswordFromStandardInput()
        do throws(AccountError) {
            try store.setPassword(login, password, by: AccountsLocation.localUser)
            print(Messages.say(zh: "已更换 \(login) 的密码", en: "password of \(login) replaced"))
        } catch {
            throw ExitCodes.report(error)
        }
    }
}

extension Role: ExpressibleByArgument {}
