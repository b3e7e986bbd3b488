import QinglingEvents

/// The accountability trace-back (责任倒查) of one hazard: the ordered chain of every action on
/// it, each link naming its event's log position, organisation, person and role; and the
/// findings derived from the chain.
public struct HazardTrace: Sendable {
    /// What an actor did in a link.
    public enum Role: String, Sendable {
        case reporter, supervisor, extender, rectifier, verifier, closer, reopener, withdrawer, escalator, enforcer

        public var label: String {
            switch self {
            case .reporter: "上报"
            case .supervisor: "交办督办"
            case .extender: "批准延期"
            case .rectifier: "整改"
            case .verifier: "审核"
            case .closer: "销号"
            case .reopener: "回头看"
            case .withdrawer: "撤销"
            case .escalator: "问责"
            case .enforcer: "执法"
            }
        }
    }

    public struct Link: Sendable, Equatable {
        public var sequence: UInt64
        public var occurredAt: ShanghaiDateTime
        public var recordedAt: ShanghaiDateTime
        public var type: EventType
        public var organization: OrganizationRef
        public var person: PersonRef
        public var role: Role
        /// What the event said, briefly (deadline, outcome, level, amount…).
        public var detail: String
        /// For a passed verification or a closure: a later reopening undid it.
        public var laterReopened: Bool
    }

    public var hazardId: String
    public var report: HazardReported?
    public var links: [Link]
    public var findings: [TraceFinding]

    /// The trace of `hazardId` from its events in log order (as the log's index returns them).
    /// Spans still running are measured up to `asOf`.
    public init(hazardId: String, events: [StoredEvent], asOf: CalendarDate) {
        self.hazardId = hazardId
        var report: HazardReported?
        var links: [Link] = []
        for stored in events {
            let event = stored.event
            if case .hazardReported(let e) = event.body { report = e }
            links.append(Link(sequence: stored.sequence, occurredAt: event.occurredAt, recordedAt: stored.recordedAt, type: event.type,
                              organization: event.actor.organization, person: event.actor.person, role: Self.role(of: event.body),
                              detail: Self.detail(of: event.body), laterReopened: false))
        }
        if let lastReopening = events.lastIndex(where: { if case .hazardReopened = $0.event.body { true } else { false } }) {
            for index in links.indices where index < lastReopening && (links[index].type == .hazardClosed || Self.isPassedVerification(events[index].event.body)) {
                links[index].laterReopened = true
            }
        }
        self.report = report
        self.links = links
        findings = TraceFinding.derive(from: events, asOf: asOf)
    }

    static func isPassedVerification(_ body: EventBody) -> Bool {
        if case .hazardVerified(let e) = body { return e.outcome == .passed }
        return false
    }

    static func role(of body: EventBody) -> Role {
        switch body {
        case .hazardReported: .reporter
        case .hazardSupervised: .supervisor
        case .deadlineExtended: .extender
        case .hazardRectified: .rectifier
        case .hazardVerified: .verifier
        case .hazardClosed: .closer
        case .hazardReopened: .reopener
        case .hazardWithdrawn: .withdrawer
        case .escalationIssued: .escalator
        case .penaltyImposed, .tipOffReceived, .rewardPaid: .enforcer
        }
    }

    /// What an event said, in one short line.
    public static func detail(of body: EventBody) -> String {
        switch body {
        case .hazardReported(let e): "discovered \(e.discoveredOn), \(e.region), \(e.industry)"
        case .hazardSupervised(let e): "lead \(e.leadDepartment.name), deadline \(e.deadline), \(e.supervisionLevel.rawValue)"
        case .deadlineExtended(let e): "new deadline \(e.newDeadline)"
        case .hazardRectified(let e): "completed \(e.completedOn), \(e.fundsFen) fen"
        case .hazardVerified(let e): e.outcome.rawValue
        case .hazardClosed: "closed"
        case .hazardReopened(let e): "new deadline \(e.newDeadline)"
        case .hazardWithdrawn: "withdrawn"
        case .escalationIssued(let e): "\(e.level.rawValue) to \(e.target.name)"
        case .penaltyImposed(let e): "\(e.kind.rawValue) \(e.amountFen) fen, case \(e.caseNumber), \(e.enterprise.name)"
        case .tipOffReceived(let e): "tip-off \(e.tipOffId)"
        case .rewardPaid(let e): "reward \(e.amountFen) fen for \(e.tipOffId)"
        }
    }
}
