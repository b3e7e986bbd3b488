import ArgumentParser
import Foundation
import QinglingArchive
import QinglingEvents
import QinglingLog

/// `qingling head`: where the log stands, and a signed statement of it for outside parties.
struct HeadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "head",
        abstract: "Print the log's head (size, last record, hash chain head), or sign it for an outside party.",
        discussion: """
        The head is where the log stands: its size (the number of records, which is the next \
        sequence number), its last record's sequence and recorded time, and the head of its \
        hash chain: the SHA-256 of the batch that holds the last record, or, when the newest \
        records are in a sealed year, that year's last live batch hash (kept in its \
        chain.qllink and signed manifest), which the next batch will name. An empty log has \
        size 0 and a chain head of 32 zero bytes. Only the end of the newest segment is read.

        With --sign, the head and the RFC 6962 Merkle root over every record (the whole log is \
        read) are signed with the archive job's Ed25519 key. Give the signed head to an \
        outside party: `qingling verify --head FILE` later shows whether the log still holds \
        every one of those records, unchanged (docs/archive.md).

        Examples:
          qingling head --log ./qingling-data
          qingling head --format json
          qingling head --sign --private-key ~/.qingling/signing.key --output head.json
          qingling verify --head head.json --public-key auditor-copy-of-signing.pub
        """
    )

    @Flag(help: "Sign the head, with the Merkle root over every record, with the archive job's key.")
    var sign = false

    @Option(help: "Output of the head (not with --sign): text or json.")
    var format: HeadFormat?

    @Option(help: OutputFile.help)
    var output: String?

    @OptionGroup var log: LogLocation
    @OptionGroup var key: SigningKeyOption
    @OptionGroup var language: LanguageOption

    func validate() throws {
        if sign, format != nil { throw ValidationError("--format is for the unsigned head; a signed head is always JSON (docs/archive.md)") }
        if !sign, output != nil { throw ValidationError("--output is for --sign") }
        if !sign, key.explicitPath != nil { throw ValidationError("--private-key is for --sign") }
    }

    func run() throws {
        language.use()
        if sign { try signHead() } else { try printHead() }
    }

    private func printHead() throws {
        let head: LogHead
        let metadata: LogMetadata
        do throws(LogError) {
            let reader = try LogReader(directory: log.directory)
            metadata = reader.metadata
            head = try reader.head()
        } catch {
            throw ExitCodes.report(error)
        }
        switch format ?? .text {
        case .json:
            print(JSONWriter.string(.object([
                JSONMember("log", .string(log.directory)),
                JSONMember("logCreatedAt", .number(String(metadata.createdAt))),
                JSONMember("simulatedClock", .bool(metadata.clock == .simulated)),
                JSONMember("size", .number(String(head.size))),
                JSONMember("lastSequence", head.lastSequence.map { .number(String($0)) } ?? .null),
                JSONMember("lastRecordedAt", head.lastRecordedAt.map { .number(String($0)) } ?? .null),
                JSONMember("chainHead", .string(head.chainHead.hexString)),
                JSONMember("sealedYear", head.sealedYear.map { .number(String($0)) } ?? .null),
            ])))
        case .text:
            let lang = language.lang
            let none = lang.pick(zh: "无", en: "none")
            let created = ShanghaiDateTime(microseconds: metadata.createdAt)
            let simulated = metadata.clock == .simulated
            print(lang.pick(zh: "日志：      \(log.directory)（创建于 \(created)，\(simulated ? "模拟" : "系统")时钟）",
                            en: "log:            \(log.directory) (created \(created), \(metadata.clock.rawValue) clock)"))
            print(lang.pick(zh: "大小：      \(head.size) 条记录", en: "size:           \(head.size) records"))
            print(lang.pick(zh: "最后序号：  ", en: "last sequence:  ") + (head.lastSequence.map(String.init) ?? none))
            print(lang.pick(zh: "最后记录于：", en: "last recorded:  ") + (head.lastRecordedAt.map { "\(ShanghaiDateTime(microseconds: $0)) (\($0))" } ?? none))
            print(lang.pick(zh: "链头：      ", en: "chain head:     ") + head.chainHead.hexString)
            if let year = head.sealedYear {
                print(lang.pick(zh: "            （\(year) 年已封存：其最后一个在用批次的哈希，取自 archive/\(year)/\(SealedYearLink.fileName)）",
                                en: "                (\(year) is sealed: its last live batch hash, from archive/\(year)/\(SealedYearLink.fileName))"))
            } else if let last = head.lastSequence {
                print(lang.pick(zh: "            （含记录 \(last) 的批次的 SHA-256）", en: "                (the SHA-256 of the batch that holds record \(last))"))
            } else {
                print(lang.pick(zh: "            （空日志：其第一个批次将引用的哈希）", en: "                (an empty log: the hash its first batch will name)"))
            }
        }
    }

    private func signHead() throws {
        let path = try key.path()
        // Opened first: a path already taken is refused before the whole log is read.
        let sink = try OutputFile(path: output)
        let signed: SignedHead
        do throws(ArchiveError) {
            let signingKey = try SigningKeys.loadSigningKey(path, forLog: log.directory)
            signed = try SignedHead.sign(directory: log.directory, key: signingKey, signedAt: Int64(Date().timeIntervalSince1970 * 1_000_000))
        } catch {
            throw ExitCodes.report(error)
        }
        sink.write(String(decoding: signed.encoded(), as: UTF8.self))
        try sink.finish()
        if let output {
            let statement = signed.statement
            print(language.lang.pick(
                zh: "已签名 \(statement.size) 条记录的头（默克尔根 \(statement.merkleRoot.hexString)，链头 \(statement.chainHead.hexString)），写入 \(output)",
                en: "signed the head of \(statement.size) records (Merkle root \(statement.merkleRoot.hexString), chain head \(statement.chainHead.hexString)) to \(output)"))
        }
    }
}

/// How `qingling head` prints the head.
enum HeadFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
