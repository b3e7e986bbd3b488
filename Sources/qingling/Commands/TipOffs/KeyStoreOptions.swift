import ArgumentParser
import Foundation
import QinglingKeyStore
import QinglingWorkflow

/// `--keystore FILE` and `--master-key-file FILE`: where the keys of reporters' sealed
/// identities are and the key that opens them. The key store is `--keystore` or
/// `$QINGLING_KEYSTORE`, with no default: a place chosen for it by the log's own (inside or
/// beside the log directory) would travel with every copy of the log, and a shred could not
/// reach those copies. A key store inside the log directory is refused. The master key is
/// `--master-key-file` or `$QINGLING_MASTER_KEY` (64 hexadecimal digits).
struct KeyStoreOptions: ParsableArguments {
    @Option(name: .customLong("keystore"), help: ArgumentHelp(
        "The key store of reporters' identities, kept apart from the log and its backups (default: $QINGLING_KEYSTORE; no other).",
        valueName: "FILE"))
    var explicitFile: String?

    @Option(name: .customLong("master-key-file"), help: ArgumentHelp(
        "The file holding the key store's master key, 64 hexadecimal digits (default: $QINGLING_MASTER_KEY).", valueName: "FILE"))
    var masterKeyFile: String?

    /// The key store file named, by `--keystore` or `$QINGLING_KEYSTORE`; `nil` when neither names one.
    func file() -> String? {
        if let explicitFile { return explicitFile }
        if let fromEnvironment = ProcessInfo.processInfo.environment["QINGLING_KEYSTORE"], !fromEnvironment.isEmpty { return fromEnvironment }
        return nil
    }

    /// The master key given, or `nil`.
    func masterKey() throws -> MasterKey? {
        do throws(KeyStoreError) {
            return try MasterKey.given(file: masterKeyFile, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw ExitCodes.report(error)
        }
    }

    /// The vault over the key store of `logDirectory`: `nil` when no master key is given or
    /// (unless `required`, or the key store or master key file was named on the command line)
    /// no key store exists. Refuses a key store inside the log directory.
    func vault(logDirectory: String, required: Bool) throws -> ReporterVault? {
        guard let path = file() else {
            if required { throw ExitCodes.report(KeyStoreError.noKeyStore) }
            return nil
        }
        guard let master = try masterKey() else {
            if required { throw ExitCodes.report(KeyStoreError.noMasterKey) }
            return nil
        }
        let named = explicitFile != nil || masterKeyFile != nil
        if !required, !named, !FileManager.default.fileExists(atPath: path) { return nil }
        do throws(KeyStoreError) {
            try Self.refuseInside(path, logDirectory: logDirectory)
            return ReporterVault(keyStore: try KeyStore.open(at: path, master: master))
        } catch {
            throw ExitCodes.report(error)
        }
    }

    static func refuseInside(_ path: String, logDirectory: String) throws(KeyStoreError) {
        if KeyStore.isInside(path, directory: logDirectory) { throw .insideLogDirectory(path: path, logDirectory: logDirectory) }
    }
}

extension ExitCodes {
    /// Prints a key store error to standard error and returns the exit status for it.
    static func report(_ error: KeyStoreError) -> ExitCode {
        printError("qingling: " + Messages.say(zh: chinese(error), en: error.description))
        switch error {
        case .wrongMasterKey: return wrongMasterKey
        case .malformedMasterKey, .unopenable: return invalidInput
        case .noKeyStore, .noMasterKey, .insideLogDirectory: return usage
        case .missing, .exists: return conflict
        case .notAKeyStore: return corruption
        case .io: return ioError
        }
    }

    private static func chinese(_ error: KeyStoreError) -> String {
        switch error {
        case .wrongMasterKey(let path): "主密钥打不开此密钥库（\(path)）；未泄露任何内容"
        case .malformedMasterKey(let source): "\(source) 中不是主密钥：应为 64 位十六进制数字（32 字节）"
        case .noKeyStore: "没有指定密钥库：请用 --keystore FILE 指定，或设置 $QINGLING_KEYSTORE（放在日志目录之外，与日志及其备份分开保存）"
        case .noMasterKey: "没有主密钥：请用 --master-key-file FILE 指定，或设置 $QINGLING_MASTER_KEY（64 位十六进制数字）"
        case .missing(let path): "\(path) 处没有密钥库：请用 `qingling keystore init --keystore \(path)` 创建"
        case .exists(let path): "\(path) 已存在：密钥库从不被覆盖"
        case .notAKeyStore(let path): "\(path) 不是本程序的密钥库"
        case let .insideLogDirectory(path, log): "密钥库 \(path) 位于日志目录 \(log) 之内：请放在日志目录（及其备份）之外"
        case .io, .unopenable: error.description
        }
    }
}
