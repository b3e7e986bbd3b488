/// One action of the campaign, as recorded: who did what, when.
///
/// `eventId` is chosen by the client and makes appends idempotent; `occurredAt` is business
/// time given by the actor. The sequence number and recorded time are the log's (see
/// `StoredEvent`).
public struct Event: Hashable, Sendable {
    public var eventId: String
    public var occurredAt: ShanghaiDateTime
    public var actor: Actor
    /// Optimistic concurrency: the number of events the hazard named by the event must already
    /// have; `nil` to skip the check.
    public var expectedVersion: Int?
    public var body: EventBody

    public init(eventId: String, occurredAt: ShanghaiDateTime, actor: Actor, expectedVersion: Int? = nil, body: EventBody) {
        self.eventId = eventId
        self.occurredAt = occurredAt
        self.actor = actor
        self.expectedVersion = expectedVersion
        self.body = body
    }

    /// The event type's name, as in the interchange form.
    public var type: EventType { body.type }
}

/// An event as stored in the log.
public struct StoredEvent: Hashable, Sendable {
    public var sequence: UInt64
    /// When the log recorded it, microseconds since the Unix epoch.
    public var recordedAt: ShanghaiDateTime
    public var event: Event
    /// SHA-256 of the event's stored bytes.
    public var hash: [UInt8]

    public init(sequence: UInt64, recordedAt: ShanghaiDateTime, event: Event, hash: [UInt8]) {
        self.sequence = sequence
        self.recordedAt = recordedAt
        self.event = event
        self.hash = hash
    }
}

/// The twelve event types of `domain.md`, and `ReporterKeyDestroyed` (crypto-shredding of a
/// tip-off reporter's identity, `docs/security.md`).
public enum EventType: String, CaseIterable, Sendable {
    case hazardReported = "HazardReported"
    case hazardSupervised = "HazardSupervised"
    case deadlineExtended = "DeadlineExtended"
    case hazardRectified = "HazardRectified"
    case hazardVerified = "HazardVerified"
    case hazardClosed = "HazardClosed"
    case hazardReopened = "HazardReopened"
    case hazardWithdrawn = "HazardWithdrawn"
    case escalationIssued = "EscalationIssued"
    case penaltyImposed = "PenaltyImposed"
    case tipOffReceived = "TipOffReceived"
    case rewardPaid = "RewardPaid"
    case reporterKeyDestroyed = "ReporterKeyDestroyed"

    /// The tag of the type in the binary form (stable; never reused).
    public var tag: UInt8 {
        switch self {
        case .hazardReported: 1
        case .hazardSupervised: 2
        case .deadlineExtended: 3
        case .hazardRectified: 4
        case .hazardVerified: 5
        case .hazardClosed: 6
        case .hazardReopened: 7
        case .hazardWithdrawn: 8
        case .escalationIssued: 9
        case .penaltyImposed: 10
        case .tipOffReceived: 11
        case .rewardPaid: 12
        case .reporterKeyDestroyed: 13
        }
    }

    /// The type with a binary tag, if any.
    public init?(tag: UInt8) {
        guard let type = EventType.allCases.first(where: { $0.tag == tag }) else { return nil }
        self = type
    }

    /// Chinese name, for tables.
    public var label: String {
        switch self {
        case .hazardReported: "排查上报"
        case .hazardSupervised: "交办督办"
        case .deadlineExtended: "延期"
        case .hazardRectified: "整改完成"
        case .hazardVerified: "审核把关"
        case .hazardClosed: "销号"
        case .hazardReopened: "回头看复发"
        case .hazardWithdrawn: "撤销"
        case .escalationIssued: "函告通报约谈曝光"
        case .penaltyImposed: "执法处罚"
        case .tipOffReceived: "举报受理"
        case .rewardPaid: "举报奖励"
        case .reporterKeyDestroyed: "举报人身份销毁"
        }
    }
}

/// What an event says, by type.
public enum EventBody: Hashable, Sendable {
    case hazardReported(HazardReported)
    case hazardSupervised(HazardSupervised)
    case deadlineExtended(DeadlineExtended)
    case hazardRectified(HazardRectified)
    case hazardVerified(HazardVerified)
    case hazardClosed(HazardClosed)
    case hazardReopened(HazardReopened)
    case hazardWithdrawn(HazardWithdrawn)
    case escalationIssued(EscalationIssued)
    case penaltyImposed(PenaltyImposed)
    case tipOffReceived(TipOffReceived)
    case rewardPaid(RewardPaid)
    case reporterKeyDestroyed(ReporterKeyDestroyed)

