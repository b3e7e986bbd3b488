import QinglingEvents

/// One accountability finding derived from a hazard's chain, with who answers for it and the
/// log positions of the events it rests on.
public struct TraceFinding: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Supervised more than 7 days after the report (or still not, as of the date).
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
    }

    /// Who answers for a finding, and in which capacity.
    public struct Party: Sendable, Equatable {
        /// `leadDepartment`, `enterprisePrincipal`, `departmentOfficer`, `verifier`, `rectifier`, `closer`, `target`, `enforcer`.
        public var capacity: String
        public var organization: String?
        public var person: PersonRef?
    }

    public var kind: Kind
    public var from: CalendarDate
    /// `nil` while still running on the trace's date.
    public var to: CalendarDate?
    public var days: Int
    public var responsible: [Party]
    public var sequences: [UInt64]
    public var detail: String

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
                        responsible: [Party(capacity: "leadDepartment", organization: e.leadDepartment.name, person: event.actor.person)],
                        sequences: [report.sequence, stored.sequence], detail: "supervised \(report.on.days(to: day)) days after the report"))
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
                        sequences: [rectification.sequence, stored.sequence], detail: "verified \(rectification.on.days(to: day)) days after the rectification"))
                }
                if e.outcome == .failed {
                    findings.append(TraceFinding(kind: .failedVerification, from: day, to: day, days: 0,
                        responsible: [Party(event.actor, as: "verifier")] + (rectification.map { [Party($0.actor, as: "rectifier")] } ?? []),
                        sequences: [rectification?.sequence, stored.sequence].compactMap { $0 }, detail: e.findings))
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
                        sequences: [closure.passed?.sequence, closure.sequence, stored.sequence].compactMap { $0 }, detail: e.reason))
                }
                open = true
                passed = nil
                deadline = (e.newDeadline, stored.sequence)
            case .hazardWithdrawn:
                open = false
            case .escalationIssued(let e):
                findings.append(TraceFinding(kind: .escalation, from: day, to: day, days: 0,
                    responsible: [Party(capacity: "target", organization: e.target.name, person: nil)],
                    sequences: [stored.sequence], detail: "\(e.level.rawValue) (\(e.level.label))\(e.reason.map { ": " + $0 } ?? "")"))
            case .penaltyImposed(let e):
                findings.append(TraceFinding(kind: .penalty, from: day, to: day, days: 0, responsible: [Party(event.actor, as: "enforcer")],
                    sequences: [stored.sequence], detail: "\(e.kind.rawValue) (\(e.kind.label)) \(e.amountFen) fen on \(e.enterprise.name), case \(e.caseNumber)"))
            case .tipOffReceived, .rewardPaid:
                break
            }
            guard event.body.hazardId != nil else { continue }
            let segment = OverdueSegment(from: day, open: open, deadline: deadline, responsible: Self.answerable(for: supervision))
            if segments.last?.from == day { segments[segments.count - 1] = segment } else { segments.append(segment) }
        }
        findings += overdueSpans(segments, asOf: asOf)
        if let report, open, supervision == nil, report.on.days(to: asOf) > supervisionDays {
            findings.append(TraceFinding(kind: .lateSupervision, from: report.on, to: nil, days: report.on.days(to: asOf),
                responsible: [], sequences: [report.sequence], detail: "not supervised \(report.on.days(to: asOf)) days after the report"))
        }
        if open, let rectification, rectification.on.days(to: asOf) > verificationDays {
            findings.append(TraceFinding(kind: .lateVerification, from: rectification.on, to: nil, days: rectification.on.days(to: asOf),
                responsible: [Party(capacity: "leadDepartment", organization: supervision?.leadDepartment.name, person: nil)],
                sequences: [rectification.sequence], detail: "awaiting verification \(rectification.on.days(to: asOf)) days"))
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
                previous.detail = "open past its deadline \(deadline.date)"
                spans[spans.count - 1] = previous
            } else {
                spans.append(TraceFinding(kind: .overdue, from: start, to: end, days: start.days(to: end) + 1, responsible: segment.responsible,
                                          sequences: [deadline.sequence], detail: "open past its deadline \(deadline.date)"))
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
