import QinglingEvents

/// The rules on an event's own values, whatever the log holds: how early its dates may be, the
/// year in a hazard id, where an expected version may stand.
extension WorkflowRules {
    /// The first day an event's dates and times may fall on: the campaign's records begin long
    /// after it, and an earlier date is a typing error (`1924` for `2024`).
    public static let earliestDate = CalendarDate(daysSinceEpoch: 10_957)

    /// The first of `event`'s own values a rule refuses, or `nil`.
    func shapeRefusal(of event: Event) -> WorkflowViolation.Rule? {
        if let expected = event.expectedVersion, event.body.hazardId == nil { return .expectedVersionWithoutHazard(expected) }
        if let (field, date) = Self.dates(of: event).first(where: { $0.date < Self.earliestDate }) { return .beforeEarliestDate(field: field, date) }
        if case .hazardReported(let e) = event.body, Self.year(ofHazardId: e.hazardId) != e.discoveredOn.components.year {
            return .hazardIdYear(hazardId: e.hazardId, discoveredOn: e.discoveredOn)
        }
        return nil
    }

    /// Every date of `event` with its field's path (the time it happened by its date).
    static func dates(of event: Event) -> [(field: String, date: CalendarDate)] {
        var dates = [("occurredAt", event.occurredAt.date)]
        switch event.body {
        case .hazardReported(let e): dates.append(("data.discoveredOn", e.discoveredOn))
        case .hazardSupervised(let e): dates.append(("data.deadline", e.deadline))
        case .deadlineExtended(let e): dates.append(("data.newDeadline", e.newDeadline))
        case .hazardRectified(let e): dates.append(("data.completedOn", e.completedOn))
        case .hazardReopened(let e): dates.append(("data.newDeadline", e.newDeadline))
        case .hazardVerified, .hazardClosed, .hazardWithdrawn, .escalationIssued, .penaltyImposed, .tipOffReceived, .rewardPaid, .reporterKeyDestroyed: break
        }
        return dates
    }

    /// The year a hazard id names (`2024` in `LX-2024-0031`), if it has one.
    static func year(ofHazardId id: String) -> Int? {
        let parts = id.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[1].count == 4 else { return nil }
        return Int(parts[1])
    }
}
