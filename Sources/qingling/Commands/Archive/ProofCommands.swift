import ArgumentParser
import QinglingEvents
import Foundation
import QinglingArchive
import QinglingLog

/// `qingling prove`: an inclusion proof for one sealed event.
struct ProveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prove",
        abstract: "Print an inclusion proof (JSON) that a sealed event is in its year's signed archive.",
        discussion: """
        The proof holds the event (its stored bytes and its JSON form), its leaf hash, the \
        audit path to the year's Merkle root, and the signed manifest. An outside auditor checks \
        it with `qingling verify-proof` or by hand (docs/archive.md).

        Exits 3 when the event is not in a sealed year (seal its year first) or not in the log, \
        5 when the sealed year does not match its manifest (run qingling verify YEAR), 64 when \
        --output names a path already taken.

        Example:
          qingling prove 1234 --output proof-1234.json
        """
    )

    @Argument(help: "The event's sequence number.") var sequence: UInt64
    @Option(help: OutputFile.help) var output: String?
    @OptionGroup var log: LogLocation
    @OptionGroup var language: LanguageOption

    func run() throws {
        language.use()
        let sink = try OutputFile(path: output)
        do {
            let proof = try InclusionProof.prove(sequence: sequence, directory: log.directory)
            sink.write(proof.encoded())
            try sink.finish()
        } catch let error as ArchiveError {
            throw ExitCodes.report(error)
        }
    }
}

/// `qingling verify-proof`: what an outside auditor runs.
struct VerifyProofCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-proof",
        abstract: "Check an inclusion proof with nothing but the proof and the public key (no log needed).",
        discussion: """
        Checks the manifest's Ed25519 signature, the leaf hash of the event's sequence, recorded \
        time and stored bytes, the audit path up to the signed Merkle root, and that the event's \
        JSON form is what its stored bytes say. Exit 0 when the proof holds, 5 when it does not, \
        2 when the public key is not one, 4 when the proof file cannot be read (the errno is named).

        Example:
          qingling verify-proof proof-1234.json --public-key signing.pub
        """
    )

    @Argument(help: ArgumentHelp("The proof file.", valueName: "FILE")) var file: String
    @Option(name: .customLong("public-key"), help: ArgumentHelp("The public key: a file of 64 hexadecimal digits, or the digits.", valueName: "KEY"))
    var publicKey: String
    @OptionGroup var language: LanguageOption

    func run() throws {
        language.use()
        let lang = language.lang
        do {
            let key = FileManager.default.fileExists(atPath: publicKey)
                ? try SigningKeys.loadPublicKey(publicKey)
                : try [UInt8](hexString: publicKey).flatMap { $0.count == 32 ? $0 : nil }.orThrow(ArchiveError.key(path: publicKey, reason: "neither a key file nor 64 hexadecimal digits"))
            let proof = try InclusionProof.decode(try readArchiveFile(file, maximumBytes: Self.maximumProofBytes, kind: "a proof"), path: file)
            let problems = proof.problems(publicKey: key)
            if problems.isEmpty {
                print(lang.pick(zh: "证明成立：事件 \(proof.sequence) 是签名根下 \(proof.treeSize) 个叶子中的第 \(proof.leafIndex) 个（从 0 起）",
                                en: "proof holds: event \(proof.sequence) is leaf \(proof.leafIndex) of \(proof.treeSize) under the signed root"))
            } else {
                for problem in problems { print(lang.pick(zh: "问题：", en: "problem: ") + problem) }
                print(lang.pick(zh: "证明不成立（proof FAILED）", en: "proof FAILED"))
                throw ExitCodes.corruption
            }
        } catch let error as ArchiveError {
            throw ExitCodes.report(error)
        }
    }

    /// A proof holds one event (its stored bytes and JSON form, each under a few times
    /// `LogLimits.maxRecordBytes`), a manifest and an audit path: far less than this.
    static let maximumProofBytes = 64 << 20
}

extension Optional {
    /// The value, or `error` thrown.
    func orThrow<E: Error>(_ error: E) throws(E) -> Wrapped {
        guard let self else { throw error }
        return self
    }
}
