import QinglingEvents
import QinglingWorkflow

/// The county's hazards as its log leaves them, folded with the project's one lifecycle
/// (`HazardRecord.apply`, `LifecycleStep.transition`): what `qingling.hazards` holds.
struct CountyHazards {
    private(set) var records: [String: HazardRecord] = [:]
    /// The sequence of the latest event that changed each hazard.
    private(set) var lastSequence: [String: UInt64] = [:]
    /// The sequence after the last event folded.
    private(set) var foldedThrough: UInt64 = 0

    /// Folds one event; returns the hazard it changed, if any.
    @discardableResult
    mutating func apply(_ stored: StoredEvent) -> String? {
        foldedThrough = stored.sequence + 1
        let event = stored.event
        if case .hazardReported(let report) = event.body {
            records[report.hazardId] = HazardRecord(report: report, reporter: event.actor, reportedOn: event.occurredAt.date)
            lastSequence[report.hazardId] = stored.sequence
            return report.hazardId
        }
        guard event.body.lifecycleStep != nil, let id = event.body.hazardId, records[id] != nil else { return nil }
        records[id]?.apply(event)
        lastSequence[id] = stored.sequence
        return id
    }

    /// The hazard's report (its region and industry), if the log reported it.
    func report(_ id: String) -> HazardReported? { records[id]?.report }
}
