import QinglingEvents

/// One accountability finding derived from a hazard's chain, with who answers for it and the
/// log positions of the events it rests on.
public struct TraceFinding: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Supervised more than 7 days after the report (or still not, as of the date): the lead
        /// department answers, and whoever supervised (a department's officer, or the committee's
        /// when it supervised for the department).
        case lateSupervision
        /// A span of days open past the deadline in force.
        case overdue
        /// Verified more than 10 days after the rectification (or still not).
        case lateVerification
        case failedVerification
        /// Closed, then reopened: the earlier closure's verifier and closer answer for it.
        case reopenedAfterClosure
        case escalation
        case penalty

        public var label: String {
            switch self {
            case .lateSupervision: "交办超期"
            case .overdue: "整改逾期"
            case .lateVerification: "审核超期"
            case .failedVerification: "审核未通过"
            case .reopenedAfterClosure: "销号后复发"
            case .escalation: "问责"
            case .penalty: "处罚"
            }
        }

        /// The kind's name in `lang`: `label` in Chinese.
        public func text(_ lang: Language) -> String {
            guard lang == .en else { return label }
            return switch self {
            case .lateSupervision: "late supervision"
            case .overdue: "overdue"
            case .lateVerification: "late verification"
            case .failedVerification: "failed verification"
            case .reopenedAfterClosure: "reopened after closure"
            case .escalation: "escalation"
            case .penalty: "penalty"
            }
        }
    }

    /// What a finding says beyond its kind, dates and parties; `text(_:)` words it.
    public enum Detail: Sendable, Equatable {
        /// Supervised this many days after the report.
        case supervisedAfter(days: Int)
        /// Still not supervised this many days after the report.
        case notSupervised(days: Int)
        /// Verified this many days after the rectification.
        case verifiedAfter(days: Int)
        /// Still awaiting verification this many days after the rectification.
        case awaitingVerification(days: Int)
        /// Open past this deadline in force.
        case overdue(deadline: CalendarDate)
        /// The findings of a failed verification (free text of the event).
        case verificationFailed(findings: String)
        /// The reason given for the reopening (free text of the event).
        case reopened(reason: String)
        case escalation(EscalationLevel, reason: String?)
        case penalty(PenaltyKind, amountFen: Int64, enterprise: String, caseNumber: String)

        /// The detail in `lang`; the free text of events as it was recorded, money in yuan.
        public func text(_ lang: Language) -> String {
            switch self {
            case .supervisedAfter(let days): lang.pick(zh: "上报后\(days)天才交办", en: "supervised \(days) days after the report")
            case .notSupervised(let days): lang.pick(zh: "上报\(days)天仍未交办", en: "not supervised \(days) days after the report")
            case .verifiedAfter(let days): lang.pick(zh: "整改完成后\(days)天才审核", en: "verified \(days) days after the rectification")
            case .awaitingVerification(let days): lang.pick(zh: "待审核已\(days)天", en: "awaiting verification \(days) days")
            case .overdue(let deadline): lang.pick(zh: "超过整改期限 \(deadline) 仍未销号", en: "open past its deadline \(deadline)")
            case .verificationFailed(let findings): findings
            case .reopened(let reason): reason
            case let .escalation(level, reason): level.text(lang) + (reason.map { lang.pick(zh: "：", en: ": ") + $0 } ?? "")
            case let .penalty(kind, amountFen, enterprise, caseNumber):
                lang.pick(zh: "\(kind.text(lang)) \(Money.yuan(amountFen)) 元，对象 \(enterprise)，案号 \(caseNumber)",
                          en: "\(kind.text(lang)) \(Money.yuan(amountFen)) yuan on \(enterprise), case \(caseNumber)")
            }
        }
    }

    /// Who answers for a finding, and in which capacity.
    public struct Party: Sendable, Equatable {
        /// `leadDepartment`, `supervisor`, `enterprisePrincipal`, `departmentOfficer`, `verifier`, `rectifier`, `closer`,
        /// `target`, `enforcer`.
        public var capacity: String
        public var organization: String?
        public var person: PersonRef?

        /// The capacity's name in `lang`.
        public func capacityText(_ lang: Language) -> String {
            lang == .zh ? Self.capacityLabels[capacity] ?? capacity : Self.capacityEnglish[capacity] ?? capacity
        }

        static let capacityLabels = [
            "leadDepartment": "牵头部门", "supervisor": "交办人", "enterprisePrincipal": "企业主要负责人", "departmentOfficer": "部门责任人",
            "verifier": "审核人", "rectifier": "整改人", "closer": "销号人", "target": "问责对象", "enforcer": "执法人",
        ]
        static let capacityEnglish = [
            "leadDepartment": "lead department", "supervisor": "supervisor", "enterprisePrincipal": "enterprise principal", "departmentOfficer": "department officer",
            "verifier": "verifier", "rectifier": "rectifier", "closer": "closer", "target": "target", "enforcer": "enforcer",
        ]
    }

    public var kind: Kind
    public var from: CalendarDate
    /// `nil` while still running on the trace's date.
    public var to: CalendarDate?
    public var days: Int
    public var responsible: [Party]
    public var sequences: [UInt64]
    public var detail: Detail

    static let supervisionDays = 7, verificationDays = 10

    /// Every finding of a hazard's events (in log order), spans still running measured to `asOf`.
    static func derive(from events: [StoredEvent], asOf: CalendarDate) -> [TraceFinding] {
        var findings: [TraceFinding] = []
        var report: (on: CalendarDate, sequence: UInt64)?
        var supervision: HazardSupervised?
        var deadline: (date: CalendarDate, sequence: UInt64)?
        var open = true
        var rectification: (on: CalendarDate, sequence: UInt64, actor: Actor)?
        var passed: (sequence: UInt64, actor: Actor)?
        var closure: (sequence: UInt64, actor: Actor, passed: (sequence: UInt64, actor: Actor)?)?
        // The hazard's state from the end of each day with a lifecycle event on.
        var segments: [OverdueSegment] = []

        for stored in events {
            let event = stored.event
            let day = event.occurredAt.date
            switch event.body {
            case .hazardReported:
                report = (day, stored.sequence)
            case .hazardSupervised(let e):
                if let report, report.on.days(to: day) > supervisionDays {
                    findings.append(TraceFinding(kind: .lateSupervision, from: report.on, to: day, days: report.on.days(to: day),
                        responsible: [Party(capacity: "leadDepartment", organization: e.leadDepartment.name, person: nil),
                                      Party(event.actor, as: "supervisor")],
                        sequences: [report.sequence, stored.sequence], detail: .supervisedAfter(days: report.on.days(to: day))))
                }
                supervision = e
                deadline = (e.deadline, stored.sequence)
            case .deadlineExtended(let e):
                deadline = (e.newDeadline, stored.sequence)
            case .hazardRectified:
                rectification = (day, stored.sequence, event.actor)
            case .hazardVerified(let e):
                if let rectification, rectification.on.days(to: day) > verificationDays {
                    findings.append(TraceFinding(kind: .lateVerification, from: rectification.on, to: day, days: rectification.on.days(to: day),
                        responsible: [Party(event.actor, as: "verifier")],
                        sequences: [rectification.sequence, stored.sequence], detail: .verifiedAfter(days: rectification.on.days(to: day))))
                }
                if e.outcome == .failed {
                    findings.append(TraceFinding(kind: .failedVerification, from: day, to: day, days: 0,
                        responsible: [Party(event.actor, as: "verifier")] + (rectification.map { [Party($0.actor, as: "rectifier")] } ?? []),
                        sequences: [rectification?.sequence, stored.sequence].compactMap { $0 }, detail: .verificationFailed(findings: e.findings)))
                } else {
                    passed = (stored.sequence, event.actor)
                }
                rectification = nil
            case .hazardClosed:
                open = false
                closure = (stored.sequence, event.actor, passed)
            case .hazardReopened(let e):
                if let closure {
                    findings.append(TraceFinding(kind: .reopenedAfterClosure, from: day, to: day, days: 0,
                        responsible: (closure.passed.map { [Party($0.actor, as: "verifier")] } ?? []) + [Party(closure.actor, as: "closer")],
                        sequences: [closure.passed?.sequence, closure.sequence, stored.sequence].compactMap { $0 }, detail: .reopened(reason: e.reason)))
                }
                open = true
                passed = nil
                deadline = (e.newDeadline, stored.sequence)
            case .hazardWithdrawn:
                open = false
            case .escalationIssued(let e):
                findings.append(TraceFinding(kind: .escalation, from: day, to: day, days: 0,
                    responsible: [Party(capacity: "target", organization: e.target.name, person: nil)],
                    sequences: [stored.sequence], detail: .escalation(e.level, reason: e.reason)))
            case .penaltyImposed(let e):
                findings.append(TraceFinding(kind: .penalty, from: day, to: day, days: 0, responsible: [Party(event.actor, as: "enforcer")],
                    sequences: [stored.sequence], detail: .penalty(e.kind, amountFen: e.amountFen, enterprise: e.enterprise.name, caseNumber: e.caseNumber)))
            case .tipOffReceived, .rewardPaid, .reporterKeyDestroyed:
                break
            }
            guard event.body.hazardId != nil else { continue }
            let segment = OverdueSegment(from: day, open: open, deadline: deadline, responsible: Self.answerable(for: supervision))
            if segments.last?.from == day { segments[segments.count - 1] = segment } else { segments.append(segment) }
        }
        findings += overdueSpans(segments, asOf: asOf)
        if let report, open, supervision == nil, report.on.days(to: asOf) > supervisionDays {
            findings.append(TraceFinding(kind: .lateSupervision, from: report.on, to: nil, days: report.on.days(to: asOf),
                responsible: [], sequences: [report.sequence], detail: .notSupervised(days: report.on.days(to: asOf))))
        }
        if open, let rectification, rectification.on.days(to: asOf) > verificationDays {
            findings.append(TraceFinding(kind: .lateVerification, from: rectification.on, to: nil, days: rectification.on.days(to: asOf),
                responsible: [Party(capacity: "leadDepartment", organization: supervision?.leadDepartment.name, person: nil)],
                sequences: [rectification.sequence], detail: .awaitingVerification(days: rectification.on.days(to: asOf))))
        }
        return findings.sorted { ($0.from, $0.sequences.first ?? 0) < ($1.from, $1.sequences.first ?? 0) }
    }

    /// The hazard's state from the end of `from` until the next segment.
    private struct OverdueSegment {
        var from: CalendarDate
        var open: Bool
        var deadline: (date: CalendarDate, sequence: UInt64)?
        var responsible: [Party]
    }

    /// The enterprise principal and the department officer named by the supervision.
    private static func answerable(for supervision: HazardSupervised?) -> [Party] {
        guard let supervision else { return [] }
        var parties = supervision.responsible.enterprisePrincipal.map { [Party(capacity: "enterprisePrincipal", organization: nil, person: $0)] } ?? []
        parties.append(Party(capacity: "departmentOfficer", organization: supervision.leadDepartment.name, person: supervision.responsible.departmentOfficer))
        return parties
    }

    /// The maximal spans of days at whose end the hazard was open past its deadline in force;
    /// a span reaching `asOf` with the hazard still open is still running (`to` is `nil`).
    private static func overdueSpans(_ segments: [OverdueSegment], asOf: CalendarDate) -> [TraceFinding] {
        var spans: [TraceFinding] = []
        for (index, segment) in segments.enumerated() where segment.from <= asOf {
            let isLast = index == segments.count - 1 || segments[index + 1].from > asOf
            let end = isLast ? asOf : segments[index + 1].from.adding(days: -1)
            guard segment.open, let deadline = segment.deadline else { continue }
            let start = max(segment.from, deadline.date.adding(days: 1))
            guard start <= end else { continue }
            if var previous = spans.last, let previousEnd = previous.to, previousEnd.adding(days: 1) == start {
                previous.to = end
                previous.days = previous.from.days(to: end) + 1
                if !previous.sequences.contains(deadline.sequence) { previous.sequences.append(deadline.sequence) }
                previous.detail = .overdue(deadline: deadline.date)
                spans[spans.count - 1] = previous
            } else {
                spans.append(TraceFinding(kind: .overdue, from: start, to: end, days: start.days(to: end) + 1, responsible: segment.responsible,
                                          sequences: [deadline.sequence], detail: .overdue(deadline: deadline.date)))
            }
            if isLast { spans[spans.count - 1].to = nil }
        }
        return spans
    }
}

extension TraceFinding.Party {
    init(_ actor: Actor, as capacity: String) {
        self.init(capacity: capacity, organization: actor.organization.name, person: actor.person)
    }
}
