import QinglingEvents
import QinglingKeyStore
import QinglingLog

/// Hazard events in a segment log: checked by the workflow rules, then appended all-or-nothing;
/// read back in order or by stream key.
public final class EventStore {
    public let reader: LogReader
    let writer: LogWriter?
    public let rules: WorkflowRules
    /// What the rules check appends against; see `Ledger` (complete for a log this store
    /// created, otherwise a cache of what appends looked up).
    public internal(set) var ledger: Ledger
    /// Where look-ups stop reading the log (`Ledger.lookUpsEndAt`): the log's length when the
    /// writer opened it; the whole log for a store that reads only, and after a write failed
    /// (the ledger is then forgotten).
    var lookUpsEndAt: UInt64 { ledger.lookUpsEndAt }
    let clock: (any LogClock)?
    /// The log's blob store, which an event's attachments must name files of (see
    /// `attachmentRefusal`); `nil` refuses every event that names one.
    public var attachments: (any AttachmentCatalog)?
    /// Seals the reporters' identities given with tip-offs; `nil` when no key store is
    /// configured (a tip-off with an identity is then refused: never stored in plain text).
    public var vault: ReporterVault?

    /// Opens the log in `directory` for appending (creating it when allowed). Nothing is read
    /// up front: each append looks up the hazards, tip-offs and event ids it names through the
    /// log's index (see `Ledger`).
    public init(appendingTo directory: String, reference: ReferenceData, options: LogOptions) throws(StoreError) {
        do throws(LogError) {
            let writer = try LogWriter(directory: directory, options: options)
            self.writer = writer
            reader = try LogReader(directory: directory, fileSystem: options.fileSystem)
            ledger = Ledger(isComplete: writer.nextSequence == 0, lookUpsEndAt: writer.nextSequence)
        } catch {
            throw .log(error)
        }
        clock = options.clock
        rules = WorkflowRules(reference: reference)
    }

    /// Opens the log in `directory` for reading only.
    public init(readingFrom directory: String, reference: ReferenceData = .linxiang) throws(StoreError) {
        do throws(LogError) { reader = try LogReader(directory: directory) } catch { throw .log(error) }
        writer = nil
        clock = nil
        rules = WorkflowRules(reference: reference)
        ledger = Ledger(isComplete: false)
    }

    /// The writer's recovery report (what opening repaired), when open for appending.
    public var recovery: RecoveryReport? { writer?.recovery }

    /// Closes the log writer, if any.
    public func close() throws(StoreError) {
        do throws(LogError) { try writer?.close() } catch { throw .log(error) }
    }

    /// Calls `body` with every event from `sequence` on, through `last`, in log order, with
    /// its stored bytes; no batch after `last` is read.
    public func forEachEvent(from sequence: UInt64 = 0, through last: UInt64 = .max,
                             _ body: (StoredEvent, [UInt8]) throws(StoreError) -> Void) throws(StoreError) {
        var failure: StoreError?
        do throws(LogError) {
            try reader.forEach(in: sequence..<(last == .max ? .max : last + 1)) { record throws(LogError) in
                guard failure == nil else { return }
                do throws(StoreError) {
                    try body(try Self.decode(record), record.payload)
                } catch {
                    failure = error
                }
            }
        } catch {
            throw .log(error)
        }
        if let failure { throw failure }
    }

    /// The event at `sequence`, with its recorded time and hash.
    public func event(at sequence: UInt64) throws(StoreError) -> StoredEvent {
        let record: LogRecord
        do throws(LogError) { record = try reader.record(at: sequence) } catch { throw .log(error) }
        return try Self.decode(record)
    }

    /// Every event that names hazard `id` (its lifecycle, escalations, penalties), in log order.
    public func history(ofHazard id: String) throws(StoreError) -> [StoredEvent] {
        try events(forKey: StreamKeys.hazard(id))
    }

    /// Every event whose record carries stream key `key`, found through the log's index.
    public func events(forKey key: String) throws(StoreError) -> [StoredEvent] {
        let records: [LogRecord]
        do throws(LogError) { records = try reader.records(forKey: key) } catch { throw .log(error) }
        var events: [StoredEvent] = []
        for record in records { events.append(try Self.decode(record)) }
        return events
    }

    static func decode(_ record: LogRecord) throws(StoreError) -> StoredEvent {
        try decode(sequence: record.sequence, recordedAt: record.recordedAt, payload: record.payload)
    }

    /// The event stored as `payload` at `sequence`, with its recorded time and hash.
    static func decode(sequence: UInt64, recordedAt: Int64, payload: [UInt8]) throws(StoreError) -> StoredEvent {
        do throws(EventDecodingError) {
            let event = try EventBinaryCodec.decode(payload)
            return StoredEvent(sequence: sequence, recordedAt: ShanghaiDateTime(microseconds: recordedAt),
                               event: event, hash: Ledger.digest(ofStoredBytes: payload))
        } catch {
            throw .undecodable(sequence: sequence, error)
        }
    }

    /// Writes the last segment's index now if a writer died with it open
    /// (`LogWriter.indexLastSegment()`): for a store that takes appends as soon as it is open,
    /// whose first look-ups would otherwise scan that segment whole.
    public func indexLastSegment() throws(StoreError) {
        do throws(LogError) { try writer?.indexLastSegment() } catch { throw .log(error) }
    }

    /// Makes every deferred append durable.
    public func sync() throws(StoreError) {
        do throws(LogError) { try writer?.sync() } catch { throw .log(error) }
    }
}

/// Why the event store refused or failed.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The log failed (I/O, corruption, lock).
    case log(LogError)
    /// The workflow refused these events; nothing was written.
    case refused([WorkflowViolation])
    /// A stored record is not an event.
    case undecodable(sequence: UInt64, EventDecodingError)
    /// The store was opened for reading only.
    case readOnly
    /// The key store failed (the new keys of sealed identities could not be stored); nothing
    /// was appended.
    case keyStore(KeyStoreError)

    public var description: String {
        switch self {
        case .log(let error): return error.description
        case .refused(let violations): return violations.map(\.description).joined(separator: "\n")
        case let .undecodable(sequence, error): return "record \(sequence) is not a valid event: \(error.reason)"
        case .readOnly: return "the event store is open for reading only"
        case .keyStore(let error): return error.description
        }
    }
}
