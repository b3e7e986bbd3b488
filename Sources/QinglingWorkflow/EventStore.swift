import QinglingEvents
import QinglingLog

/// Hazard events in a segment log: checked by the workflow rules, then appended all-or-nothing;
/// read back in order or by stream key.
public final class EventStore {
    public let reader: LogReader
    private let writer: LogWriter?
    public let rules: WorkflowRules
    /// What the rules check appends against; see `Ledger` (complete for a log this store
    /// created, otherwise a cache of what appends looked up).
    public internal(set) var ledger: Ledger
    private let clock: (any LogClock)?

    /// Opens the log in `directory` for appending (creating it when allowed). Nothing is read
    /// up front: each append looks up the hazards, tip-offs and event ids it names through the
    /// log's index (see `Ledger`).
    public init(appendingTo directory: String, reference: ReferenceData, options: LogOptions) throws(StoreError) {
        do throws(LogError) {
            let writer = try LogWriter(directory: directory, options: options)
            self.writer = writer
            reader = try LogReader(directory: directory, fileSystem: options.fileSystem)
            ledger = Ledger(isComplete: writer.nextSequence == 0)
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

    /// Calls `body` with every event from `sequence` on, in log order, with its stored bytes.
    public func forEachEvent(from sequence: UInt64 = 0, _ body: (StoredEvent, [UInt8]) throws(StoreError) -> Void) throws(StoreError) {
        var failure: StoreError?
        do throws(LogError) {
            try reader.forEach(from: sequence) { record throws(LogError) in
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
        do throws(EventDecodingError) {
            let event = try EventBinaryCodec.decode(record.payload)
            return StoredEvent(sequence: record.sequence, recordedAt: ShanghaiDateTime(microseconds: record.recordedAt),
                               event: event, hash: Ledger.digest(ofStoredBytes: record.payload))
        } catch {
            throw .undecodable(sequence: record.sequence, error)
        }
    }

    // MARK: - Appending

    /// One event to append, with the input line it came from.
    public struct Input: Sendable {
        public var line: Int?
        public var event: Event
        public init(line: Int? = nil, event: Event) {
            self.line = line
            self.event = event
        }
    }

    /// What an append did with each input, in input order.
    public struct AppendReport: Sendable, Equatable {
        public enum Outcome: Sendable, Equatable {
            /// Written now, at this sequence.
            case written(UInt64)
            /// A retry of an event already in the log (or earlier in the input): not written again.
            case duplicate(UInt64)
            /// Checked only (dry run): would be written.
            case valid
        }
        public var outcomes: [Outcome]
        /// The sequences written, empty on a dry run or when everything was a retry.
        public var written: Range<UInt64>
    }

    /// Checks every input against the rules (each in the state left by those before it), then
    /// writes the new ones as one append: all or nothing, at any size (an input too large for
    /// one log batch is written as several that readers see only together; see `batches`).
    /// Every refusal is reported, not just the first. Retries (same event id, same content) are answered with the original sequence.
    /// Each event is checked and stored in its canonical form (`WorkflowRules.canonical`).
    ///
    /// - Parameter hiding: hazards the caller may not see (another enterprise's, another town's).
    ///   An event naming one, other than a report, is checked as if it did not exist, so it is
    ///   refused with the very words a missing hazard gets: a refusal reveals no more than a read.
    public func append(_ inputs: [Input], durability: Durability = .synced, dryRun: Bool = false,
                       hiding hidden: Set<String> = []) throws(StoreError) -> AppendReport {
        guard let writer else { throw .readOnly }
        var pending = Ledger.Pending()
        var violations: [WorkflowViolation] = []
        var outcomes: [AppendReport.Outcome] = []
        var records: [Record] = []
        let now = clock.map { ShanghaiDateTime(microseconds: $0.now()) }
        let rules = WorkflowRules(reference: self.rules.reference, now: now)
        let expectedStart = writer.nextSequence
        for input in inputs {
            let event = rules.canonical(input.event)
            try lookUp(event)
            let bytes = EventBinaryCodec.encode(event)
            if let rule = Self.storageRefusal(of: event, storedAs: bytes) {
                violations.append(WorkflowViolation(line: input.line, eventId: event.eventId, type: event.type, rule: rule))
                outcomes.append(.valid)
                continue
            }
            let digest = Ledger.digest(ofStoredBytes: bytes)
            if let seen = pending.recordedId(event.eventId, in: ledger) {
                if seen.digest == digest {
                    outcomes.append(.duplicate(seen.sequence))
                } else {
                    violations.append(WorkflowViolation(line: input.line, eventId: event.eventId, type: event.type,
                                                        rule: .eventIdReused(event.eventId, sequence: seen.sequence)))
                    outcomes.append(.valid)
                }
                continue
            }
            let isReport = if case .hazardReported = event.body { true } else { false }
            let lookUpHazard = { [ledger] (id: String) in !isReport && hidden.contains(id) ? nil : pending.hazard(id, in: ledger) }
            if let rule = rules.refusal(of: event, hazard: lookUpHazard, tipOff: { pending.tipOff($0, in: ledger) ?? TipOffRecord() }) {
                violations.append(WorkflowViolation(line: input.line, eventId: event.eventId, type: event.type, rule: rule))
                outcomes.append(.valid)
                continue
            }
            let sequence = expectedStart + UInt64(records.count)
            pending.apply(event, sequence: sequence, digest: digest, over: ledger)
            records.append(Record(keys: StreamKeys.keys(of: event), payload: bytes))
            outcomes.append(dryRun ? .valid : .written(sequence))
        }
        guard violations.isEmpty else { throw .refused(violations) }
        guard !dryRun, !records.isEmpty else {
            return AppendReport(outcomes: outcomes, written: writer.nextSequence..<writer.nextSequence)
        }
        // The sequences were predicted from the writer's next sequence: this store is the log's
        // only writer (the directory lock), so they are the ones the log assigned.
        let batches = Self.batches(records).map { Array(records[$0]) }
        do throws(LogError) {
            // One append, all or nothing, however many log batches it takes.
            try writer.append(batches: batches, durability: durability)
        } catch {
            // What reached the log is unknown: forget everything and look it up again.
            ledger = Ledger(isComplete: false)
            throw .log(error)
        }
        ledger.merge(pending)
        return AppendReport(outcomes: outcomes, written: expectedStart..<expectedStart + UInt64(records.count))
    }

    /// Why `event` cannot be written, or `nil`: a value the stored form does not hold (an
    /// expected version outside `EventBinaryCodec.expectedVersions`, a date or moment outside the
    /// years 1 to 9999), which every reader would refuse. Checked before any rule, since rules
    /// compute with those values.
    static func storageRefusal(of event: Event, storedAs bytes: [UInt8]) -> WorkflowViolation.Rule? {
        if let expected = event.expectedVersion, !EventBinaryCodec.expectedVersions.contains(expected) {
            return .expectedVersionOutsideStorable(expected, storable: EventBinaryCodec.expectedVersions)
        }
        do throws(EventDecodingError) {
            _ = try bytes.withUnsafeBytes { bytes in Result { () throws(EventDecodingError) in try EventView(bytes) } }.get()
            return nil
        } catch {
            return .unstorable(error.reason)
        }
    }

    /// Splits records into runs that fit well inside one log batch (at most 10,000 records
    /// and 4 MiB of payload each).
    static func batches(_ records: [Record]) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var start = 0
        var bytes = 0
        for (index, record) in records.enumerated() {
            let size = record.payload.count + record.keys.reduce(16) { $0 + $1.utf8.count + 1 }
            if index > start && (index - start >= 10_000 || bytes + size > 4 << 20) {
                runs.append(start..<index)
                start = index
                bytes = 0
            }
            bytes += size
        }
        if start < records.count { runs.append(start..<records.count) }
        return runs
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

    public var description: String {
        switch self {
        case .log(let error): return error.description
        case .refused(let violations): return violations.map(\.description).joined(separator: "\n")
        case let .undecodable(sequence, error): return "record \(sequence) is not a valid event: \(error.reason)"
        case .readOnly: return "the event store is open for reading only"
        }
    }
}
