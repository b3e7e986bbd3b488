import Foundation
import QinglingLog
import Synchronization

/// The audit log: a `QinglingLog` of its own (checksums, hash chain and sealing like the event
/// log's), one JSON `AuditEntry` per record. Both the service and `qingling users` write it, so
/// each write opens the log's writer, appends synced and closes it again, waiting a while for
/// the other to finish.
public final class AuditTrail: Sendable {
    /// The audit log's directory.
    public let directory: String
    /// One write at a time from this process.
    private let writing = Mutex(())

    /// How long a write waits for another process holding the writer.
    static let lockWait: Duration = .seconds(5)

    public init(directory: String) {
        self.directory = directory
    }

    /// The audit log beside the accounts database at `accountsPath`: its name with `.sqlite`
    /// replaced by `.audit` (`county.accounts.sqlite` → `county.accounts.audit`), or `.audit`
    /// added.
    public static func directory(besideAccounts accountsPath: String) -> String {
        (accountsPath.hasSuffix(".sqlite") ? String(accountsPath.dropLast(".sqlite".count)) : accountsPath) + ".audit"
    }

    /// Appends `entry` and returns once it is on stable storage.
    public func record(_ entry: AuditEntry) throws(AuditError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let payload: [UInt8]
        do { payload = Array(try encoder.encode(entry)) } catch { preconditionFailure("an AuditEntry always encodes") }
        try writing.withLock { _ throws(AuditError) in
            let writer = try openWriter()
            defer { try? writer.close() }
            do throws(LogError) {
                _ = try writer.append([Record(payload: payload)], durability: .synced)
            } catch {
                throw .log(error)
            }
        }
    }

    /// Every entry recorded at or after `since` (µs since the Unix epoch; all when `nil`), in
    /// log order. A missing audit log has none.
    public func entries(since: Int64? = nil) throws(AuditError) -> [AuditRecord] {
        guard FileManager.default.fileExists(atPath: directory) else { return [] }
        let decoder = JSONDecoder()
        var found: [AuditRecord] = []
        var undecodable: UInt64?
        do throws(LogError) {
            try LogReader(directory: directory).forEach { record throws(LogError) in
                guard undecodable == nil, since.map({ record.recordedAt >= $0 }) ?? true else { return }
                guard let entry = try? decoder.decode(AuditEntry.self, from: Data(record.payload)) else {
                    undecodable = record.sequence
                    return
                }
                found.append(AuditRecord(sequence: record.sequence, recordedAt: record.recordedAt, entry: entry))
            }
        } catch {
            throw .log(error)
        }
        if let undecodable { throw .undecodable(directory: directory, sequence: undecodable) }
        return found
    }

    /// The log's writer, once no other process holds it (waiting up to `lockWait`).
    private func openWriter() throws(AuditError) -> LogWriter {
        let clock = ContinuousClock()
        let deadline = clock.now + Self.lockWait
        while true {
            do throws(LogError) {
                return try LogWriter(directory: directory)
            } catch {
                guard case .locked = error else { throw .log(error) }
                guard clock.now < deadline else { throw .busy(directory: directory) }
                usleep(20_000)
            }
        }
    }
}
