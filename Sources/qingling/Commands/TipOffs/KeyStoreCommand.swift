import ArgumentParser
import Foundation
import QinglingKeyStore

/// `qingling keystore init`: creates the key store of reporters' identities.
struct KeyStoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keystore",
        abstract: "The key store of tip-off reporters' identities (docs/security.md).",
        subcommands: [Init.self]
    )

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create an empty key store (mode 0600), encrypted under the master key; never over an existing file.",
            discussion: """
            The master key is 32 bytes written as 64 hexadecimal digits, in --master-key-file FILE \
            or $QINGLING_MASTER_KEY; --new-master-key FILE writes a new random one there first. Keep the \
            master key off the machine's disks where you can (see docs/security.md).

            Examples:
              qingling keystore init --keystore /srv/keys/county.keystore --new-master-key /root/qingling-master.key
              QINGLING_MASTER_KEY=$(cat key.hex) qingling keystore init --keystore /srv/qingling/county.keystore
            """
        )

        @OptionGroup var log: LogLocation
        @OptionGroup var keys: KeyStoreOptions
        @OptionGroup var language: LanguageOption

        @Option(help: ArgumentHelp("Write a new random master key to this file (mode 0600; never over an existing file) and use it.", valueName: "FILE"))
        var newMasterKey: String?

        func run() throws {
            language.use()
            let path: String
            do throws(KeyStoreError) {
                guard let named = keys.file() else { throw KeyStoreError.noKeyStore }
                path = named
                try KeyStoreOptions.refuseInside(path, logDirectory: log.directory)
                let master: MasterKey
                if let newMasterKey {
                    master = try MasterKey.writeNew(to: newMasterKey)
                } else {
                    guard let given = try MasterKey.given(file: keys.masterKeyFile, environment: ProcessInfo.processInfo.environment) else {
                        throw KeyStoreError.noMasterKey
                    }
                    master = given
                }
                try KeyStore.create(at: path, master: master)
            } catch {
                throw ExitCodes.report(error)
            }
            print(Messages.say(zh: "已创建密钥库 \(path)", en: "created the key store \(path)")
                  + (newMasterKey.map { Messages.say(zh: "；主密钥写入 \($0)", en: "; its master key is in \($0)") } ?? ""))
        }
    }
}
