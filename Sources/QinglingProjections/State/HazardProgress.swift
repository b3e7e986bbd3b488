import QinglingEvents
import QinglingWorkflow

/// Where a hazard stands after some of its steps: the table of the lifecycle
/// (`LifecycleStep.transition`, shared with the workflow) folded over a timeline's steps in log
/// order.
public struct HazardProgress: Sendable, Equatable {
    public private(set) var status: HazardStatus = .reported
    /// The deadline in force, once supervised.
    public private(set) var deadline: CalendarDate?
    /// The business date of the step that set the deadline in force (supervision, extension or
    /// reopening): the day its overdue spell's escalations are counted from.
    public private(set) var deadlineSetOn: CalendarDate?
    public private(set) var supervisedOn: CalendarDate?
    /// When the latest rectification was recorded (the start of awaiting verification).
    public private(set) var rectifiedOn: CalendarDate?
    /// The latest passed verification and the deadline in force when it was made.
    public private(set) var passedVerification: (on: CalendarDate, deadline: CalendarDate?)?
    /// The highest escalation of this overdue spell, as an `EscalationLevel` rank; 0 when none:
    /// one whose business date is after the deadline in force and on or after the day that
    /// deadline was set. Worked out by `HazardTimeline.walk`, which sees every escalation in
    /// view, whatever its place in the log (`apply` leaves it).
    public internal(set) var escalationThisSpell: UInt8 = 0
    /// The highest escalation ever issued for the hazard, as a rank; 0 when none.
    public private(set) var highestEscalation: UInt8 = 0

    public init() {}

    /// Open: not closed and not withdrawn.
    public var isOpen: Bool { standing.isOpen }

    /// Open and past its deadline in force at the end of `date`.
    public func isOverdue(at date: CalendarDate) -> Bool { standing.isOverdue(at: date) }

    /// Whether a closure now is on time: the latest passed verification was made on or before
    /// the deadline then in force.
    var closesOnTime: Bool {
        guard let passed = passedVerification, let deadline = passed.deadline else { return false }
        return passed.on <= deadline
    }

    /// The status and the deadline in force: all that `isOpen` and `isOverdue(at:)` read.
    struct Standing {
        var status: HazardStatus
        var deadline: CalendarDate?

        var isOpen: Bool { status != .closed && status != .withdrawn }

        func isOverdue(at date: CalendarDate) -> Bool {
            guard isOpen, let deadline else { return false }
            return deadline < date
        }
    }

    var standing: Standing { Standing(status: status, deadline: deadline) }

    public static func == (a: HazardProgress, b: HazardProgress) -> Bool {
        a.status == b.status && a.deadline == b.deadline && a.deadlineSetOn == b.deadlineSetOn && a.supervisedOn == b.supervisedOn
            && a.rectifiedOn == b.rectifiedOn
            && a.passedVerification?.on == b.passedVerification?.on && a.passedVerification?.deadline == b.passedVerification?.deadline
            && a.escalationThisSpell == b.escalationThisSpell && a.highestEscalation == b.highestEscalation
    }

    /// Applies one step (already checked by the workflow when it was appended): its status and
    /// deadline as the table of the lifecycle says (`LifecycleStep.transition`), and the dates
    /// the queries ask for. An escalation raises `highestEscalation` only (see
    /// `escalationThisSpell`).
    public mutating func apply(_ step: HazardTimeline.Step) {
        guard let lifecycleStep = step.kind.lifecycleStep else {
            highestEscalation = max(highestEscalation, step.level)
            return
        }
        let transition = lifecycleStep.transition
        status = transition.status(after: status)
        if transition.setsDeadline { setDeadline(step.deadline, on: step.on) }
        switch lifecycleStep {
        case .supervised: supervisedOn = step.on
        case .rectified: rectifiedOn = step.on
        case .verifiedPassed: passedVerification = (step.on, deadline)
        case .reopened: passedVerification = nil
        case .reported, .extended, .verifiedFailed, .closed, .withdrawn: break
        }
    }

    /// Whether an escalation on `date` belongs to this overdue spell: after the deadline in
    /// force, and not before the day that deadline was set.
    func isThisSpell(_ date: CalendarDate) -> Bool {
        guard let deadline, let deadlineSetOn else { return false }
        return date > deadline && date >= deadlineSetOn
    }

