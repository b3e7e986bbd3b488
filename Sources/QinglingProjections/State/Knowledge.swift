import QinglingEvents

/// The bitemporal viewpoint of a query: only actions that happened on or before `asOf`
/// (business time) and were recorded by `knownAt` (recording time) count. `nil` means no limit.
public struct Knowledge: Sendable, Equatable {
    public var asOf: CalendarDate?
    /// Microseconds since the Unix epoch.
    public var knownAt: Int64?

    public init(asOf: CalendarDate? = nil, knownAt: Int64? = nil) {
        self.asOf = asOf
        self.knownAt = knownAt
    }

    /// Everything the log holds.
    public static let everything = Knowledge()

    /// Whether `stored` happened by `asOf` and was recorded by `knownAt`.
    public func admits(_ stored: StoredEvent) -> Bool {
        if let knownAt, stored.recordedAt.microseconds > knownAt { return false }
        if let asOf, stored.event.occurredAt.date > asOf { return false }
        return true
    }

    /// The events of one hazard (in log order) that are in view, as `HazardTimeline.walk` takes
    /// its steps: lifecycle events as a prefix in log order (none from the first one out of
    /// view on), escalations and penalties one by one.
    public func inView(_ events: [StoredEvent]) -> [StoredEvent] {
        var cut = false  // a lifecycle event out of view was met: no later one is taken
        return events.filter { stored in
            switch stored.event.body {
            case .escalationIssued, .penaltyImposed, .tipOffReceived, .rewardPaid, .reporterKeyDestroyed:
                return admits(stored)
            default:
                if !cut, !admits(stored) { cut = true }
                return !cut
            }
        }
    }

    func admits(_ step: HazardTimeline.Step, until date: CalendarDate? = nil) -> Bool {
        if let knownAt, step.recordedAt > knownAt { return false }
        if let asOf, step.on > asOf { return false }
        if let date, step.on > date { return false }
        return true
    }
}
