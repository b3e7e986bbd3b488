import QinglingEvents
import QinglingLog

extension EventStore {
    /// The state of hazard `id` as the rules see it, or `nil` if it was never reported. (A
    /// hazard not found is not noted missing: reads of ids that never existed leave no trace.)
    public func hazard(_ id: String) throws(StoreError) -> HazardRecord? {
        if isUnknown(hazard: id), let record = try hazardRecord(id, from: lookedUp(withKey: StreamKeys.hazard(id))) {
            ledger.remember(hazard: record)
        }
        return ledger.hazards[id]
    }

    /// Brings into the ledger what checking `event` needs: its event id, the hazards and the
    /// tip-off it names (with the dates the order rules compare: each hazard's report and latest
    /// step, the tip-off's receipt), and the hazards reported with that tip-off (whose standing
    /// confirms it for a reward), each found through the log's index unless the ledger knows it
    /// already (or knows it missing from the log). So every rule sees the same state as in a
    /// store that saw every event (`Ledger.isComplete`).
    func lookUp(_ event: Event) throws(StoreError) {
        guard !ledger.isComplete else { return }
        if isUnknown(eventId: event.eventId) { try remember(eventId: event.eventId, from: lookedUp(withKey: StreamKeys.event(event.eventId))) }
        for id in event.body.hazardIds { try lookUpHazard(id) }
        if let tip = event.body.tipOffId {
            if isUnknown(tipOff: tip) { try remember(tipOff: tip, from: lookedUp(withKey: StreamKeys.tipOff(tip))) }
            for id in ledger.tipOffs[tip]?.hazardIds ?? [] { try lookUpHazard(id) }
        }
    }

    /// Brings into the ledger what checking each of `events` needs, as `lookUp(_:)` does one at
    /// a time, but reading the log's batches once for all of them (`LogReader.records(forKeys:)`):
    /// an append of thousands of events into a long log, looking up one event at a time, decodes
    /// again and again the batches that hold its hazards' histories. The hazards reported with
    /// the tip-offs named are looked up in a second pass, once the tip-offs are known. What the
    /// ledger knew missing before is forgotten first: ids noted missing are those of the window
    /// being checked, so that they never outgrow it.
    public func lookUp(_ events: some Sequence<Event>) throws(StoreError) {
        guard !ledger.isComplete else { return }
        ledger.forgetAbsent()
        var eventIds = Set<String>(), hazards = Set<String>(), tipOffs = Set<String>(), namedTipOffs = Set<String>()
        for event in events {
            if isUnknown(eventId: event.eventId) { eventIds.insert(event.eventId) }
            for id in event.body.hazardIds where isUnknown(hazard: id) { hazards.insert(id) }
            if let tip = event.body.tipOffId {
                namedTipOffs.insert(tip)
                if isUnknown(tipOff: tip) { tipOffs.insert(tip) }
            }
        }
        try lookUpTogether(eventIds: eventIds, hazards: hazards, tipOffs: tipOffs)
        let reported = namedTipOffs.flatMap { ledger.tipOffs[$0]?.hazardIds ?? [] }.filter { isUnknown(hazard: $0) }
        try lookUpTogether(eventIds: [], hazards: Set(reported), tipOffs: [])
    }

    /// Looks up the event ids, hazards and tip-offs given in one pass over the log's batches.
    private func lookUpTogether(eventIds: Set<String>, hazards: Set<String>, tipOffs: Set<String>) throws(StoreError) {
        let keys = eventIds.map(StreamKeys.event) + hazards.map(StreamKeys.hazard) + tipOffs.map(StreamKeys.tipOff)
        guard !keys.isEmpty else { return }
        let found: [String: [LogRecord]]
        do throws(LogError) { found = try reader.records(forKeys: Set(keys), before: lookUpsEndAt) } catch { throw .log(error) }
        for id in eventIds { try remember(eventId: id, from: found[StreamKeys.event(id)] ?? []) }
        for id in hazards { try remember(hazard: id, from: found[StreamKeys.hazard(id)] ?? []) }
        for id in tipOffs { try remember(tipOff: id, from: found[StreamKeys.tipOff(id)] ?? []) }
    }

    /// Folds hazard `id` from its events (as an append folds new ones in), unless the ledger knows it.
    private func lookUpHazard(_ id: String) throws(StoreError) {
        guard isUnknown(hazard: id) else { return }
        try remember(hazard: id, from: lookedUp(withKey: StreamKeys.hazard(id)))
    }