    private mutating func setDeadline(_ new: CalendarDate?, on date: CalendarDate) {
        if new != deadline { deadlineSetOn = date }
        deadline = new
    }
}

extension HazardTimeline.Step.Kind {
    /// The step of the table of the lifecycle this kind is; `nil` for an escalation, which
    /// changes no status.
    var lifecycleStep: LifecycleStep? {
        switch self {
        case .reported: .reported
        case .supervised: .supervised
        case .extended: .extended
        case .rectified: .rectified
        case .verifiedPassed: .verifiedPassed
        case .verifiedFailed: .verifiedFailed
        case .closed: .closed
        case .reopened: .reopened
        case .withdrawn: .withdrawn
        case .escalated: nil
        }
    }
}

extension HazardTimeline {
    /// Walks the steps `knowledge` admits up to the end of `date` (no limit when `nil`), calling
    /// `body` with each step and the progress before and after it; returns the final progress.
    ///
    /// Lifecycle steps are taken as a prefix in log order: the walk leaves every one from the
    /// first that happened after the date (or was recorded after `knownAt`), so the progress is
    /// always a state the workflow allowed. Escalations are taken one by one, by their business
    /// date, wherever they stand in the log: one recorded after a later lifecycle step still
    /// counts once it happened. `escalationThisSpell` is then worked out against the deadline
    /// in force at the end.
    @discardableResult
    public func walk(_ knowledge: Knowledge, until date: CalendarDate? = nil,
                     _ body: (Step, _ before: HazardProgress, _ after: HazardProgress) -> Void = { _, _, _ in }) -> HazardProgress {
        var progress = HazardProgress()
        var cut = false  // a lifecycle step out of view was met: no later one is taken
        // By index: iterating would copy the steps kept inside the entry.
        for index in steps.indices {
            let step = steps[index]
            if step.kind == .escalated {
                guard knowledge.admits(step, until: date) else { continue }
            } else {
                guard !cut else { continue }
                guard knowledge.admits(step, until: date) else {
                    cut = true
                    continue
                }
            }
            let before = progress
            progress.apply(step)
            body(step, before, progress)
        }
        guard progress.highestEscalation > 0 else { return progress }
        for index in steps.indices {
            let step = steps[index]
            if step.kind == .escalated, progress.isThisSpell(step.on), knowledge.admits(step, until: date) {
                progress.escalationThisSpell = max(progress.escalationThisSpell, step.level)
            }
        }
        return progress
    }

    /// Calls `body` with each of `dates` (in ascending order) and the status and deadline the
    /// hazard has at its end: what `progress(at:_:)` gives for that date, escalations left out
    /// (`escalationThisSpell` and `highestEscalation` stay 0). One pass over the steps for all
    /// the dates: the lifecycle steps `walk` takes up to a date are a prefix of those it takes
    /// up to a later one, so each date goes on from where the one before stopped.
    func forEachLifecycleProgress(at dates: [CalendarDate], _ knowledge: Knowledge, _ body: (Int, HazardProgress) -> Void) {
        var progress = HazardProgress()
        var next = 0, cut = false
        for (place, date) in dates.enumerated() {
            while !cut, next < steps.count {
                let step = steps[next]
                if step.kind != .escalated {
                    guard knowledge.admits(step, until: date) else {
                        // Out of view at this date; in view at a later one only if it was
                        // recorded in time (a step recorded after `knownAt` never is).
                        cut = !knowledge.admits(step)
                        break
                    }
                    progress.apply(step)
                }
                next += 1
            }
            body(place, progress)
        }
    }

    /// Whether the supervision whose lead department and responsible persons the timeline keeps
    /// (the latest: `leadDepartment`) is in view at the end of `date` under `knowledge`: in the
    /// prefix of lifecycle steps `walk` takes. Fields taken from it are shown only then.
    public func supervisionInView(_ knowledge: Knowledge, until date: CalendarDate? = nil) -> Bool {
        guard let latest = steps.lastIndex(where: { $0.kind == .supervised }) else { return false }
        for index in steps.indices[...latest] where steps[index].kind != .escalated {
            if !knowledge.admits(steps[index], until: date) { return false }
        }
        return true
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
