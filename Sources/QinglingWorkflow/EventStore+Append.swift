import Crypto
import QinglingEvents
import QinglingKeyStore
import QinglingLog

extension EventStore {
    /// One event to append, with the input line it came from.
    public struct Input: Sendable {
        public var line: Int?
        public var event: Event
        /// The reporter's identity given with a `TipOffReceived` (`data.reporter`): sealed by
        /// `check` into `reporterSealed` (see `vault`), never stored as it is.
        public var reporter: ReporterIdentity?
        public init(line: Int? = nil, event: Event, reporter: ReporterIdentity? = nil) {
            self.line = line
            self.event = event
            self.reporter = reporter
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
        /// The records written, in order, as the log holds them (sequence, recorded time,
        /// stored bytes): what a reader would read back, for a caller that keeps projections
        /// in memory (the service) without reading the log again. Empty for a spooled append
        /// (`beginAppend(spooled:)`).
        public var records: [LogRecord] = []
    }

    /// An append in progress: its inputs are checked one at a time (`check`), each in the state
    /// left by those before it, as they are read; `finish` then writes the new ones as one
    /// append, all or nothing, or reports every refusal. An input need not be held whole: only
    /// the stored form of the events to write is kept, in memory or, spooled, in a file
    /// (`AppendSpool`), and nothing on a dry run.
    public struct Append {
        let dryRun: Bool
        let hidden: Set<String>
        /// The sequence the first new event gets: this store is the log's only writer (the
        /// directory lock), so the sequences predicted from it are the ones the log assigns.
        let expectedStart: UInt64
        var pending = Ledger.Pending()
        var violations: [WorkflowViolation] = []
        var outcomes: [AppendReport.Outcome] = []
        /// The records to write, unless they are spooled.
        var records: [Record] = []
        /// Where the records to write are gathered instead, in a spooled append.
        let spool: AppendSpool?
        /// How many records are to be written.
        var recordCount = 0
        /// The new keys of the identities sealed (`ReporterVault.seal`), stored by `finish`
        /// before the events are appended.
        var stagedKeys: [String: SymmetricKey] = [:]

        /// Every input refused so far (`finish` throws them).
        public var refusals: [WorkflowViolation] { violations }
    }

    /// Starts an append; see `append(_:durability:dryRun:hiding:)`. A `spooled` append keeps
    /// the events to write in a file, not in memory (`LogWriter.makeSpool`): an append of any
    /// size then holds one batch of them at a time.
    public func beginAppend(dryRun: Bool = false, spooled: Bool = false, hiding hidden: Set<String> = []) throws(StoreError) -> Append {
        guard let writer else { throw .readOnly }
        var spool: AppendSpool?
        if spooled, !dryRun {
            do throws(LogError) { spool = try writer.makeSpool() } catch { throw .log(error) }
        }
        return Append(dryRun: dryRun, hidden: hidden, expectedStart: writer.nextSequence, spool: spool)
    }

    /// Checks one input of `append` against the rules, in the state left by the inputs checked
    /// before it, with the log's clock as it reads now. Each event is checked and kept in its
    /// canonical form (`WorkflowRules.canonical`). A refusal is kept for `finish`; only a
    /// failure to look something up in the log, or to keep the event in a spool, is thrown
    /// (the event is then not counted: the append is to be given up).
    public func check(_ input: Input, in append: inout Append) throws(StoreError) {
        let rules = WorkflowRules(reference: self.rules.reference, now: clock.map { ShanghaiDateTime(microseconds: $0.now()) })
        var event = rules.canonical(input.event)
        if let reporter = input.reporter, case .tipOffReceived(var tipOff) = event.body {
            // Sealed before anything else sees the event: the identity goes no further.
            guard let vault else {
                append.violations.append(WorkflowViolation(line: input.line, eventId: event.eventId, type: event.type, rule: .reporterWithoutKeyStore))
                append.outcomes.append(.valid)
                return
            }
            guard !vault.wasDestroyed(eventId: event.eventId) else {
                append.violations.append(WorkflowViolation(line: input.line, eventId: event.eventId, type: event.type,
                                                           rule: .reporterKeyWasDestroyed(ReporterVault.keyId(forEvent: event.eventId))))
                append.outcomes.append(.valid)
                return
            }
            tipOff.reporterSealed = vault.seal(reporter, eventId: event.eventId, staged: &append.stagedKeys)
            event.body = .tipOffReceived(tipOff)
        }
        try lookUp(event)
        let bytes = EventBinaryCodec.encode(event)
        if let rule = Self.storageRefusal(of: event, storedAs: bytes) {
            append.violations.append(WorkflowViolation(line: input.line, eventId: event.eventId, type: event.type, rule: rule))
            append.outcomes.append(.valid)
            return
        }
        let digest = Ledger.digest(ofStoredBytes: bytes)
        if let seen = append.pending.recordedId(event.eventId, in: ledger) {
            if seen.digest == digest {
                append.outcomes.append(.duplicate(seen.sequence))
            } else {
                append.violations.append(WorkflowViolation(line: input.line, eventId: event.eventId, type: event.type,
                                                           rule: .eventIdReused(event.eventId, sequence: seen.sequence)))
                append.outcomes.append(.valid)
            }
            return
        }
        if let rule = refusal(of: event, by: rules, over: append.pending, hiding: append.hidden)
            ?? Self.attachmentRefusal(of: event, in: attachments) {
            append.violations.append(WorkflowViolation(line: input.line, eventId: event.eventId, type: event.type, rule: rule))
            append.outcomes.append(.valid)
            return
        }
        if !append.dryRun {
            // Kept first: an event the spool refuses is not counted as to be written.
            let record = Record(keys: StreamKeys.keys(of: event), payload: bytes)
            if let spool = append.spool {
                do throws(LogError) { try spool.add(record) } catch { throw .log(error) }
            } else {
                append.records.append(record)
            }
        }
        let sequence = append.expectedStart + UInt64(append.recordCount)
        append.pending.apply(event, sequence: sequence, digest: digest, over: ledger)
        append.recordCount += 1
        append.outcomes.append(append.dryRun ? .valid : .written(sequence))
    }

