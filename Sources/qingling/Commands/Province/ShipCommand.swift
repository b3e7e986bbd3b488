import ArgumentParser
import Foundation
import QinglingEvents
import QinglingProvince

/// `qingling ship`: copies a county's log into the province's PostgreSQL database.
struct ShipCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ship",
        abstract: "Copy the county's log into the province's PostgreSQL database (physical and logical copy).",
        discussion: """
        Writes the schema qingling: every batch as on disk (qingling.batches, qingling.segments: \
        `qingling restore` rebuilds the log from them byte for byte), every event as a row \
        (qingling.events, with the event as jsonb) and every hazard as the log leaves it \
        (qingling.hazards). Starts after the last batch the database holds for the county and \
        first checks that the log still holds that batch with the same hash: a replaced or \
        rewritten log is refused and nothing is written. Each group of appends is written in \
        one transaction, so an interrupted run leaves whole appends and the next run resumes.

        Examples:
          qingling ship --log /srv/qingling --postgres postgres://ship:secret@db.example:5432/province --init
          qingling ship --postgres postgres://ship:secret@db.example/province --follow
          qingling ship --reference yueyang.json --county 430621 --postgres …
        """
    )

    @OptionGroup var log: LogLocation
    @OptionGroup var postgres: PostgresOption
    @OptionGroup var reference: ReferenceOption

    @Option(help: ArgumentHelp("The county's GB/T 2260 code (default: the reference data's, 430682 for 临湘市).", valueName: "CODE"))
    var county: String?

    @Flag(help: "Create the schema, or migrate it to this program's version, before shipping (safe to repeat).")
    var `init` = false

    @Flag(help: "Keep shipping as the log grows, until interrupted.")
    var follow = false

    @Option(help: ArgumentHelp("With --follow: seconds between looks at the log.", valueName: "SECONDS"))
    var interval: Double = 1

    @Option(help: ArgumentHelp("Batches written per transaction, at most (a transaction also ends with the append that reaches 50,000 events).", valueName: "N"))
    var batchesPerTransaction: Int = 512

    func validate() throws {
        if let county, !(county.count == 6 && county.allSatisfy { $0.isASCII && $0.isNumber }) {
            throw ValidationError("--county \(county): a county code is six digits (GB/T 2260), e.g. 430682")
        }
        if !(interval > 0 && interval <= 3600) { throw ValidationError("--interval must be between 0 and 3600 seconds") }
        if batchesPerTransaction < 1 { throw ValidationError("--batches-per-transaction must be at least 1") }
    }

    /// Reconnections a run without --follow makes before it gives up (--follow never does).
    static let reconnections = 3

    func run() async throws {
        let reference = try self.reference.load()
        do throws(ProvinceError) {
            let location = try postgres.location()
            // The county is checked before connecting: a wrong code writes nothing anywhere.
            if let county, county != reference.divisionCode {
                throw ProvinceError.unknownCounty(code: county, known: reference.divisionCode, name: reference.county)
            }
            var failures = 0
            while true {
                do throws(ProvinceError) {
                    try await ship(to: location, reference: reference, resetting: &failures)
                    return
                } catch where connectsAgain(after: error, failures: failures) {
                    // What the lost transaction wrote was not kept: connecting again resumes.
                    failures += 1
                    let delay = min(30, 1 << min(failures, 5))
                    printError("qingling: \(error)")
                    printError("qingling ship: connecting again in \(delay) s (\(follow ? "attempt \(failures)" : "attempt \(failures) of \(Self.reconnections)"))")
                    try? await Task.sleep(nanoseconds: UInt64(delay) * 1_000_000_000)
                }
            }
        } catch {
            throw ExitCodes.report(error)
        }
    }

    /// Whether to connect again after `error`: with --follow, after any connection problem; else
    /// after a connection lost under way (and a failed reconnection), `reconnections` times.
    private func connectsAgain(after error: ProvinceError, failures: Int) -> Bool {
        guard error.isConnectionProblem else { return false }
        if follow { return true }
        if case .connectionLost = error { return failures < Self.reconnections }
        return failures > 0 && failures < Self.reconnections
    }

    /// One connection's shipping: once, or each `interval` with --follow. A round that ships
    /// resets the count of failed connections.
    private func ship(to location: PostgresLocation, reference: ReferenceData, resetting failures: inout Int) async throws(ProvinceError) {
        let database = try await ProvinceDatabase.connect(location)
        do throws(ProvinceError) {
            if `init` {
                let applied = try await SchemaMigrations.migrate(database)
                if !applied.isEmpty { print("schema qingling: applied version\(applied.count == 1 ? "" : "s") \(applied.map(String.init).joined(separator: ", "))") }
            }
            let shipper = try CountyShipper(logDirectory: log.directory, database: database, county: county, reference: reference,
                                            batchesPerTransaction: batchesPerTransaction)
            repeat {
                let report = try await shipper.ship()
                failures = 0
                if report.batches > 0 || !follow {
                    print("county \(shipper.county): \(report.events) events in \(report.batches) batches (\(report.bytes) bytes) shipped in \(report.transactions) transactions; the copy holds sequences 0..<\(report.nextSequence)")
                    // Each round's line is out at once: --follow runs until it is stopped.
                    fflush(nil)
                }
                if follow { try? await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000)) }
            } while follow
            await database.close()
        } catch {
            await database.close()
            throw error
        }
    }
}