    // Whether the ledger neither holds the id nor knows it absent from the log.
    private func isUnknown(eventId id: String) -> Bool { !ledger.isComplete && ledger.eventIds[id] == nil && !ledger.absentEventIds.contains(id) }
    private func isUnknown(hazard id: String) -> Bool { !ledger.isComplete && ledger.hazards[id] == nil && !ledger.absentHazards.contains(id) }
    private func isUnknown(tipOff id: String) -> Bool { !ledger.isComplete && ledger.tipOffs[id] == nil && !ledger.absentTipOffs.contains(id) }

    /// Remembers where event id `id` was first recorded, from the records carrying its key.
    private func remember(eventId id: String, from records: [LogRecord]) throws(StoreError) {
        guard let first = try decoded(records).first else { return rememberAbsence { $0.rememberAbsent(eventId: id) } }
        ledger.remember(eventId: id, Ledger.RecordedId(sequence: first.sequence, digest: Ledger.digest(ofStoredBytes: first.bytes)))
    }

    /// Remembers hazard `id` folded from the records carrying its key, or notes it missing.
    private func remember(hazard id: String, from records: [LogRecord]) throws(StoreError) {
        guard let record = try hazardRecord(id, from: records) else { return rememberAbsence { $0.rememberAbsent(hazard: id) } }
        ledger.remember(hazard: record)
    }

    /// Hazard `id` folded from the records carrying its key (its report, then its later steps),
    /// or `nil` when none reports it.
    private func hazardRecord(_ id: String, from records: [LogRecord]) throws(StoreError) -> HazardRecord? {
        var record: HazardRecord?
        for stored in try decoded(records) {
            if case .hazardReported(let report) = stored.event.body, report.hazardId == id {
                record = HazardRecord(report: report, reporter: stored.event.actor, reportedOn: stored.event.occurredAt.date)
            } else if stored.event.body.hazardId == id {
                record?.apply(stored.event)
            }
        }
        return record
    }

    /// Folds tip-off `id` from the records carrying its key.
    private func remember(tipOff id: String, from records: [LogRecord]) throws(StoreError) {
        var record = TipOffRecord()
        var found = false
        for stored in try decoded(records) where stored.event.body.tipOffId == id {
            record.apply(stored.event)
            found = true
        }
        guard found else { return rememberAbsence { $0.rememberAbsent(tipOff: id) } }
        ledger.remember(tipOff: id, record)
    }

    /// Notes in the ledger an id the log does not hold, when this store is the log's writer
    /// (a reader's log may gain it from another process at any moment).
    private func rememberAbsence(_ note: (inout Ledger) -> Void) {
        if writer != nil { note(&ledger) }
    }

    /// What the log says of tip-off `id` (its receipt, with the sealed identity, and whether
    /// its key was destroyed), or `nil` when it was never received.
    public func tipOff(_ id: String) throws(StoreError) -> TipOffRecord? {
        var record = TipOffRecord()
        for stored in try decoded(records(withKey: StreamKeys.tipOff(id))) where stored.event.body.tipOffId == id {
            record.apply(stored.event)
        }
        return record.received == nil ? nil : record
    }

    /// The records that carry `key`, in log order.
    private func records(withKey key: String) throws(StoreError) -> [LogRecord] {
        do throws(LogError) { return try reader.records(forKey: key) } catch { throw .log(error) }
    }

    /// The records that carry `key`, in log order, of those a look-up for the ledger reads
    /// (`lookUpsEndAt`).
    private func lookedUp(withKey key: String) throws(StoreError) -> [LogRecord] {
        do throws(LogError) { return try reader.records(forKeys: [key], before: lookUpsEndAt)[key] ?? [] } catch { throw .log(error) }
    }

    /// The events `records` hold, in their order, with their stored bytes.
    private func decoded(_ records: [LogRecord]) throws(StoreError) -> [(sequence: UInt64, event: Event, bytes: [UInt8])] {
        var events: [(UInt64, Event, [UInt8])] = []
        for record in records {
            do throws(EventDecodingError) {
                events.append((record.sequence, try EventBinaryCodec.decode(record.payload), record.payload))
            } catch {
                throw .undecodable(sequence: record.sequence, error)
            }
        }
        return events
    }
}
