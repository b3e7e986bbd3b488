import ArgumentParser
import Foundation
import QinglingEvents
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

    func run() throws {
        let directory = log.directory
        do throws(LogError) {
            let metadata = try LogMetadata.read(directory: directory)
            // Read only: a reader takes no lock and changes nothing, so it never blocks the writer.
            let damage = try LogRecovery.inspect(directory: directory)
            let reader = try LogReader(directory: directory)
            let segments = try reader.statistics()
            print("log: \(reader.layout.directory)")
            print("clock: \(metadata.clock.rawValue)\(metadata.clock == .simulated ? " (recorded times follow the events' business time; demo and test logs only)" : "")")
            let records = segments.reduce(0) { $0 + $1.records }
            let fileBytes = segments.reduce(Int64(0)) { $0 + $1.fileBytes }
            let rawBytes = segments.reduce(Int64(0)) { $0 + $1.rawBytes }
            let next = segments.last?.nextSequence ?? 0
            print("events: \(records), sequences \(records == 0 ? "none" : "0–\(next - 1)")")
            print("on disk: \(fileBytes) bytes in \(segments.count) segments; records \(rawBytes) bytes before compression (\(String(format: "%.2f", Double(rawBytes) / Double(max(fileBytes, 1))))×)")
            print("")
            print("year  segments  events     bytes")
            for year in Set(segments.map(\.name.year)).sorted() {
                let ofYear = segments.filter { $0.name.year == year }
                print("\(year)  \(pad(ofYear.count, 8))  \(pad(ofYear.reduce(0) { $0 + $1.records }, 6))  \(pad(Int(ofYear.reduce(Int64(0)) { $0 + $1.fileBytes }), 8))")
            }
            var counts: [EventType: Int] = [:]
            do throws(StoreError) {
                try EventStore(readingFrom: directory).forEachEvent { stored, _ in counts[stored.event.type, default: 0] += 1 }
            } catch {
                guard case .log(let logError) = error else { throw .corrupt(path: directory, offset: 0, reason: error.description) }
                throw logError
            }
            print("")
            print("events by type:")
            for type in EventType.allCases where counts[type] != nil {
                print("  \(type.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0)) \(pad(counts[type] ?? 0, 7))  \(type.label)")
            }
            print("")
            print("")
            print("end of the log: \(damage.map(Self.describe) ?? "clean")")
        } catch {
            throw ExitCodes.report(error)
        }
    }

    /// What the damage at the end of the log is and what will happen to it.
    static func describe(_ damage: TailDamage) -> String {
        let what = "\(damage.bytes) bytes at offset \(damage.offset) of \(damage.segment) (\(damage.reason))"
        switch damage.kind {
        case .tornTail: return "a torn tail of \(what): never acknowledged; the writer moves it to recovered/ before it next writes"
        case .ambiguous: return "damage of \(what), in a segment written before sync marks: run `qingling recover` to see and cut it"
        case .acknowledged: return "damage to acknowledged data: \(what); restore the segment from a copy"
        }
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
