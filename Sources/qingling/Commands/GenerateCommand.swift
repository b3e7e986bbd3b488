import ArgumentParser
import Foundation
import QinglingEvents
import QinglingLog
import QinglingSampleData
import QinglingWorkflow

/// `qingling generate`: deterministic, realistic Linxiang data as JSON Lines.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write realistic, deterministic (seeded) Linxiang hazard events as JSON Lines.",
        discussion: """
        About 150 major hazards a year from 2023 to 2026 by default, with their whole \
        lifecycle: supervision, rectification, failed verifications, extensions, overdue \
        hazards, reopenings, withdrawals, escalations, penalties, tip-offs and rewards. Every \
        event passes the same validation as user input. Scale with --hazards-per-year.

        Examples:
          qingling generate --output linxiang.jsonl
          qingling generate --seed 7 --hazards-per-year 100000 | qingling append --log big-log -
          qingling generate --hazards-per-year 220000 --into big-log   # about 5 million events, streamed
        """
    )

    @Option(help: "The random seed: the same seed gives the same events.")
    var seed: UInt64 = 2024

    @Option(help: "Major hazards discovered per year.")
    var hazardsPerYear = 150

    @Option(help: "First year of data.")
    var firstYear = 2023

    @Option(help: "Last year of data.")
    var lastYear = 2026

    @Option(help: ArgumentHelp("No event after this date (default: 20 November of the last year, or yesterday if that is earlier).", valueName: "YYYY-MM-DD"))
    var until: String?

    @Option(help: OutputFile.help)
    var output: String?

    @Option(help: ArgumentHelp(
        "Append the events straight into a new log on the simulated clock, through the workflow rules, one batch per business day (streamed: for logs of millions of events).",
        valueName: "DIR"))
    var into: String?

    /// The last business date of the data: by default 20 November of `lastYear`, never later
    /// than yesterday, so that a log on the real clock accepts every event.
    static func defaultEnd(lastYear: Int) -> CalendarDate {
        let november = CalendarDate(year: lastYear, month: 11, day: 20) ?? CalendarDate(daysSinceEpoch: 0)
        let yesterday = ShanghaiDateTime(microseconds: Int64(Date().timeIntervalSince1970 * 1_000_000)).date.adding(days: -1)
        return min(november, yesterday)
    }

    @OptionGroup var reference: ReferenceOption
    @OptionGroup var language: LanguageOption

    func validate() throws {
        if let until, CalendarDate(until) == nil { throw ValidationError("--until \(until) is not a date YYYY-MM-DD") }
        guard hazardsPerYear > 0 else { throw ValidationError("--hazards-per-year must be positive") }
        guard output == nil || into == nil else { throw ValidationError("give --output or --into, not both") }
        if let into, FileManager.default.fileExists(atPath: into) { throw ValidationError("\(into) already exists; --into creates a new log") }
        guard firstYear <= lastYear, (2000...2100).contains(firstYear), (2000...2100).contains(lastYear) else {
            throw ValidationError("years must satisfy 2000 ≤ --first-year ≤ --last-year ≤ 2100")
        }
    }

    func run() throws {
        language.use()
        let end = until.flatMap(CalendarDate.init) ?? Self.defaultEnd(lastYear: lastYear)
        let referenceData = try reference.load()
        let generator = LinxiangGenerator(seed: seed, hazardsPerYear: hazardsPerYear, years: firstYear...lastYear,
                                          reference: referenceData, until: end)
        if let into {
            try appendStreaming(generator, into: into, reference: referenceData)
            return
        }
        let sink = try OutputFile(path: output)
        var count = 0
        generator.forEachEvent { event in
            sink.write { output in
                EventJSONEncoder.write(event, to: &output)
                output.append(UInt8(ascii: "\n"))
            }
            count += 1
        }
        try sink.finish()
        if let output { printError(language.lang.pick(zh: "已生成 \(count) 个事件到 \(output)", en: "generated \(counted(count, "event")) to \(output)")) }
    }

    /// Streams the generated events into a new log: each business day one batch, recorded ten
    /// minutes after the day's last action (deferred), one sync at the end. Memory stays bounded
    /// by a day of events and the event store's ledger.
    private func appendStreaming(_ generator: LinxiangGenerator, into directory: String, reference: ReferenceData) throws {
        let showProgress = isatty(STDERR_FILENO) == 1
        do throws(StoreError) {
            let clock = SimulatedClock(microseconds: 0)
            var store: EventStore?
            var day: [EventStore.Input] = []
            var total = 0
            var batches = 0
            var failure: StoreError?
            let started = Date()
            func flush() {
                guard failure == nil, let last = day.last else { return }
                do throws(StoreError) {
                    clock.set(microseconds: max(clock.now(), last.event.occurredAt.microseconds + 10 * 60 * 1_000_000))
                    if store == nil { store = try EventStore(appendingTo: directory, reference: reference, options: LogOptions(clock: clock)) }
                    _ = try store?.append(day, durability: .deferred)
                    total += day.count
                    batches += 1
                    if showProgress, batches % 50 == 0 { printError("\r" + language.lang.pick(zh: "已追加 \(total) 个事件", en: "appended \(total) events"), terminator: "") }
                } catch {
                    failure = error
                }
                day.removeAll(keepingCapacity: true)
            }
            generator.forEachEvent { event in
                if let first = day.first, first.event.occurredAt.date != event.occurredAt.date { flush() }
                day.append(EventStore.Input(event: event))
            }
            flush()
            if let failure { throw failure }
            try store?.sync()
            try store?.close()
            if showProgress { printError("") }
            let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
            printError(language.lang.pick(zh: "已按日分 \(batches) 批追加 \(total) 个事件到 \(directory)（模拟时钟），用时 \(seconds) 秒",
                                          en: "appended \(total) events in \(batches) daily batches to \(directory) (simulated clock) in \(seconds) s"))
        } catch {
            throw ExitCodes.report(error)
        }
    }
}
