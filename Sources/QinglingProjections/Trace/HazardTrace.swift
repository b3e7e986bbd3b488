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

        /// The role's name in `lang`: `label` in Chinese, the code in English.
        public func text(_ lang: Language) -> String { lang.pick(zh: label, en: rawValue) }
    }

    public struct Link: Sendable, Equatable {
        public var sequence: UInt64
        public var occurredAt: ShanghaiDateTime
        public var recordedAt: ShanghaiDateTime
        public var type: EventType
        public var organization: OrganizationRef
        public var person: PersonRef
        public var role: Role
        /// What the event said; `detail(_:)` words it briefly (deadline, outcome, level, amount…).
        public var body: EventBody
        /// For a passed verification or a closure: a later reopening undid it.
        public var laterReopened: Bool

        /// What the event said, in one short line in `lang`.
        public func detail(_ lang: Language) -> String { HazardTrace.detail(of: body, lang) }
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
                              body: event.body, laterReopened: false))
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
        case .penaltyImposed, .tipOffReceived, .rewardPaid, .reporterKeyDestroyed: .enforcer
        }
    }

    /// What an event said, in one short line in `lang`; names and ids as recorded, money in yuan
    /// with two decimals (`Money.yuan`), as tables show it.
    public static func detail(of body: EventBody, _ lang: Language) -> String {
        switch body {
        case .hazardReported(let e):
            lang.pick(zh: "发现于 \(e.discoveredOn)，\(e.region)，\(e.industry)",
                      en: "discovered \(e.discoveredOn), \(e.region), \(IndustryNames.text(e.industry, lang))")
        case .hazardSupervised(let e):
            lang.pick(zh: "牵头 \(e.leadDepartment.name)，整改期限 \(e.deadline)，\(e.supervisionLevel.text(lang))",
                      en: "lead \(e.leadDepartment.name), deadline \(e.deadline), \(e.supervisionLevel.text(lang))")
        case .deadlineExtended(let e): lang.pick(zh: "新期限 \(e.newDeadline)", en: "new deadline \(e.newDeadline)")
        case .hazardRectified(let e):
            lang.pick(zh: "完成于 \(e.completedOn)，资金 \(Money.yuan(e.fundsFen)) 元", en: "completed \(e.completedOn), \(Money.yuan(e.fundsFen)) yuan")
        case .hazardVerified(let e): e.outcome.text(lang)
        case .hazardClosed: lang.pick(zh: "销号", en: "closed")
        case .hazardReopened(let e): lang.pick(zh: "新期限 \(e.newDeadline)", en: "new deadline \(e.newDeadline)")
        case .hazardWithdrawn: lang.pick(zh: "撤销", en: "withdrawn")
        case .escalationIssued(let e): lang.pick(zh: "\(e.level.text(lang))：\(e.target.name)", en: "\(e.level.text(lang)) to \(e.target.name)")
        case .penaltyImposed(let e):
            lang.pick(zh: "\(e.kind.text(lang)) \(Money.yuan(e.amountFen)) 元，案号 \(e.caseNumber)，\(e.enterprise.name)",
                      en: "\(e.kind.text(lang)) \(Money.yuan(e.amountFen)) yuan, case \(e.caseNumber), \(e.enterprise.name)")
        case .tipOffReceived(let e): lang.pick(zh: "举报 \(e.tipOffId)", en: "tip-off \(e.tipOffId)")
        case .rewardPaid(let e):
            lang.pick(zh: "举报 \(e.tipOffId) 奖励 \(Money.yuan(e.amountFen)) 元", en: "reward \(Money.yuan(e.amountFen)) yuan for \(e.tipOffId)")
        case .reporterKeyDestroyed(let e):
            lang.pick(zh: "举报 \(e.tipOffId) 举报人身份已销毁", en: "reporter identity of \(e.tipOffId) destroyed")
        }
    }
}
