import ArgumentParser
import QinglingArchive
import QinglingLog

/// `qingling keygen`: the archive job's signing key pair.
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Create the Ed25519 key pair that signs sealed years.",
        discussion: """
        The private key is written to --private-key FILE (mode 0600), which must be outside \
        the log directory and must not exist yet; keep it safe and out of the log's backups. \
        The public key is written to DIR/signing.pub and printed: give it to anyone who must \
        check the archives or a proof.

        Example:
          qingling keygen --log ./qingling-data --private-key ~/.qingling/signing.key
        """
    )

    @OptionGroup var log: LogLocation
    @OptionGroup var key: SigningKeyOption

    func run() throws {
        let path = try key.path()
        do throws(ArchiveError) {
            let publicKey = try SigningKeys.generate(privateKeyPath: path, logDirectory: log.directory)
            print("private key: \(path) (keep it outside the log directory)")
            print("public key:  \(publicKey.hexString)")
            print("saved to:    \(SigningKeys.publicKeyPath(forLog: log.directory))")
        } catch {
            throw ExitCodes.report(error)
        }
    }
}
