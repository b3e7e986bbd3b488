import QinglingEvents
import QinglingWorkflow

/// Where a hazard stands after some of its steps: the state machine of `domain.md` folded
/// over a timeline's steps in log order.
public struct HazardProgress: Sendable, Equatable {
    public private(set) var status: HazardStatus = .reported
    /// The deadline in force, once supervised.
    public private(set) var deadline: CalendarDate?
    public private(set) var supervisedOn: CalendarDate?
    /// When the latest rectification was recorded (the start of awaiting verification).
    public private(set) var rectifiedOn: CalendarDate?
    /// The latest passed verification and the deadline in force when it was made.
    public private(set) var passedVerification: (on: CalendarDate, deadline: CalendarDate?)?
    /// The highest escalation issued after the deadline in force had passed (this overdue
    /// spell), as an `EscalationLevel` rank; 0 when none.
    public private(set) var escalationThisSpell: UInt8 = 0
    /// The highest escalation ever issued for the hazard, as a rank; 0 when none.
    public private(set) var highestEscalation: UInt8 = 0

    public init() {}

    /// Open: not closed and not withdrawn.
    public var isOpen: Bool { status != .closed && status != .withdrawn }

    /// Open and past its deadline in force at the end of `date`.
    public func isOverdue(at date: CalendarDate) -> Bool {
        guard isOpen, let deadline else { return false }
        return deadline < date
    }

    public static func == (a: HazardProgress, b: HazardProgress) -> Bool {
        a.status == b.status && a.deadline == b.deadline && a.supervisedOn == b.supervisedOn && a.rectifiedOn == b.rectifiedOn
            && a.passedVerification?.on == b.passedVerification?.on && a.passedVerification?.deadline == b.passedVerification?.deadline
            && a.escalationThisSpell == b.escalationThisSpell && a.highestEscalation == b.highestEscalation
    }

    /// Applies one step (already checked by the workflow when it was appended).
    public mutating func apply(_ step: HazardTimeline.Step) {
        switch step.kind {
        case .reported:
            status = .reported
        case .supervised:
            status = .rectifying
            supervisedOn = step.on
            setDeadline(step.deadline)
        case .extended:
            setDeadline(step.deadline)
        case .rectified:
            status = .awaitingVerification
            rectifiedOn = step.on
        case .verifiedPassed:
            status = .verified
            passedVerification = (step.on, deadline)
        case .verifiedFailed:
            status = .rectifying
        case .closed:
            status = .closed
        case .reopened:
            status = .rectifying
            passedVerification = nil
            setDeadline(step.deadline)
        case .withdrawn:
            status = .withdrawn
        case .escalated:
            highestEscalation = max(highestEscalation, step.level)
            if let deadline, step.on > deadline { escalationThisSpell = max(escalationThisSpell, step.level) }
        }
    }

    private mutating func setDeadline(_ new: CalendarDate?) {
        if new != deadline { escalationThisSpell = 0 }
        deadline = new
    }
}

extension HazardTimeline {
    /// Walks the steps `knowledge` admits up to the end of `date` (no limit when `nil`), calling
    /// `body` with each step and the progress before and after it; returns the final progress.
    ///
    /// Lifecycle steps are taken as a prefix in log order: the walk stops at the first one that
    /// happened after the date (or was recorded after `knownAt`), so the progress is always a
    /// state the workflow allowed. Escalations are taken one by one.
    @discardableResult
    public func walk(_ knowledge: Knowledge, until date: CalendarDate? = nil,
                     _ body: (Step, _ before: HazardProgress, _ after: HazardProgress) -> Void = { _, _, _ in }) -> HazardProgress {
        var progress = HazardProgress()
        // By index: iterating would copy the steps kept inside the entry.
        for index in steps.indices {
            let step = steps[index]
            let admitted = knowledge.admits(step, until: date)
            if step.kind == .escalated {
                guard admitted else { continue }
            } else if !admitted {
                break
            }
            let before = progress
            progress.apply(step)
            body(step, before, progress)
        }
        return progress
    }

    /// Whether the hazard counts under `knowledge`: its report is known and it was not
    /// withdrawn (withdrawn hazards leave every statistic).
    public func counts(_ knowledge: Knowledge) -> Bool {
        knowledge.admits(report) && walk(knowledge).status != .withdrawn
    }

    /// The hazard's progress at the end of `date`.
    public func progress(at date: CalendarDate, _ knowledge: Knowledge) -> HazardProgress {
        walk(knowledge, until: date)
    }
}
