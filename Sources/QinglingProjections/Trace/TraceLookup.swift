import QinglingEvents
import QinglingWorkflow

/// Finds the traces analysts ask for through the log's stream index (never a full scan): one
/// hazard, every hazard of an enterprise, or every hazard a person or organisation acted on or
/// answers for (found through the projection state's party index).
///
/// Only events in view count: those that happened by `asOf` and were recorded by `knownAt`,
/// lifecycle events as a prefix in log order (as `HazardTimeline.walk` takes them: none after
/// the first one out of view), escalations and penalties one by one. A hazard is in view once
/// its report is.
public struct TraceLookup {
    public let store: EventStore
    /// The business date of the trace: later events are left out; spans still running are
    /// measured to it.
    public let asOf: CalendarDate
    /// Events recorded after this time (µs since the Unix epoch) are left out; no limit when `nil`.
    public let knownAt: Int64?
    private let knowledge: Knowledge

    /// The parts of a state `party(_:in:)` and `reopened(in:)` read beyond the hazards' timelines.
    public static let needs: ProjectionParts = [.hazardIds, .partyLinks]

    public init(store: EventStore, asOf: CalendarDate, knownAt: Int64? = nil) {
        self.init(store: store, asOf: asOf, knownAt: knownAt, knowledge: Knowledge(asOf: asOf, knownAt: knownAt))
    }

    private init(store: EventStore, asOf: CalendarDate, knownAt: Int64?, knowledge: Knowledge) {
        self.store = store
        self.asOf = asOf
        self.knownAt = knownAt
        self.knowledge = knowledge
    }

    /// The same look-up over every event of the log, in view or not: it tells an id that
    /// events name only out of view (later than `asOf`, or recorded after `knownAt`) from one
    /// that no event names.
    public var outOfViewToo: TraceLookup {
        TraceLookup(store: store, asOf: asOf, knownAt: nil, knowledge: .everything)
    }

    /// The trace of one hazard; `nil` when no event in view reports it.
    public func hazard(_ id: String) throws(StoreError) -> HazardTrace? {
        trace(id, of: knowledge.inView(try store.history(ofHazard: id)))
    }

    /// The trace of hazard `id` from its events in view; `nil` when they do not report it.
    private func trace(_ id: String, of events: [StoredEvent]) -> HazardTrace? {
        guard events.contains(where: { if case .hazardReported = $0.event.body { true } else { false } }) else { return nil }
        return HazardTrace(hazardId: id, events: events, asOf: asOf)
    }

    /// The traces of every hazard reported for the enterprise with `creditCode`, and every
    /// penalty imposed on it, in log order.
    public func enterprise(_ creditCode: String) throws(StoreError) -> (hazards: [HazardTrace], penalties: [StoredEvent]) {
        let events = try store.events(forKey: StreamKeys.enterprise(creditCode))
        var traces: [HazardTrace] = []
        var penalties: [StoredEvent] = []
        for stored in events where knowledge.admits(stored) {
            switch stored.event.body {
            case .hazardReported(let e): if let trace = try hazard(e.hazardId) { traces.append(trace) }
            case .penaltyImposed: penalties.append(stored)
            default: break
            }
        }
        return (traces, penalties)
    }

    /// The traces of every hazard a person (`P:id`) or organisation (`O:id`) acted on or
    /// answers for in an event in view, in report order.
    public func party(_ key: String, in state: ProjectionState) throws(StoreError) -> [HazardTrace] {
        state.require(Self.needs)
        var traces: [HazardTrace] = []
        for index in Set(state.hazards(ofParty: key)).sorted() {
            let id = state.hazardId(Int(index))
            let events = knowledge.inView(try store.history(ofHazard: id))
            guard events.contains(where: { Self.names($0.event, party: key) }), let trace = trace(id, of: events) else { continue }
            traces.append(trace)
        }
        return traces
    }

    /// Whether `event` names the party `key` (`P:id` or `O:id`) as the projections' party index
    /// links it: as its actor, or in a supervision (lead department, responsible persons) or
    /// an escalation (target).
    static func names(_ event: Event, party key: String) -> Bool {
        let id = String(key.dropFirst(2))
        if key.hasPrefix("P:") {
            if event.actor.person.id == id { return true }
            guard case .hazardSupervised(let e) = event.body else { return false }
            let persons = [e.responsible.enterprisePrincipal, e.responsible.actualController, e.responsible.departmentOfficer, e.responsible.townOfficer]
            return persons.contains { $0?.id == id }
        }
        if event.actor.organization.id == id { return true }
        switch event.body {
        case .hazardSupervised(let e): return e.leadDepartment.id == id
        case .escalationIssued(let e): return e.target.id == id
        default: return false
        }
    }

    /// The traces of every hazard that was closed and then reopened, in view.
    public func reopened(in state: ProjectionState) throws(StoreError) -> [HazardTrace] {
        state.require(Self.needs)
        var traces: [HazardTrace] = []
        for (index, timeline) in state.hazards.enumerated() where timeline.steps.contains(where: { $0.kind == .reopened }) {
            guard let trace = try hazard(state.hazardId(index)), trace.findings.contains(where: { $0.kind == .reopenedAfterClosure }) else { continue }
            traces.append(trace)
        }
        return traces
    }
}
