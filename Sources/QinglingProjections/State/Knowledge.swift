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

    func admits(_ step: HazardTimeline.Step, until date: CalendarDate? = nil) -> Bool {
        if let knownAt, step.recordedAt > knownAt { return false }
        if let asOf, step.on > asOf { return false }
        if let date, step.on > date { return false }
        return true
    }
}