    public var type: EventType {
        switch self {
        case .hazardReported: .hazardReported
        case .hazardSupervised: .hazardSupervised
        case .deadlineExtended: .deadlineExtended
        case .hazardRectified: .hazardRectified
        case .hazardVerified: .hazardVerified
        case .hazardClosed: .hazardClosed
        case .hazardReopened: .hazardReopened
        case .hazardWithdrawn: .hazardWithdrawn
        case .escalationIssued: .escalationIssued
        case .penaltyImposed: .penaltyImposed
        case .tipOffReceived: .tipOffReceived
        case .rewardPaid: .rewardPaid
        case .reporterKeyDestroyed: .reporterKeyDestroyed
        }
    }

    /// The one hazard the event acts on, for the lifecycle events.
    public var hazardId: String? {
        switch self {
        case .hazardReported(let e): e.hazardId
        case .hazardSupervised(let e): e.hazardId
        case .deadlineExtended(let e): e.hazardId
        case .hazardRectified(let e): e.hazardId
        case .hazardVerified(let e): e.hazardId
        case .hazardClosed(let e): e.hazardId
        case .hazardReopened(let e): e.hazardId
        case .hazardWithdrawn(let e): e.hazardId
        case .escalationIssued, .penaltyImposed, .tipOffReceived, .rewardPaid, .reporterKeyDestroyed: nil
        }
    }

    /// Every hazard the event names (escalations and penalties may name several).
    public var hazardIds: [String] {
        switch self {
        case .escalationIssued(let e): e.hazardIds
        case .penaltyImposed(let e): e.hazardIds
        default: hazardId.map { [$0] } ?? []
        }
    }

    /// The event naming only the hazards `kept` keeps of the several an escalation or a
    /// penalty names; any other event as it is (its one hazard is what it is about).
    public func namingOnly(hazards kept: (String) -> Bool) -> EventBody {
        switch self {
        case .escalationIssued(var e):
            e.hazardIds = e.hazardIds.filter(kept)
            return .escalationIssued(e)
        case .penaltyImposed(var e):
            e.hazardIds = e.hazardIds.filter(kept)
            return .penaltyImposed(e)
        default:
            return self
        }
    }

    /// The tip-off the event names, if any.
    public var tipOffId: String? {
        switch self {
        case .hazardReported(let e): e.tipOffId
        case .penaltyImposed(let e): e.tipOffId
        case .tipOffReceived(let e): e.tipOffId
        case .rewardPaid(let e): e.tipOffId
        case .reporterKeyDestroyed(let e): e.tipOffId
        default: nil
        }
    }

    /// The files of evidence the event carries (reports, rectifications, verifications and
    /// penalties carry them; other types none).
    public var attachments: [Attachment] {
        switch self {
        case .hazardReported(let e): e.attachments
        case .hazardRectified(let e): e.attachments
        case .hazardVerified(let e): e.attachments
        case .penaltyImposed(let e): e.attachments
        default: []
        }
    }

    /// The enterprise the event names directly, if any.
    public var creditCode: String? {
        switch self {
        case .hazardReported(let e): e.enterprise?.creditCode
        case .penaltyImposed(let e): e.enterprise.creditCode
        default: nil
        }
    }
}

public struct HazardReported: Hashable, Sendable {
    public var hazardId: String
    /// The operator; `nil` for a hazard with no operator.
    public var enterprise: EnterpriseRef?
    public var region: String
    public var industry: String
    /// The clause of the major-hazard criteria (重大事故隐患判定标准) it meets.
    public var criterionClause: String
    public var description: String
    public var source: HazardSource
    public var discoveredOn: CalendarDate
    public var tipOffId: String?
    /// Photos of the hazard (codec version 2).
    public var attachments: [Attachment]

    public init(hazardId: String, enterprise: EnterpriseRef?, region: String, industry: String, criterionClause: String,
                description: String, source: HazardSource, discoveredOn: CalendarDate, tipOffId: String? = nil,
                attachments: [Attachment] = []) {
        self.hazardId = hazardId
        self.enterprise = enterprise
        self.region = region
        self.industry = industry
        self.criterionClause = criterionClause
        self.description = description
        self.source = source
        self.discoveredOn = discoveredOn
        self.tipOffId = tipOffId
        self.attachments = attachments
    }
}

public struct HazardSupervised: Hashable, Sendable {
    public var hazardId: String
    public var leadDepartment: DepartmentRef
    public var supervisionLevel: SupervisionLevel
    public var deadline: CalendarDate
    public var responsible: ResponsiblePersons

    public init(hazardId: String, leadDepartment: DepartmentRef, supervisionLevel: SupervisionLevel, deadline: CalendarDate, responsible: ResponsiblePersons) {
        self.hazardId = hazardId
        self.leadDepartment = leadDepartment
        self.supervisionLevel = supervisionLevel
        self.deadline = deadline
        self.responsible = responsible
    }
}

public struct DeadlineExtended: Hashable, Sendable {
    public var hazardId: String
    public var newDeadline: CalendarDate
    public var reason: String

    public init(hazardId: String, newDeadline: CalendarDate, reason: String) {
        self.hazardId = hazardId
        self.newDeadline = newDeadline
        self.reason = reason
    }
}

