import ArgumentParser
import QinglingProvince

/// `qingling restore`: rebuilds a county's log from the province's physical copy.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Rebuild a county's log from the province's PostgreSQL copy, byte for byte.",
        discussion: """
        Writes log.meta and every segment as `qingling ship` copied them (the index is rebuilt \
        by readers and the writer as needed), checking each batch's hash and the hash chain. \
        The log is built beside DIR and renamed into place when complete and synced. DIR must \
        be new or empty. Then run `qingling verify --log DIR` (and `--head` with the county's \
        last signed head).

        Example:
          qingling restore --postgres postgres://ship:secret@db.example/province --county 430682 --into /srv/qingling-restored
        """
    )

    @OptionGroup var postgres: PostgresOption

    @Option(help: ArgumentHelp("The county's GB/T 2260 code, e.g. 430682.", valueName: "CODE"))
    var county: String

    @Option(help: ArgumentHelp("The directory to restore into: new or empty.", valueName: "DIR"))
    var into: String

    func validate() throws {
        if !(county.count == 6 && county.allSatisfy { $0.isASCII && $0.isNumber }) {
            throw ValidationError("--county \(county): a county code is six digits (GB/T 2260), e.g. 430682")
        }
    }

    func run() async throws {
        do throws(ProvinceError) {
            let location = try postgres.location()
            let database = try await ProvinceDatabase.connect(location)
            let report: RestoreReport
            do throws(ProvinceError) {
                report = try await CountyRestorer.restore(county: county, from: database, into: into)
            } catch {
                await database.close()
                throw error
            }
            await database.close()
            print("county \(county): \(report.segments) segments, \(report.batches) batches (\(report.bytes) bytes), sequences 0..<\(report.nextSequence) restored into \(into)")
        } catch {
            throw ExitCodes.report(error)
        }
    }
}
