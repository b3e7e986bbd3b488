import ArgumentParser
import Foundation
import QinglingEvents
import QinglingEvidence
import QinglingReports
import QinglingLog
import QinglingWorkflow

/// `qingling append FILE|-`: validate events and append them all, or none.
struct AppendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "append",
        abstract: "Append events (JSON Lines, a JSON array, or one pretty-printed document) to the log: all of them, or none.",
        discussion: """
        The input is a JSON array of events (it starts with [), one event spread over several \
        lines (as docs/events.md prints them), or JSON Lines (one event per line). Every event is checked against the schema and the workflow rules (lifecycle, who may \
        do what) in the state left by the events before it. If any is invalid, nothing is \
        written and every problem is listed. An event whose id is already in the log with the \
        same content is a retry: it is answered with its original sequence and not written again.

        On a log created with the simulated clock (the demo's), the clock is set to a minute \
        after the latest event in the input.

        Examples:
          qingling append events.jsonl
          qingling generate | qingling append --log ./county-log -
          qingling append --dry-run new-hazards.json
          qingling append --lang en report.json           # messages in English
          qingling append --server http://127.0.0.1:8080 report.json   # through the service, signed in

        A TipOffReceived may carry the reporter's identity as data.reporter ({"name", "phone", \
        "idNumber", "bankAccount"}, at least one): it is sealed with a key of its own, kept in the \
        key store (--keystore, --master-key-file), before anything is written; only \
        data.reporterSealed enters the log (docs/security.md).
        """
    )

    @OptionGroup var log: LogLocation
    @OptionGroup var reference: ReferenceOption
    @OptionGroup var language: LanguageOption
    @OptionGroup var keys: KeyStoreOptions

    @Argument(help: ArgumentHelp("The events: a file, or - for standard input.", valueName: "FILE|-"))
    var input: String

    @Flag(help: "Check the events without writing anything.")
    var dryRun = false

    @Option(help: ArgumentHelp("Append through the service at this address, as the account signed in with `qingling login` (or $QINGLING_TOKEN).", valueName: "URL"))
    var server: String?

    func validate() throws {
        guard let server else { return }
        guard ServiceClient.isAddress(server) else { throw ValidationError("--server \(server) is not an http:// or https:// address") }
        if dryRun { throw ValidationError("--dry-run is for the log on this machine, not --server") }
    }

    func run() async throws {
        language.use()
        if let server { return try await appendThroughService(server) }
        let lang = language.lang
        let file = try EventInputFile(path: input, lang: lang)
        let referenceData = try reference.load()
        let clock = Self.simulatedClock(for: log.directory)
        let options = clock.map { LogOptions(clock: $0) } ?? LogOptions()
        // A log this command creates is taken away again if nothing is written into it.
        let directoryExisted = FileManager.default.fileExists(atPath: log.directory)
        let logExisted = FileManager.default.fileExists(atPath: LogLayout(directory: log.directory).metadata)
        let store: EventStore
        do throws(StoreError) {
            store = try EventStore(appendingTo: log.directory, reference: referenceData, options: options)
        } catch {
            throw ExitCodes.report(error)
        }
        store.attachments = BlobStore(logDirectory: log.directory)
        store.vault = try keys.vault(logDirectory: log.directory, required: false)
        var wroteSomething = false
        defer {
            try? store.close()
            if !logExisted, !wroteSomething { Self.discardNewLog(log.directory, removeDirectory: !directoryExisted) }
        }
        var append: EventStore.Append
        do throws(StoreError) { append = try store.beginAppend(dryRun: dryRun, spooled: true) } catch { throw ExitCodes.report(error) }
        var latest: Int64?
        var problems: [String]
        // Events are checked a window at a time, in order: what the window's events name is
        // looked up in the log first, all together (`EventStore.lookUp`). A store that knows
        // every event (a new log) looks nothing up, and checks events as they come.
        let windowSize = store.ledger.isComplete ? Self.windowWithoutLookUps : Self.lookUpWindow
        var window: [EventStore.Input] = []
        func checkWindow() throws(StoreError) {
            try store.lookUp(window.lazy.map(\.event))
            for input in window {
                if let clock {
                    latest = max(latest ?? .min, input.event.occurredAt.microseconds)
                    clock.set(microseconds: Self.simulatedTime(latestEvent: latest))
                }
                try store.check(input, in: &append)
            }
            window.removeAll(keepingCapacity: true)
        }
        do {
            // Every event is checked, even after a malformed one, so that every problem is listed.
            problems = try file.read { input in
                window.append(input)
                if window.count == windowSize { try checkWindow() }
            }
            try checkWindow()
        } catch let error as StoreError {
            throw ExitCodes.report(error)
        }
        let refusals = append.refusals
        var report: EventStore.AppendReport?
        if problems.isEmpty, refusals.isEmpty {
            do throws(StoreError) { report = try store.finish(append) } catch { throw ExitCodes.report(error) }
        }
        problems += refusals.map { $0.text(lang) }
        let conflict = !refusals.isEmpty && refusals.allSatisfy(\.rule.isConflict)
        guard problems.isEmpty, let report else {
            for problem in problems { printError(problem) }
            printError("qingling: " + lang.pick(zh: "\(problems.count) 个问题；未写入任何内容",
                                                en: "\(counted(problems.count, "problem")); nothing was written"))
            throw conflict ? ExitCodes.conflict : ExitCodes.invalidInput
        }
        wroteSomething = !report.written.isEmpty && !dryRun
        let retries = report.outcomes.filter { if case .duplicate = $0 { true } else { false } }.count
        let valid = report.outcomes.count - retries
        if dryRun {
            print(lang.pick(zh: "试运行：\(valid) 个事件有效，\(retries) 个已在日志中；未写入任何内容",
                            en: "dry run: \(counted(valid, "event")) valid, \(retries) already in the log; nothing written"))
        } else if report.written.isEmpty {
            print(lang.pick(zh: "没有新内容：\(retries) 个事件都已在日志中", en: retries == 1 ? "nothing new: the event was already in the log" : "nothing new: all \(retries) events were already in the log"))
        } else {
            let one = report.written.count == 1
            let sequences = one ? "\(report.written.lowerBound)" : "\(report.written.lowerBound)–\(report.written.upperBound - 1)"
            print(lang.pick(zh: "已追加 \(report.written.count) 个事件：序号 \(sequences)" + (retries > 0 ? "（\(retries) 个已在日志中）" : ""),
                            en: "appended \(counted(report.written.count, "event")): \(one ? "sequence" : "sequences") \(sequences)"
                                + (retries > 0 ? " (\(retries) already in the log)" : "")))
        }
    }

    /// Removes the files of a log created by this command that received nothing.
    static func discardNewLog(_ directory: String, removeDirectory: Bool) {
        let layout = LogLayout(directory: directory)
        for path in [layout.metadata, layout.lock] { try? FileManager.default.removeItem(atPath: path) }
        for folder in [layout.segments, layout.indexes] where ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? ["?"]).isEmpty {
            try? FileManager.default.removeItem(atPath: folder)
        }
        if removeDirectory, ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? ["?"]).isEmpty {
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    /// The clock of the log in `directory` when its log.meta names the simulated clock (a new
    /// log gets the system clock): it is set a minute after the latest event of the input
    /// (`simulatedTime`), moved on as the events are read.
    static func simulatedClock(for directory: String) -> SimulatedClock? {
        guard let metadata = try? LogMetadata.read(directory: directory), metadata.clock == .simulated else { return nil }
        return SimulatedClock(microseconds: simulatedTime(latestEvent: nil))
    }

    /// How many events are checked after one look-up of what they all name
    /// (`EventStore.lookUp`): a window reads the log's batches its events lead to once, so a
    /// larger window reads less, and holds more events while it is checked.
    static let lookUpWindow = 50_000
    /// The window when nothing is looked up: a chunk of parsed lines (`EventInputFile`).
    static let windowWithoutLookUps = 256

    /// A minute after `latestEvent` (after 1970-01-01 when there is none).
    static func simulatedTime(latestEvent: Int64?) -> Int64 { (latestEvent ?? 0) + 60 * 1_000_000 }
}