public struct HazardRectified: Hashable, Sendable {
    public var hazardId: String
    public var completedOn: CalendarDate
    public var measures: String
    /// Funds spent, in fen (分).
    public var fundsFen: Int64
    /// Photos after rectification, the rectification report (codec version 2).
    public var attachments: [Attachment]

    public init(hazardId: String, completedOn: CalendarDate, measures: String, fundsFen: Int64, attachments: [Attachment] = []) {
        self.hazardId = hazardId
        self.completedOn = completedOn
        self.measures = measures
        self.fundsFen = fundsFen
        self.attachments = attachments
    }
}

public struct HazardVerified: Hashable, Sendable {
    public var hazardId: String
    public var outcome: VerificationOutcome
    public var findings: String
    /// The acceptance record (codec version 2).
    public var attachments: [Attachment]

    public init(hazardId: String, outcome: VerificationOutcome, findings: String, attachments: [Attachment] = []) {
        self.hazardId = hazardId
        self.outcome = outcome
        self.findings = findings
        self.attachments = attachments
    }
}

public struct HazardClosed: Hashable, Sendable {
    public var hazardId: String
    public var note: String

    public init(hazardId: String, note: String) {
        self.hazardId = hazardId
        self.note = note
    }
}

public struct HazardReopened: Hashable, Sendable {
    public var hazardId: String
    public var reason: String
    public var newDeadline: CalendarDate

    public init(hazardId: String, reason: String, newDeadline: CalendarDate) {
        self.hazardId = hazardId
        self.reason = reason
        self.newDeadline = newDeadline
    }
}

public struct HazardWithdrawn: Hashable, Sendable {
    public var hazardId: String
    public var reason: String

    public init(hazardId: String, reason: String) {
        self.hazardId = hazardId
        self.reason = reason
    }
}

public struct EscalationIssued: Hashable, Sendable {
    public var level: EscalationLevel
    /// An enterprise, a town or a department.
    public var target: OrganizationRef
    public var hazardIds: [String]
    public var reason: String?

    public init(level: EscalationLevel, target: OrganizationRef, hazardIds: [String], reason: String? = nil) {
        self.level = level
        self.target = target
        self.hazardIds = hazardIds
        self.reason = reason
    }
}

public struct PenaltyImposed: Hashable, Sendable {
    public var enterprise: EnterpriseRef
    public var kind: PenaltyKind
    public var amountFen: Int64
    public var legalBasis: String
    public var caseNumber: String
    public var hazardIds: [String]
    /// The tip-off this penalty confirms, if any.
    public var tipOffId: String?
    /// The decision document (codec version 2).
    public var attachments: [Attachment]

    public init(enterprise: EnterpriseRef, kind: PenaltyKind, amountFen: Int64, legalBasis: String, caseNumber: String,
                hazardIds: [String] = [], tipOffId: String? = nil, attachments: [Attachment] = []) {
        self.enterprise = enterprise
        self.kind = kind
        self.amountFen = amountFen
        self.legalBasis = legalBasis
        self.caseNumber = caseNumber
        self.hazardIds = hazardIds
        self.tipOffId = tipOffId
        self.attachments = attachments
    }
}

public struct TipOffReceived: Hashable, Sendable {
    public var tipOffId: String
    public var channel: TipOffChannel
    public var summary: String
    /// A pseudonym: never a real name in the log.
    public var reporterPseudonym: String
    /// The reporter's real identity, encrypted under a key of its own (codec version 2); `nil`
    /// when none was given. Only the program that appends seals it (`data.reporter` on input).
    public var reporterSealed: SealedReporter?

    public init(tipOffId: String, channel: TipOffChannel, summary: String, reporterPseudonym: String, reporterSealed: SealedReporter? = nil) {
        self.tipOffId = tipOffId
        self.channel = channel
        self.summary = summary
        self.reporterPseudonym = reporterPseudonym
        self.reporterSealed = reporterSealed
    }
}

public struct RewardPaid: Hashable, Sendable {
    public var tipOffId: String
    public var amountFen: Int64

    public init(tipOffId: String, amountFen: Int64) {
        self.tipOffId = tipOffId
        self.amountFen = amountFen
    }
}

/// The key that sealed a tip-off reporter's identity has been destroyed: the identity can no
/// longer be recovered by anyone. The key is destroyed before this event is appended.
public struct ReporterKeyDestroyed: Hashable, Sendable {
    public var tipOffId: String
    /// The key destroyed (the tip-off's `reporterSealed.keyId`).
    public var keyId: String
    /// Why (the reward paid and the retention period over, the reporter's request…).
    public var reason: String

    public init(tipOffId: String, keyId: String, reason: String) {
        self.tipOffId = tipOffId
        self.keyId = keyId
        self.reason = reason
    }
}
