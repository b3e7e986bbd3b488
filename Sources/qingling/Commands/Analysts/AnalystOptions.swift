import ArgumentParser
import Foundation
import QinglingEvents
import QinglingReports
import QinglingLog
import QinglingProjections
import QinglingWorkflow

/// The options every analysts' command shares: the log, the reference data, the output form.
struct AnalystOptions: ParsableArguments {
    @OptionGroup var log: LogLocation
    @OptionGroup var reference: ReferenceOption

    @Option(help: "Output: table (aligned for a terminal, with the facts of the query), json (stable English keys) or csv (one table with one header row, UTF-8 with BOM).")
    var format: OutputFormat = .table

    @Flag(name: .customLong("with-facts"), help: "With --format csv: the facts of the query (period, dates…) as lines before the table, for people.")
    var withFacts = false

    @OptionGroup var language: LanguageOption

    /// The language of the output (`--lang`).
    var lang: Language { language.lang }

    @Option(name: .customLong("known-at"), help: ArgumentHelp(
        "Count only events recorded by this time: what the ledger said then (YYYY-MM-DD means the end of that day, or RFC 3339 with +08:00).",
        valueName: "TIME"))
    var knownAtText: String?

    func validate() throws {
        if withFacts, format != .csv {
            throw ValidationError(lang.pick(zh: "--with-facts 只用于 --format csv：表格和 JSON 形式总是带有查询条件",
                                            en: "--with-facts is for --format csv: the table and JSON forms always carry the facts"))
        }
    }

    /// `--known-at` in µs since the Unix epoch.
    func knownAt() throws -> Int64? {
        guard let text = knownAtText else { return nil }
        if let time = QueryDates.knownAt(text) { return time }
        throw ValidationError(lang.pick(zh: "--known-at \(text) 既不是日期 YYYY-MM-DD，也不是 2025-01-05T18:00:00+08:00 这样的时间",
                                        en: "--known-at \(text) is neither a date YYYY-MM-DD nor a time like 2025-01-05T18:00:00+08:00"))
    }

    /// Opens the log for reading.
    func openStore() throws -> EventStore {
        do throws(StoreError) { return try EventStore(readingFrom: log.directory) } catch { throw ExitCodes.report(ProjectionError.store(error)) }
    }

    /// Opens the log for reading and brings the projections up to date (from the checkpoint
    /// beside the log when it is valid). Notes and progress go to standard error.
    func loadProjections(_ parts: ProjectionParts = .all, rebuild: Bool = false) throws -> (EventStore, ProjectionState) {
        do throws(ProjectionError) {
            let store: EventStore
            do throws(StoreError) { store = try EventStore(readingFrom: log.directory) } catch { throw .store(error) }
            let showProgress = isatty(STDERR_FILENO) == 1
            let (state, report) = try ProjectionStore.load(store, parts: parts, rebuild: rebuild) { done, total in
                if showProgress {
                    printError("\r" + lang.pick(zh: "正在重建投影：\(done)/\(total) 个事件", en: "rebuilding projections: \(done) of \(total) events")
                               + " (\(done * 100 / max(total, 1))%)", terminator: "")
                }
            }
            if showProgress, report.applied >= 65_536 { printError("") }
            if let discarded = report.discarded {
                printError("qingling: " + lang.pick(zh: "注意：检查点未使用，已重建：", en: "note: checkpoint not used and rebuilt: ") + "\(discarded)")
            }
            if let failure = report.saveFailure { printError("qingling: " + lang.pick(zh: "注意：", en: "note: ") + "\(failure)") }
            return (store, state)
        } catch {
            throw ExitCodes.report(error)
        }
    }

    /// The business date queries default to (`QueryDates.defaultDate`).
    func defaultDate(_ store: EventStore, latest: CalendarDate?) -> CalendarDate {
        QueryDates.defaultDate(store, latest: latest)
    }

    /// The latest business date as known at `--known-at` (`QueryDates.latestKnown`).
    func latestKnown(_ store: EventStore, latest: CalendarDate?) throws -> CalendarDate? {
        let knownAt = try knownAt()
        do throws(StoreError) {
            return try QueryDates.latestKnown(store, knownAt: knownAt, latest: latest)
        } catch {
            throw ExitCodes.report(error)
        }
    }

    /// Refuses a period that starts after the as-of date (usage error, exit 64): nothing in it
    /// can be in view, and its end would be measured before its start. The message names both
    /// dates; the as-of date may be the default (today, or a simulated log's last business date).
    func requireStarted(_ period: Period, asOf: CalendarDate) throws {
        guard period.start > asOf else { return }
        throw ValidationError(lang.pick(
            zh: "统计期 \(period.name) 从 \(period.start) 开始，晚于截止日 \(asOf)：此前没有可统计的事件；请用更晚的 --as-of，或更早的统计期",
            en: "the period \(period.name) starts on \(period.start), after the as-of date \(asOf): nothing in it can be counted yet; "
                + "give a later --as-of or an earlier period"))
    }

    /// The latest business date in the log, read from its last event only.
    func latestBusinessDate(_ store: EventStore) throws -> CalendarDate? {
        do throws(StoreError) {
            let next: UInt64
            do throws(LogError) { next = try store.reader.nextSequence() } catch { throw StoreError.log(error) }
            guard next > 0 else { return nil }
            var latest: CalendarDate?
            try store.forEachEvent(from: next - 1) { stored, _ in latest = stored.event.occurredAt.date }
            return latest
        } catch {
            throw ExitCodes.report(error)
        }
    }

    func print(_ report: Report) {
        Swift.print(report.render(format, lang, withFacts: withFacts), terminator: "")
    }
}

extension OutputFormat: ExpressibleByArgument {}

/// Parses `--as-of` and similar date options; a usage error in `lang` for a text that is not a date.
func parseDate(_ text: String?, option: String, _ lang: Language) throws -> CalendarDate? {
    guard let text else { return nil }
    guard let date = CalendarDate(text) else {
        throw ValidationError(lang.pick(zh: "\(option) \(text) 不是日期（应为 YYYY-MM-DD）", en: "\(option) \(text) is not a date YYYY-MM-DD"))
    }
    return date
}