    /// The rule `event` breaks in the state `pending` leaves over the ledger, hazards in
    /// `hidden` looked up as if they did not exist (unless the event reports one). A function
    /// of its own so that nothing holds `pending` once it returns: the caller then changes it
    /// in place, never copying it.
    private func refusal(of event: Event, by rules: WorkflowRules, over pending: Ledger.Pending, hiding hidden: Set<String>) -> WorkflowRules.Rule? {
        let isReport = if case .hazardReported = event.body { true } else { false }
        let ledger = self.ledger
        return rules.refusal(of: event, hazard: { id in !isReport && hidden.contains(id) ? nil : pending.hazard(id, in: ledger) },
                             tipOff: { pending.tipOff($0, in: ledger) ?? TipOffRecord() })
    }

    /// Ends `append`: throws `.refused` with every refusal if any input was refused (nothing is
    /// written); otherwise writes the new events as one append, all or nothing, at any size (an
    /// append too large for one log batch is written as several that readers see only
    /// together; see `batches`), unless it is a dry run.
    public func finish(_ append: Append, durability: Durability = .synced) throws(StoreError) -> AppendReport {
        guard let writer else { throw .readOnly }
        guard append.violations.isEmpty else { throw .refused(append.violations) }
        guard !append.dryRun, append.recordCount > 0 else {
            return AppendReport(outcomes: append.outcomes, written: writer.nextSequence..<writer.nextSequence)
        }
        if !append.stagedKeys.isEmpty {
            // The keys are durable before the events sealed with them: a crash in between
            // leaves unused keys (harmless), never an identity that no key opens.
            guard let vault else { throw .readOnly }
            do throws(KeyStoreError) { try vault.store(append.stagedKeys) } catch { throw .keyStore(error) }
        }
        let placed: AppendResult
        do throws(LogError) {
            // One append, all or nothing, however many log batches it takes.
            if let spool = append.spool {
                guard spool.count == append.recordCount else {
                    throw .invalidBatch(reason: "the spool holds \(spool.count) events of the \(append.recordCount) checked to be written")
                }
                placed = try writer.append(spool: spool, durability: durability)
            } else {
                placed = try writer.append(batches: Self.batches(append.records).map { Array(append.records[$0]) }, durability: durability)
            }
        } catch {
            // What reached the log is unknown: forget everything and look it up again, all of it.
            ledger = Ledger(isComplete: false)
            throw .log(error)
        }
        ledger.merge(append.pending)
        let records = zip(append.records, zip(placed.sequences, placed.recordedAt)).map { record, place in
            LogRecord(sequence: place.0, recordedAt: place.1, keys: record.keys, payload: record.payload)
        }
        return AppendReport(outcomes: append.outcomes, written: placed.sequences, records: records)
    }

    /// Checks every input against the rules (each in the state left by those before it), then
    /// writes the new ones as one append: all or nothing (`beginAppend`, `check`, `finish`).
    /// Every refusal is reported, not just the first. Retries (same event id, same content) are
    /// answered with the original sequence. `spooled`: the events to write wait in a file
    /// (`beginAppend(spooled:)`).
    ///
    /// - Parameter hiding: hazards the caller may not see (another enterprise's, another town's).
    ///   An event naming one, other than a report, is checked as if it did not exist, so it is
    ///   refused with the very words a missing hazard gets: a refusal reveals no more than a read.
    public func append(_ inputs: [Input], durability: Durability = .synced, dryRun: Bool = false, spooled: Bool = false,
                       hiding hidden: Set<String> = []) throws(StoreError) -> AppendReport {
        var append = try beginAppend(dryRun: dryRun, spooled: spooled, hiding: hidden)
        try lookUp(inputs.lazy.map(\.event))
        for input in inputs { try check(input, in: &append) }
        return try finish(append, durability: durability)
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
            return .unstorable(error)
        }
    }

    /// Splits records into runs that fit well inside one log batch (as a spool cuts them: at
    /// most `AppendSpool.recordsPerBatch` records and `AppendSpool.bytesPerBatch` bytes each).
    static func batches(_ records: [Record]) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var start = 0
        var bytes = 0
        for (index, record) in records.enumerated() {
            let size = record.encodedSize
            if AppendSpool.startsBatch(after: index - start, bytes: bytes, adding: size) {
                runs.append(start..<index)
                start = index
                bytes = 0
            }
            bytes += size
        }
        if start < records.count { runs.append(start..<records.count) }
        return runs
    }
}
