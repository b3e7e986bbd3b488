import QinglingEvents
import QinglingLog

extension EventStore {
    /// The state of hazard `id` as the rules see it, or `nil` if it was never reported.
    public func hazard(_ id: String) throws(StoreError) -> HazardRecord? {
        try lookUpHazard(id)
        return ledger.hazards[id]
    }

    /// Brings into the ledger what checking `event` needs: its event id, the hazards and the
    /// tip-off it names (with the dates the order rules compare: each hazard's report and latest
    /// step, the tip-off's receipt), and the hazards reported with that tip-off (whose standing
    /// confirms it for a reward), each found through the log's index unless the ledger knows it
    /// already. So every rule sees the same state as in a store that saw every event
    /// (`Ledger.isComplete`).
    func lookUp(_ event: Event) throws(StoreError) {
        guard !ledger.isComplete else { return }
        if ledger.eventIds[event.eventId] == nil, let first = try events(withKey: StreamKeys.event(event.eventId)).first {
            ledger.remember(eventId: event.eventId, Ledger.RecordedId(sequence: first.sequence, digest: Ledger.digest(ofStoredBytes: first.bytes)))
        }
        for id in event.body.hazardIds { try lookUpHazard(id) }
        if let tip = event.body.tipOffId {
            try lookUpTipOff(tip)
            for id in ledger.tipOffs[tip]?.hazardIds ?? [] { try lookUpHazard(id) }
        }
    }

    /// Folds tip-off `id` from the events that name it, unless the ledger knows it.
    private func lookUpTipOff(_ id: String) throws(StoreError) {
        guard ledger.tipOffs[id] == nil else { return }
        var record = TipOffRecord()
        var found = false
        for stored in try events(withKey: StreamKeys.tipOff(id)) where stored.event.body.tipOffId == id {
            record.apply(stored.event)
            found = true
        }
        if found { ledger.remember(tipOff: id, record) }
    }

    /// Folds hazard `id` from its events (as an append folds new ones in), unless the ledger knows it.
    private func lookUpHazard(_ id: String) throws(StoreError) {
        guard !ledger.isComplete, ledger.hazards[id] == nil else { return }
        var record: HazardRecord?
        for stored in try events(withKey: StreamKeys.hazard(id)) {
            if case .hazardReported(let report) = stored.event.body, report.hazardId == id {
                record = HazardRecord(report: report, reporter: stored.event.actor, reportedOn: stored.event.occurredAt.date)
            } else if stored.event.body.hazardId == id {
                record?.apply(stored.event)
            }
        }
        if let record { ledger.remember(hazard: record) }
    }

    /// What the log says of tip-off `id` (its receipt, with the sealed identity, and whether
    /// its key was destroyed), or `nil` when it was never received.
    public func tipOff(_ id: String) throws(StoreError) -> TipOffRecord? {
        var record = TipOffRecord()
        for stored in try events(withKey: StreamKeys.tipOff(id)) where stored.event.body.tipOffId == id {
            record.apply(stored.event)
        }
        return record.received == nil ? nil : record
    }

    /// The events whose records carry `key`, in log order, with their stored bytes.
    private func events(withKey key: String) throws(StoreError) -> [(sequence: UInt64, event: Event, bytes: [UInt8])] {
        let records: [LogRecord]
        do throws(LogError) { records = try reader.records(forKey: key) } catch { throw .log(error) }
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
