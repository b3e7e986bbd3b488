import QinglingEvents

/// A step of a hazard's lifecycle (一单四制, `domain.md` "The lifecycle of a hazard"): one per
/// lifecycle event, a verification's two outcomes apart. An escalation is no step: it changes
/// no status. What each step does is the one table of the lifecycle, `transition`, which the
/// workflow's checks (`WorkflowRules`), its state (`HazardRecord`) and the projections'
/// (`HazardProgress`) all read.
public enum LifecycleStep: UInt8, Sendable, CaseIterable {
    case reported, supervised, extended, rectified, verifiedPassed, verifiedFailed, closed, reopened, withdrawn

    /// What the step does: the table of the lifecycle, row by row as `domain.md` gives it (the
    /// "rule" column of its table of events, and the diagram above it).
    @inlinable @inline(__always)
    public var transition: LifecycleTransition {
        switch self {
        // HazardReported: the hazard id is unique, so no hazard is in a status it may come from.
        case .reported:
            LifecycleTransition(from: .none, to: .reported, setsDeadline: false, beginsRectification: false)
        // HazardSupervised: "only from reported"; it carries the rectification deadline.
        case .supervised:
            LifecycleTransition(from: .only(.reported), to: .rectifying, setsDeadline: true, beginsRectification: true)
        // DeadlineExtended: "only while rectifying or awaiting verification"; the status stays.
        case .extended:
            LifecycleTransition(from: .either(.rectifying, .awaitingVerification), to: nil, setsDeadline: true, beginsRectification: false)
        // HazardRectified: "only while rectifying".
        case .rectified:
            LifecycleTransition(from: .only(.rectifying), to: .awaitingVerification, setsDeadline: false, beginsRectification: false)
        // HazardVerified: "only while awaiting verification"; passed leads to verified.
        case .verifiedPassed:
            LifecycleTransition(from: .only(.awaitingVerification), to: .verified, setsDeadline: false, beginsRectification: false)
        // "failed returns the hazard to rectifying with its deadline unchanged".
        case .verifiedFailed:
            LifecycleTransition(from: .only(.awaitingVerification), to: .rectifying, setsDeadline: false, beginsRectification: true)
        // HazardClosed: "only after a passed verification".
        case .closed:
            LifecycleTransition(from: .only(.verified), to: .closed, setsDeadline: false, beginsRectification: false)
        // HazardReopened: "only when closed"; it carries a new deadline.
        case .reopened:
            LifecycleTransition(from: .only(.closed), to: .rectifying, setsDeadline: true, beginsRectification: true)
        // HazardWithdrawn: "any state but closed"; withdrawn is terminal, so not twice.
        case .withdrawn:
            LifecycleTransition(from: .anyBut(.closed, .withdrawn), to: .withdrawn, setsDeadline: false, beginsRectification: false)
        }
    }
}

/// What one lifecycle step does to a hazard: a row of the table `LifecycleStep.transition`.
public struct LifecycleTransition: Sendable {
    /// The statuses the step may be taken from; in any other the workflow refuses it
    /// (`WorkflowViolation.Rule.wrongStatus`).
    public let from: HazardStatuses
    /// The status it leads to; `nil` when the hazard keeps the one it has (an extension).
    public let to: HazardStatus?
    /// Whether it sets the deadline in force, to the one its event carries.
    public let setsDeadline: Bool
    /// Whether it begins a rectification: the work a later rectification answers (a
    /// supervision, a failed verification, a reopening; not an extension).
    public let beginsRectification: Bool

    @inlinable
    init(from: HazardStatuses, to: HazardStatus?, setsDeadline: Bool, beginsRectification: Bool) {
        self.from = from
        self.to = to
        self.setsDeadline = setsDeadline
        self.beginsRectification = beginsRectification
    }

    /// The status a hazard in `status` has after the step.
    @inlinable
    public func status(after status: HazardStatus) -> HazardStatus { to ?? status }
}

