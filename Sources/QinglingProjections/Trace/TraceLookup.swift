import QinglingEvents
import QinglingWorkflow

/// Finds the traces analysts ask for through the log's stream index (never a full scan): one
/// hazard, every hazard of an enterprise, or every hazard a person or organisation acted on or
/// answers for (found through the projection state's party index).
public struct TraceLookup {
    public let store: EventStore
    /// The date spans still running are measured to.
    public let asOf: CalendarDate

    public init(store: EventStore, asOf: CalendarDate) {
        self.store = store
        self.asOf = asOf
    }

    /// The trace of one hazard; `nil` when the log has no event naming it.
    public func hazard(_ id: String) throws(StoreError) -> HazardTrace? {
        let events = try store.history(ofHazard: id)
        guard !events.isEmpty else { return nil }
        return HazardTrace(hazardId: id, events: events, asOf: asOf)
    }

    /// The traces of every hazard reported for the enterprise with `creditCode`, and every
    /// penalty imposed on it, in log order.
    public func enterprise(_ creditCode: String) throws(StoreError) -> (hazards: [HazardTrace], penalties: [StoredEvent]) {
        let events = try store.events(forKey: StreamKeys.enterprise(creditCode))
        var traces: [HazardTrace] = []
        var penalties: [StoredEvent] = []
        for stored in events {
            switch stored.event.body {
            case .hazardReported(let e): if let trace = try hazard(e.hazardId) { traces.append(trace) }
            case .penaltyImposed: penalties.append(stored)
            default: break
            }
        }
        return (traces, penalties)
    }

    /// The traces of every hazard a person (`P:id`) or organisation (`O:id`) acted on or
    /// answers for, in report order.
    public func party(_ key: String, in state: ProjectionState) throws(StoreError) -> [HazardTrace] {
        var traces: [HazardTrace] = []
        for index in Set(state.hazards(ofParty: key)).sorted() {
            if let trace = try hazard(state.hazardId(Int(index))) { traces.append(trace) }
        }
        return traces
    }

    /// The traces of every hazard that was closed and then reopened.
    public func reopened(in state: ProjectionState) throws(StoreError) -> [HazardTrace] {
        var traces: [HazardTrace] = []
        for (index, timeline) in state.hazards.enumerated() where timeline.steps.contains(where: { $0.kind == .reopened }) {
            if let trace = try hazard(state.hazardId(index)) { traces.append(trace) }
        }
        return traces
    }
}
