import ArgumentParser
import Foundation
import QinglingEvents
import QinglingWorkflow

/// `qingling export`: the log's events as JSON Lines of the interchange form.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write events as JSON Lines, each with its sequence, recorded time and hash.",
        discussion: """
        Filters combine (all must match). --hazard and --enterprise use the log's index and \
        do not scan the log. Exporting and appending into an empty log reproduces the events.

        Examples:
          qingling export > all.jsonl
          qingling export --hazard LX-2024-0031
          qingling export --type HazardClosed --type HazardReopened --from 1000 --output closures.jsonl
        """
    )

    @OptionGroup var log: LogLocation
    @OptionGroup var language: LanguageOption

    @Option(help: "First sequence number to export.")
    var from: UInt64?

    @Option(help: "Last sequence number to export (inclusive).")
    var to: UInt64?

    @Option(help: ArgumentHelp("Only events of this type (repeatable), e.g. HazardReported.", valueName: "TYPE"))
    var type: [String] = []

    @Option(help: ArgumentHelp("Only events naming this hazard.", valueName: "HAZARD-ID"))
    var hazard: String?

    @Option(help: ArgumentHelp("Only events naming this enterprise (credit code).", valueName: "CODE"))
    var enterprise: String?

    @Option(help: OutputFile.help)
    var output: String?

    func validate() throws {
        for name in type where EventType(rawValue: name) == nil {
            throw ValidationError("unknown event type \(name); one of \(EventType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let from, let to, to < from { throw ValidationError("--to \(to) is before --from \(from)") }
    }

    func run() throws {
        language.use()
        let types = Set(type.compactMap(EventType.init(rawValue:)))
        let sink = try OutputFile(path: output)
        var count = 0
        // The options as plain values: reading an option's property wrapper costs, per event.
        let (from, to, hazard, enterprise) = (self.from, self.to, self.hazard, self.enterprise)
        func emit(_ stored: StoredEvent) {
            if let from, stored.sequence < from { return }
            if let to, stored.sequence > to { return }
            if !types.isEmpty, !types.contains(stored.event.type) { return }
            if let hazard, !stored.event.body.hazardIds.contains(hazard) { return }
            if let enterprise, stored.event.body.creditCode != enterprise { return }
            sink.write { output in
                EventJSONEncoder.write(stored, to: &output)
                output.append(UInt8(ascii: "\n"))
            }
            count += 1
        }
        do throws(StoreError) {
            let store = try EventStore(readingFrom: log.directory)
            if let hazard {
                for stored in try store.history(ofHazard: hazard) { emit(stored) }
            } else if let enterprise {
                for stored in try store.events(forKey: StreamKeys.enterprise(enterprise)) { emit(stored) }
            } else {
                count = try store.writeJSONLines(in: (from ?? 0)...(to ?? .max), types: types) { bytes in
                    sink.write { $0.append(contentsOf: bytes) }
                }
            }
        } catch {
            throw ExitCodes.report(error)
        }
        try sink.finish()
        if let output { printError(language.lang.pick(zh: "已导出 \(count) 个事件到 \(output)", en: "exported \(counted(count, "event")) to \(output)")) }
    }
}