/// A set of hazard statuses, one bit each, so that the table is constant data and a look-up
/// in it a test of a bit.
public struct HazardStatuses: Sendable, Equatable {
    // Bits of no status (`anyBut` sets them) are never read.
    @usableFromInline
    let bits: UInt8

    @inlinable
    init(bits: UInt8) { self.bits = bits }

    /// No status.
    @inlinable
    public static var none: HazardStatuses { HazardStatuses(bits: 0) }

    /// `status` alone.
    @inlinable
    public static func only(_ status: HazardStatus) -> HazardStatuses { HazardStatuses(bits: status.bit) }

    /// `first` and `second`.
    @inlinable
    public static func either(_ first: HazardStatus, _ second: HazardStatus) -> HazardStatuses {
        HazardStatuses(bits: first.bit | second.bit)
    }

    /// Every status but `first` and `second`.
    @inlinable
    public static func anyBut(_ first: HazardStatus, _ second: HazardStatus) -> HazardStatuses {
        HazardStatuses(bits: ~(first.bit | second.bit))
    }

    @inlinable
    public func contains(_ status: HazardStatus) -> Bool { bits & status.bit != 0 }

    /// The statuses in the set, in the order of `HazardStatus.allCases`.
    public var statuses: [HazardStatus] { HazardStatus.allCases.filter(contains) }

    /// Equal when they hold the same statuses.
    public static func == (a: HazardStatuses, b: HazardStatuses) -> Bool { a.statuses == b.statuses }
}

extension HazardStatus {
    /// The status's bit in a `HazardStatuses`.
    @inlinable
    var bit: UInt8 {
        switch self {
        case .reported: 1 << 0
        case .rectifying: 1 << 1
        case .awaitingVerification: 1 << 2
        case .verified: 1 << 3
        case .closed: 1 << 4
        case .withdrawn: 1 << 5
        }
    }
}

extension EventBody {
    /// The lifecycle step the event takes and the deadline it carries (a supervision's, an
    /// extension's or a reopening's: what the step sets when it `setsDeadline`); `nil` for an
    /// event that takes none (an escalation, a penalty, a tip-off, a reward).
    public var lifecycleStep: (step: LifecycleStep, deadline: CalendarDate?)? {
        switch self {
        case .hazardReported: (.reported, nil)
        case .hazardSupervised(let e): (.supervised, e.deadline)
        case .deadlineExtended(let e): (.extended, e.newDeadline)
        case .hazardRectified: (.rectified, nil)
        case .hazardVerified(let e): (e.outcome == .passed ? .verifiedPassed : .verifiedFailed, nil)
        case .hazardClosed: (.closed, nil)
        case .hazardReopened(let e): (.reopened, e.newDeadline)
        case .hazardWithdrawn: (.withdrawn, nil)
        case .escalationIssued, .penaltyImposed, .tipOffReceived, .rewardPaid, .reporterKeyDestroyed: nil
        }
    }
}

extension EventType {
    /// The statuses a hazard must be in for an event of this type to step it (`LifecycleStep`;
    /// both outcomes of a verification come from the same ones); `nil` for the types that take
    /// no step of a hazard already reported (a report's hazard must be new).
    public var stepsFrom: HazardStatuses? {
        switch self {
        case .hazardSupervised: LifecycleStep.supervised.transition.from
        case .deadlineExtended: LifecycleStep.extended.transition.from
        case .hazardRectified: LifecycleStep.rectified.transition.from
        case .hazardVerified: LifecycleStep.verifiedPassed.transition.from
        case .hazardClosed: LifecycleStep.closed.transition.from
        case .hazardReopened: LifecycleStep.reopened.transition.from
        case .hazardWithdrawn: LifecycleStep.withdrawn.transition.from
        case .hazardReported, .escalationIssued, .penaltyImposed, .tipOffReceived, .rewardPaid, .reporterKeyDestroyed: nil
        }
    }
}
