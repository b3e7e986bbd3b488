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
        Opening the log for writing first (when no other writer holds it) recovers a torn tail; \
        any recovery performed is shown.

        Example:
          qingling status --log ./qingling-data
        """
    )

    @OptionGroup var log: LogLocation

    func run() throws {
        let directory = log.directory
        do throws(LogError) {
            let metadata = try LogMetadata.read(directory: directory)
            var recoveryLines: [String] = []
            do throws(LogError) {
                let writer = try LogWriter(directory: directory, options: LogOptions(
                    clock: metadata.clock == .simulated ? SimulatedClock(microseconds: 0) : SystemClock(), createIfMissing: false))
                let report = writer.recovery
                try writer.close()
                for cut in report.cutTails {
                    recoveryLines.append("cut a torn tail of \(cut.bytes) bytes at offset \(cut.offset) of \(cut.segment) (\(cut.reason)); saved to \(cut.savedTo)")
                }
                for removed in report.removedEmptySegments { recoveryLines.append("removed empty segment \(removed)") }
                for rebuilt in report.rebuiltIndexes { recoveryLines.append("rebuilt index \(rebuilt)") }
            } catch {
                guard case .locked(_, let pid) = error else { throw error }
                recoveryLines.append("not checked: a writer (pid \(pid.map(String.init) ?? "?")) holds the log")
            }
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
            print("recovery on open: \(recoveryLines.isEmpty ? "none needed" : "")")
            for line in recoveryLines { print("  \(line)") }
        } catch {
            throw ExitCodes.report(error)
        }
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
