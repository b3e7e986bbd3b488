import ArgumentParser
import Foundation
import QinglingEvents
import QinglingReports
import QinglingLog
import QinglingWorkflow

/// `qingling status`: what the log holds and how it is stored.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the log's segments, years, sequence range, event counts by type, sizes and compression.",
        discussion: """
        Reads only: it takes no lock and changes nothing, so it may run while the log is \
        written. Damage at the end of the log is described (a torn tail, which the writer cuts \
        before it next writes; or damage that needs `qingling recover` or a restore); damage \
        anywhere else stops it with exit status 5.

        Example:
          qingling status --log ./qingling-data
        """
    )

    @OptionGroup var log: LogLocation
    @OptionGroup var language: LanguageOption

    func run() throws {
        language.use()
        let lang = language.lang
        let directory = log.directory
        do throws(LogError) {
            let metadata = try LogMetadata.read(directory: directory)
            // Read only: a reader takes no lock and changes nothing, so it never blocks the writer.
            let damage = try LogRecovery.inspect(directory: directory)
            let reader = try LogReader(directory: directory)
            let segments = try reader.statistics()
            print(lang.pick(zh: "日志：", en: "log: ") + reader.layout.directory)
            let simulated = metadata.clock == .simulated
            print(lang.pick(zh: "时钟：\(simulated ? "模拟（记录时间跟随事件的业务时间；仅用于演示和测试日志）" : "系统")",
                            en: "clock: \(metadata.clock.rawValue)\(simulated ? " (recorded times follow the events' business time; demo and test logs only)" : "")"))
            let records = segments.reduce(0) { $0 + $1.records }
            let fileBytes = segments.reduce(Int64(0)) { $0 + $1.fileBytes }
            let rawBytes = segments.reduce(Int64(0)) { $0 + $1.rawBytes }
            let next = segments.last?.nextSequence ?? 0
            let sequences = records == 0 ? lang.pick(zh: "无", en: "none") : "0–\(next - 1)"
            print(lang.pick(zh: "事件：\(records)，序号 \(sequences)", en: "events: \(records), sequences \(sequences)"))
            let ratio = String(format: "%.2f", Double(rawBytes) / Double(max(fileBytes, 1)))
            print(lang.pick(zh: "磁盘占用：\(segments.count) 个段共 \(fileBytes) 字节；记录压缩前 \(rawBytes) 字节（\(ratio)×）",
                            en: "on disk: \(fileBytes) bytes in \(segments.count) segments; records \(rawBytes) bytes before compression (\(ratio)×)"))
            print("")
            print("\(lang.pick(zh: "年份", en: "year"))  \(pad(lang.pick(zh: "段数", en: "segments"), 8))  "
                  + "\(pad(lang.pick(zh: "事件数", en: "events"), 6))  \(pad(lang.pick(zh: "字节", en: "bytes"), 8))")
            for year in Set(segments.map(\.name.year)).sorted() {
                let ofYear = segments.filter { $0.name.year == year }
                print("\(year)  \(pad(String(ofYear.count), 8))  \(pad(String(ofYear.reduce(0) { $0 + $1.records }), 6))  "
                      + pad(String(ofYear.reduce(Int64(0)) { $0 + $1.fileBytes }), 8))
            }
            var counts: [EventType: Int] = [:]
            do throws(StoreError) {
                try EventStore(readingFrom: directory).forEachEvent { stored, _ in counts[stored.event.type, default: 0] += 1 }
            } catch {
                guard case .log(let logError) = error else { throw .corrupt(path: directory, offset: 0, reason: error.description) }
                throw logError
            }
            print("")
            print(lang.pick(zh: "按类型的事件数：", en: "events by type:"))
            for type in EventType.allCases where counts[type] != nil {
                print("  \(type.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0)) \(pad(String(counts[type] ?? 0), 7))  \(type.text(lang))")
            }
            print("")
            print("")
            print(lang.pick(zh: "日志末尾：", en: "end of the log: ") + (damage.map { Self.describe($0, lang) } ?? lang.pick(zh: "完好", en: "clean")))
        } catch {
            throw ExitCodes.report(error)
        }
    }

    /// What the damage at the end of the log is and what will happen to it, in `lang`.
    static func describe(_ damage: TailDamage, _ lang: Language) -> String {
        let what = lang.pick(zh: "\(damage.segment) 偏移 \(damage.offset) 处的 \(damage.bytes) 字节（\(damage.reason)）",
                             en: "\(damage.bytes) bytes at offset \(damage.offset) of \(damage.segment) (\(damage.reason))")
        switch damage.kind {
        case .tornTail:
            return lang.pick(zh: "撕裂的尾部：\(what)：从未确认；写入者下次写入前会把它移到 recovered/",
                             en: "a torn tail of \(what): never acknowledged; the writer moves it to recovered/ before it next writes")
        case .ambiguous:
            return lang.pick(zh: "损坏：\(what)，所在的段写于同步标记之前：运行 `qingling recover` 查看并截断",
                             en: "damage of \(what), in a segment written before sync marks: run `qingling recover` to see and cut it")
        case .acknowledged:
            return lang.pick(zh: "已确认数据损坏：\(what)；请从副本恢复该段", en: "damage to acknowledged data: \(what); restore the segment from a copy")
        }
    }

    /// `text` right-aligned in `width` terminal columns (a Chinese character takes two).
    private func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.terminalWidth)) + text
    }
}
