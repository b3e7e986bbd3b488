import ArgumentParser
import QinglingEvents
import QinglingArchive
import QinglingLog

/// `qingling keygen`: the archive job's signing key pair.
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Create the Ed25519 key pair that signs sealed years.",
        discussion: """
        The private key is written to --private-key FILE (mode 0600), which must be outside \
        the log directory and must not exist yet; missing directories on its path are created \
        with mode 0700. Keep it safe and out of the log's backups. A file that cannot be \
        written is named with the system's reason (exit 4). \
        The public key is written to DIR/signing.pub and printed: give it to anyone who must \
        check the archives or a proof.

        Example:
          qingling keygen --log ./qingling-data --private-key ~/.qingling/signing.key
        """
    )

    @OptionGroup var log: LogLocation
    @OptionGroup var key: SigningKeyOption
    @OptionGroup var language: LanguageOption

    func run() throws {
        language.use()
        let lang = language.lang
        let path = try key.path()
        do throws(ArchiveError) {
            let publicKey = try SigningKeys.generate(privateKeyPath: path, logDirectory: log.directory)
            print(lang.pick(zh: "私钥：\(path)（请保存在日志目录之外）", en: "private key: \(path) (keep it outside the log directory)"))
            print(lang.pick(zh: "公钥：\(publicKey.hexString)", en: "public key:  \(publicKey.hexString)"))
            print(lang.pick(zh: "公钥已存到：\(SigningKeys.publicKeyPath(forLog: log.directory))", en: "saved to:    \(SigningKeys.publicKeyPath(forLog: log.directory))"))
        } catch {
            throw ExitCodes.report(error)
        }
    }
}
