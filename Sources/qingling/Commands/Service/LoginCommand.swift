import ArgumentParser
import Foundation

/// `qingling login`: signs in to `qingling serve` and keeps the session for `append --server`.
struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Sign in to a Qingling service and keep the session for `qingling append --server`.",
        discussion: """
        The password is read from the first line of standard input. The session's token is saved \
        to ~/.qingling/session.json (mode 0600; $QINGLING_SESSION_FILE names another file) with \
        the service's address; `qingling append --server URL` uses it, or $QINGLING_TOKEN when \
        set. A session ends after 30 minutes unused or 12 hours (docs/api.md).

        Examples:
          echo 'a long passphrase' | qingling login --server http://127.0.0.1:8080 --login li.weidong --password-stdin
          export QINGLING_TOKEN=$(qingling login --server http://127.0.0.1:8080 --login li.weidong --password-stdin --print-token < pass.txt)
        """
    )

    @OptionGroup var language: LanguageOption
    @Option(help: ArgumentHelp("The service's address.", valueName: "URL")) var server: String
    @Option(help: "The account's login.") var login: String
    @Flag(help: "Read the password from the first line of standard input (required).") var passwordStdin = false
    @Flag(help: "Print the token on standard output instead of saving it.") var printToken = false

    func validate() throws {
        guard passwordStdin else { throw ValidationError("give the password on standard input with --password-stdin") }
        guard ServiceClient.isAddress(server) else { throw ValidationError("--server \(server) is not an http:// or https:// address") }
    }

    func run() async throws {
        language.use()
        let password = try readPasswordFromStandardInput()
        let credentials = try JSONSerialization.data(withJSONObject: ["login": login, "password": password])
        let client = ServiceClient(server: server, token: nil)
        let answer: ServiceClient.Answer
        do {
            answer = try await client.post("login", body: Array(credentials), contentType: "application/json")
        } catch {
            printError("qingling: " + Messages.say(zh: "无法连接服务 \(client.server)：\(error)", en: "cannot reach the service at \(client.server): \(error)"))
            throw ExitCodes.ioError
        }
        guard answer.status == .ok, let token = answer.object?["token"] as? String else {
            for line in ServiceClient.problems(of: answer) { printError("qingling: " + line) }
            throw answer.status == .unauthorized || answer.status == .tooManyRequests ? ExitCodes.invalidInput : ExitCodes.ioError
        }
        if printToken {
            print(token)
            return
        }
        do {
            try SavedSession(server: client.server, login: login, token: token).save()
        } catch {
            printError("qingling: " + Messages.say(zh: "无法保存会话到 \(SavedSession.path)", en: "cannot save the session to \(SavedSession.path)"))
            throw ExitCodes.ioError
        }
        let who = answer.object?["person"] as? [String: Any]
        let organization = answer.object?["organization"] as? [String: Any]
        print(Messages.say(
            zh: "已登录 \(client.server)：\(who?["name"] as? String ?? login)（\(organization?["name"] as? String ?? "")），会话已保存到 \(SavedSession.path)",
            en: "signed in to \(client.server) as \(who?["name"] as? String ?? login) (\(organization?["name"] as? String ?? "")); session saved to \(SavedSession.path)"))
    }
}
