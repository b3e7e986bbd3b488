import ArgumentParser
import Foundation
import QinglingEvents
import QinglingEvidence
import QinglingLog

/// `qingling attach FILE…`: stores evidence files in the log's blob store and prints, for each,
/// the attachment object an event names it by.
struct AttachCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach",
        abstract: "Store evidence files (JPEG, PNG, PDF) in the log's blob store; print the attachment object of each.",
        discussion: """
        Each file is checked (its type from its first bytes, never its name: JPEG, PNG or PDF; \
        1 byte to 20 MiB), then kept under its SHA-256 in <log>/attachments/, written to a \
        temporary file, synced and renamed. A file already held is not written again. For each \
        file one line of JSON is printed, in the order given: the object to put in an event's \
        data.attachments (HazardReported, HazardRectified, HazardVerified, PenaltyImposed), with \
        the caption of --caption (else empty; edit it in the event). An event naming a hash \
        the store does not hold is refused by `qingling append`.

        A file refused (wrong type, too large, unreadable) is named with the reason on standard \
        error, the other files are still stored, and the exit status is 2.

        Example:
          qingling attach --log ./qingling-data before.jpg after.jpg 验收报告.pdf
        """
    )

    @OptionGroup var log: LogLocation
    @OptionGroup var language: LanguageOption

    @Option(help: ArgumentHelp("The caption to give every file (at most 200 characters; default: empty).", valueName: "TEXT"))
    var caption: String = ""

    @Argument(help: ArgumentHelp("The files to store.", valueName: "FILE"))
    var files: [String]

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError(Messages.say(zh: "请给出至少一个文件", en: "give at least one file")) }
        guard caption.unicodeScalars.count <= Attachment.maxCaptionLength,
              !caption.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw ValidationError(Messages.say(zh: "--caption 最多 \(Attachment.maxCaptionLength) 个字符，且不含控制字符",
                                               en: "--caption holds at most \(Attachment.maxCaptionLength) characters, without control characters"))
        }
    }

    func run() throws {
        language.use()
        // Only into an existing log: the store lives in the log's directory.
        do throws(LogError) { _ = try LogMetadata.read(directory: log.directory) } catch { throw ExitCodes.report(error) }
        let store = BlobStore(logDirectory: log.directory)
        var refused = false
        for path in files {
            guard let data = FileManager.default.contents(atPath: path) else {
                let reason = FileManager.default.fileExists(atPath: path)
                    ? Messages.say(zh: "无法读取（权限不足或为目录）", en: "cannot be read (permission denied, or a directory)")
                    : Messages.say(zh: "文件不存在", en: "no such file")
                printError("qingling: \(path): \(reason)")
                refused = true
                continue
            }
            do throws(BlobError) {
                var attachment = try store.store(Array(data)).attachment
                attachment.caption = caption
                var output = JSONOutput()
                EventJSONEncoder.attachment(attachment, to: &output)
                print(String(decoding: output.bytes, as: UTF8.self))
            } catch {
                if case .io(let logError) = error { throw ExitCodes.report(logError) }
                printError("qingling: \(path): \(Self.describe(error))")
                refused = true
            }
        }
        if refused { throw ExitCodes.invalidInput }
    }

    static func describe(_ error: BlobError) -> String {
        switch error {
        case .empty: return Messages.say(zh: "文件为空；附件应为照片（JPEG、PNG）或文档（PDF）", en: error.description)
        case .tooLarge(let bytes):
            return Messages.say(zh: "文件有 \(bytes) 字节，超过附件上限 \(Attachment.maxBytes) 字节（20 MiB）；请降低照片分辨率或拆分文档", en: error.description)
        case .unsupportedType:
            return Messages.say(zh: "不是 JPEG、PNG 或 PDF 文件（类型按文件内容判断，不看文件名）", en: error.description)
        default: return error.description
        }
    }
}
