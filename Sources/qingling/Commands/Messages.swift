import ArgumentParser
import Foundation
import QinglingEvents
import QinglingLog
import QinglingWorkflow

/// `--lang zh|en`: the language of everything a command prints to a person, its errors too;
/// by default `$QINGLING_LANG`, else Chinese.
struct LanguageOption: ParsableArguments {
    @Option(name: .customLong("lang"), help: ArgumentHelp(
        "Language of the output and the messages: zh (Chinese) or en (default: $QINGLING_LANG, else zh). JSON keys and codes are always English.",
        valueName: "zh|en"))
    var explicitLang: Language?

    /// The language to use.
    var lang: Language {
        explicitLang ?? ProcessInfo.processInfo.environment["QINGLING_LANG"].flatMap(Language.init(rawValue:)) ?? .zh
    }

    func validate() throws {
        if explicitLang == nil, let value = ProcessInfo.processInfo.environment["QINGLING_LANG"], !value.isEmpty, Language(rawValue: value) == nil {
            throw ValidationError("QINGLING_LANG=\(value) is neither zh nor en")
        }
    }

    /// Makes `lang` the language of this run's messages (errors printed through `ExitCodes`).
    func use() { Messages.language = lang }
}

extension Language: ExpressibleByArgument {}

/// The language of the messages of this run. A command sets it from its `--lang` first thing
/// in `run()` (`LanguageOption.use()`), so that errors reported far from the command
/// (`ExitCodes.report`) speak it too. The command line runs one command on one thread.
enum Messages {
    nonisolated(unsafe) static var language: Language = .zh

    /// The text in this run's language.
    static func say(zh: String, en: String) -> String { language.pick(zh: zh, en: en) }

    /// A log error in `lang`: file names, offsets and numbers as they are; the free-form
    /// reasons the log gives (for damage, say) stay as the log words them.
    static func describe(_ error: LogError, _ lang: Language) -> String {
        guard lang == .zh else { return error.description }
        switch error {
        case let .io(operation, path, errno):
            return "\(path)：\(operationNames[operation] ?? operation)失败：\(errnoText(errno, .zh))（errno \(errno)）"
        case let .corrupt(path, offset, reason):
            return "日志文件 \(path) 在字节偏移 \(offset) 处损坏：\(reason)"
        case let .locked(directory, pid):
            return "日志目录 \(directory) 已被\(pid.map { "进程 \($0) " } ?? "另一进程")锁定；同一时间只能有一个写入者"
        case let .notALog(directory, reason):
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
                return "\(directory) 不是可用的日志目录：没有这个目录（用 --log DIR 或 $QINGLING_LOG 指定日志目录）"
            }
            if isDirectory.boolValue, !FileManager.default.fileExists(atPath: directory + "/" + LogMetadata.fileName) {
                return "\(directory) 不是可用的日志目录：其中没有 \(LogMetadata.fileName)"
            }
            return "\(directory) 不是可用的日志目录：\(reason)"
        case let .unsupportedVersion(path, found, supported):
            return "\(path) 的格式版本为 \(found)；本程序最高读取版本 \(supported)"
        case let .recordTooLarge(record, bytes, limit):
            return "第 \(record) 条记录有 \(bytes) 字节，超过上限 \(limit) 字节"
        case let .invalidBatch(reason):
            return "批次被拒绝：\(reason)"
        case let .invalidStreamKey(record, reason):
            return "第 \(record) 条记录的流键无效：\(reason)"
        case let .writerStopped(cause):
            return "同步失败后日志写入已停止，不再接受追加（\(cause)）；重新打开日志即可恢复"
        case .closed:
            return "日志已关闭"
        case let .changedMeanwhile(directory, reason):
            return "日志 \(directory) 在此期间已被改动：\(reason)"
        case let .sealingRefused(year, reason):
            return "无法封存 \(year) 年：\(reason)"
        case let .sequenceOutOfRange(sequence, next):
            return "日志中没有序号 \(sequence)（下一个序号是 \(next)）"
        }
    }

    /// What the system said (`SystemErrorWords`).
    static func errnoText(_ code: Int32, _ lang: Language) -> String {
        lang == .zh ? SystemErrorWords.chinese(code) : SystemErrorWords.english(code)
    }

    static let operationNames = [
        "open": "打开", "create": "创建", "read": "读取", "write": "写入", "stat": "查看", "fsync": "同步", "fdatasync": "同步",
        "truncate": "截断", "close": "关闭", "remove": "删除", "lock": "加锁", "list directory": "列出目录", "create directory": "创建目录",
        "open directory": "打开目录", "fsync directory": "同步目录", "remove directory": "删除目录", "open lock file": "打开锁文件",
        "stat lock file": "查看锁文件", "rename": "改名",
    ]
}
