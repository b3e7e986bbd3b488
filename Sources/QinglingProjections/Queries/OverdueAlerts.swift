import QinglingEvents
import QinglingWorkflow

/// The escalation ladder (进展缓慢 → 函告、通报、约谈、曝光): the days overdue at which each level
/// is due. Defaults: letter from 1 day, notice 15, summons 30, exposure 60.
public struct EscalationLadder: Sendable, Equatable, CustomStringConvertible {
    /// Days overdue for letter, notice, summons and exposure, ascending.
    public var thresholds: [Int]

    public static let standard = EscalationLadder(unchecked: [1, 15, 30, 60])

    private init(unchecked: [Int]) { thresholds = unchecked }

    /// Four strictly ascending positive thresholds; `nil` otherwise.
    public init?(_ thresholds: [Int]) {
        guard thresholds.count == 4, thresholds[0] >= 1, zip(thresholds, thresholds.dropFirst()).allSatisfy({ $0 < $1 }) else { return nil }
        self.thresholds = thresholds
    }

    /// The level due after `days` overdue, if any.
    public func level(forDaysOverdue days: Int) -> EscalationLevel? {
        let reached = thresholds.lastIndex { days >= $0 }
        return reached.map { EscalationLevel.allCases[$0] }
    }

    public var description: String { thresholds.map(String.init).joined(separator: ",") }
}

/// The alerts of `domain.md` as of a date: overdue hazards with their escalation, hazards not
/// supervised within 7 days, hazards awaiting verification more than 10 days, hazards due
/// within 7 days.
public struct OverdueAlerts: Sendable {
    public struct Alert: Sendable, Equatable {
        public var hazardId: String
        public var region: String
        public var industry: String
        /// The lead department its supervision names, when that supervision is in view.
        public var leadDepartment: String?
        public var status: HazardStatus
        /// The date the alert counts from: the deadline (overdue, due soon), the report
        /// (unsupervised) or the rectification (awaiting verification).
        public var since: CalendarDate
        /// Days past `since` (negative: days left before the deadline).
        public var days: Int
        /// Overdue only: the level due by the ladder, the highest issued in this overdue
        /// spell, and whether a higher one is due.
        public var levelDue: EscalationLevel?
        public var levelIssued: EscalationLevel?
        public var higherDue: Bool

        /// Whether the hazard is still being rectified: the enterprise's, its town's and its
        /// lead department's to act on; past that, the lead department's to verify.
        public var awaitsRectification: Bool { status == .rectifying }
    }

    public var date: CalendarDate
    public var knowledge: Knowledge
    public var ladder: EscalationLadder
    public var overdue: [Alert] = []
    public var unsupervised: [Alert] = []
    public var awaitingVerification: [Alert] = []
    public var dueSoon: [Alert] = []

    /// Days after report without supervision, and after rectification without verification,
    /// beyond which a hazard is listed; days ahead for "due soon".
    public static let supervisionDays = 7, verificationDays = 10, dueSoonDays = 7

    /// The parts of a state the alerts read beyond the hazards' timelines.
    public static let needs: ProjectionParts = [.hazardIds]

    /// The alerts as of `date`, as known at `knownAt` (no limit when `nil`): every field of
    /// every alert from the events in view. `awaitingVerificationAfter` is the days after a
    /// rectification beyond which a hazard awaiting verification is listed (-1: every one).
    /// The hazards are measured in parts side by side; each list is then sorted.
    public init(_ state: ProjectionState, on date: CalendarDate, knownAt: Int64? = nil, ladder: EscalationLadder = .standard,
                awaitingVerificationAfter verificationDays: Int = Self.verificationDays) {
        state.require(Self.needs)
        self.date = date
        self.ladder = ladder
        let knowledge = Knowledge(asOf: date, knownAt: knownAt)
        self.knowledge = knowledge
        let hazards = state.hazards
        let parts = SideBySide.map(hazards.count, parts: SideBySide.parts(for: hazards.count)) { range in
            var lists = Lists()
            // Each timeline read in place: a copy of each would cost as much as its alerts.
            hazards.withUnsafeBufferPointer { hazards in
                for index in range where hazards[index].counts(knowledge) {
                    lists.add(hazards[index], index, of: state, on: date, knowledge, ladder: ladder, verificationDays: verificationDays)
                }
            }
            return lists
        }
        overdue = parts.flatMap(\.overdue)
        unsupervised = parts.flatMap(\.unsupervised)
        awaitingVerification = parts.flatMap(\.awaitingVerification)
        dueSoon = parts.flatMap(\.dueSoon)
        // The longest first, then by hazard id.
        let longestFirst: (Alert, Alert) -> Bool = { ($0.days, $1.hazardId) > ($1.days, $0.hazardId) }
        overdue.sort(by: longestFirst)
        unsupervised.sort(by: longestFirst)
        awaitingVerification.sort(by: longestFirst)
        dueSoon.sort { ($0.since, $0.hazardId) < ($1.since, $1.hazardId) }
    }

    /// The alerts of one part of the hazards.
    private struct Lists: Sendable {
        var overdue: [Alert] = [], unsupervised: [Alert] = [], awaitingVerification: [Alert] = [], dueSoon: [Alert] = []

        /// Adds the alerts of `hazard` (at `index` of `state`'s hazards, counted under
        /// `knowledge`) as of `date`.
        mutating func add(_ hazard: HazardTimeline, _ index: Int, of state: ProjectionState, on date: CalendarDate, _ knowledge: Knowledge,
                          ladder: EscalationLadder, verificationDays: Int) {
            let progress = hazard.progress(at: date, knowledge)
            guard progress.isOpen else { return }
            let lead = hazard.supervisionInView(knowledge, until: date) ? hazard.leadDepartment.map(state.name) : nil
            func alert(since: CalendarDate) -> Alert {
                Alert(hazardId: state.hazardId(index), region: state.name(hazard.region), industry: state.name(hazard.industry),
                      leadDepartment: lead, status: progress.status,
                      since: since, days: since.days(to: date), levelDue: nil, levelIssued: nil, higherDue: false)
            }
            if let deadline = progress.deadline {
                if deadline < date {
                    var entry = alert(since: deadline)
                    entry.levelDue = ladder.level(forDaysOverdue: entry.days)
                    entry.levelIssued = progress.escalationThisSpell == 0 ? nil : EscalationLevel.allCases[Int(progress.escalationThisSpell) - 1]
                    entry.higherDue = (entry.levelDue?.rank ?? 0) > Int(progress.escalationThisSpell)
                    overdue.append(entry)
                } else if date.days(to: deadline) <= OverdueAlerts.dueSoonDays, progress.status != .verified {
                    dueSoon.append(alert(since: deadline))
                }
            }
            if progress.status == .reported, hazard.report.on.days(to: date) > OverdueAlerts.supervisionDays {
                unsupervised.append(alert(since: hazard.report.on))
            }
            if progress.status == .awaitingVerification, let rectified = progress.rectifiedOn, rectified.days(to: date) > verificationDays {
                awaitingVerification.append(alert(since: rectified))
            }
        }
    }
}
