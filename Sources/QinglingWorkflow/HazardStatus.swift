import QinglingEvents

/// Where a hazard stands in its lifecycle (一单四制). Which step leads from which status to
/// which is the table `LifecycleStep.transition`.
public enum HazardStatus: String, Sendable, CaseIterable {
    case reported
    case rectifying
    case awaitingVerification = "awaiting-verification"
    case verified
    case closed
    case withdrawn

    public var label: String {
        switch self {
        case .reported: "已上报"
        case .rectifying: "整改中"
        case .awaitingVerification: "待验收"
        case .verified: "已验收"
        case .closed: "已销号"
        case .withdrawn: "已撤销"
        }
    }
}

/// One hazard's state, folded from its lifecycle events in log order.
public struct HazardRecord: Sendable, Equatable {
    public let report: HazardReported
    /// Who reported it.
    public let reporter: Actor
    /// The date it was reported (its report's `occurredAt` date): no event that names it may be earlier.
    public let reportedOn: CalendarDate
    public private(set) var status: HazardStatus = .reported
    /// The number of lifecycle events applied (the report is 1): what `expectedVersion` names.
    public private(set) var version = 1
    public private(set) var supervision: HazardSupervised?
    /// The deadline in force.
    public private(set) var deadline: CalendarDate?
    /// The person who recorded the latest rectification.
    public private(set) var lastRectifier: PersonRef?
    /// The type of the latest lifecycle event (the report at first).
    public private(set) var lastStepType: EventType = .hazardReported
    /// The date the latest lifecycle event happened (its `occurredAt` date): no later one may be earlier.
    public private(set) var lastStepOn: CalendarDate
    /// The step that began the current rectification (a supervision, a failed verification, a
    /// reopening) and its date: what a rectification answers. An extension does not begin one.
    public private(set) var rectificationBegan: Step?

    /// A lifecycle step: its type and the date it happened.
    public struct Step: Sendable, Equatable {
        public var type: EventType
        public var on: CalendarDate
    }

    /// A hazard as its report leaves it: reported by `reporter` on `reportedOn`.
    public init(report: HazardReported, reporter: Actor, reportedOn: CalendarDate) {
        self.report = report
        self.reporter = reporter
        self.reportedOn = reportedOn
        lastStepOn = reportedOn
    }

    public var hazardId: String { report.hazardId }
    /// The lead department's id, once supervised.
    public var leadDepartmentId: String? { supervision?.leadDepartment.id }

    /// Applies a lifecycle event already checked by `WorkflowRules`, as the table of the
    /// lifecycle says (`LifecycleStep.transition`). A report is not applied: it makes the record.
    public mutating func apply(_ event: Event) {
        guard case let (step, carriedDeadline)? = event.body.lifecycleStep, step != .reported else { return }
        let transition = step.transition
        let on = event.occurredAt.date
        status = transition.status(after: status)
        if transition.setsDeadline { deadline = carriedDeadline }
        if transition.beginsRectification { rectificationBegan = Step(type: event.type, on: on) }
        if case .hazardSupervised(let e) = event.body { supervision = e }
        if step == .rectified { lastRectifier = event.actor.person }
        version += 1
        lastStepType = event.type
        lastStepOn = on
    }
}

/// What the log says of one tip-off.
public struct TipOffRecord: Sendable, Equatable {
    public var received: TipOffReceived?
    /// The date it was received (its `occurredAt` date): no event that names it may be earlier.
    public var receivedOn: CalendarDate?
    /// Hazards reported with this tip-off id.
    public var hazardIds: [String] = []
    /// Whether a penalty names this tip-off.
    public var namedByPenalty = false
    public var rewardsFen: [Int64] = []
    /// Whether the key of its reporter's sealed identity was destroyed (`ReporterKeyDestroyed`).
    public var reporterKeyDestroyed = false

    public init() {}

    /// Folds one event that names the tip-off.
    public mutating func apply(_ event: Event) {
        switch event.body {
        case .tipOffReceived(let e):
            received = e
            receivedOn = event.occurredAt.date
        case .hazardReported(let e): hazardIds.append(e.hazardId)
        case .penaltyImposed: namedByPenalty = true
        case .rewardPaid(let e): rewardsFen.append(e.amountFen)
        case .reporterKeyDestroyed: reporterKeyDestroyed = true
        default: break
        }
    }
}
