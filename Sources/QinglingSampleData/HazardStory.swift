import QinglingEvents

/// The whole life of one hazard, planned as dated steps that follow `domain.md`: an optional
/// tip-off, the report, supervision, rectifying phases (with extensions, escalations when
/// overdue, failed verifications), closing, sometimes a reopening — or a withdrawal — and the
/// penalties and rewards it leads to.
struct HazardStory {
    /// How often things happen.
    enum Odds {
        static let tipOff = 0.03
        static let noOperator = 0.05
        static let withdrawal = 0.02
        static let earlyWithdrawal = 0.4
        static let extended = 0.10
        static let secondExtension = 0.15
        static let overdue = 0.08
        static let failedFirst = 0.12
        static let failedAgain = 0.06
        static let reopening = 0.03
        static let townRectifies = 0.05
    }

    let cast: Cast
    let numbering: Numbering
    let enterprise: Enterprise?
    let region: Region
    let industryIndex: Int
    let industry: String
    let profile: IndustryProfile
    let entry: HazardEntry
    let lead: Department
    let viaTipOff: Bool
    /// The lead department's officer answerable for the hazard, and the town's.
    let officer: Int
    let townOfficer: Int
    var rng: SplitMix64
    var hazardId = ""
    var steps: [PlannedStep] = []

    init(cast: Cast, pool: EnterprisePool, numbering: Numbering, rng: SplitMix64) {
        var rng = rng
        self.cast = cast
        self.numbering = numbering
        viaTipOff = rng.chance(Odds.tipOff)
        if !viaTipOff, !cast.withoutOperator.isEmpty, rng.chance(Odds.noOperator) {
            let choice = rng.pick(cast.withoutOperator)
            let profile = cast.profiles[choice.industry]
            enterprise = nil
            industryIndex = choice.industry
            entry = choice.entry
            region = cast.reference.regions[rng.weighted(cast.reference.regions.map { profile.regionHints[$0.name] ?? 1 })]
        } else {
            let picked = pool.pick(&rng)
            enterprise = picked
            industryIndex = picked.industryIndex
            region = picked.region
            entry = rng.pick(picked.profile.hazards)
        }
        industry = cast.reference.industries[industryIndex]
        profile = cast.profiles[industryIndex]
        lead = cast.leadDepartment(for: industryIndex)
        officer = rng.int(1...Staff.departmentOfficers)
        townOfficer = rng.int(1...Staff.townOfficers)
        self.rng = rng
    }

    mutating func add(_ date: CalendarDate, _ actor: Actor, _ body: EventBody) {
        steps.append(PlannedStep(date: date, actor: actor, body: body))
    }

    mutating func workday(_ date: CalendarDate) -> CalendarDate { WorkCalendar.workday(date, &rng) }

    /// Plans the story; its first step falls on `anchor`, none before `firstDay`.
    mutating func tell(anchor: CalendarDate, firstDay: CalendarDate) -> [PlannedStep] {
        let reported = report(anchor: anchor, firstDay: firstDay)
        let withdraws = !viaTipOff && rng.chance(Odds.withdrawal)
        if withdraws && rng.chance(Odds.earlyWithdrawal) {
            let date = workday(reported.date.adding(days: rng.int(1...5)))
            add(date, cast.committeeActor(&rng), .hazardWithdrawn(HazardWithdrawn(hazardId: hazardId, reason: rng.pick(Phrases.withdrawalReasons))))
            return steps
        }
        let supervised = supervise(after: reported.date, discovered: reported.discovered)
        addPenaltyAndReward(reported: reported.date, source: reported.source, tipOffId: reported.tipOffId)
        let firstClosing = lifecycle(from: supervised.date, deadline: supervised.deadline)
        if withdraws, let closing = firstClosing { withdrawLate(after: supervised.date, before: closing) }
        return steps
    }

    // MARK: the report

    private mutating func report(anchor: CalendarDate, firstDay: CalendarDate)
        -> (date: CalendarDate, discovered: CalendarDate, source: HazardSource, tipOffId: String?) {
        var date = anchor
        var discovered: CalendarDate
        var tipOffId: String?
        let source: HazardSource
        let reporter: Actor
        if viaTipOff {
            let receiver = tipOffReceiver()
            let id = numbering.tipOffId(year: anchor.components.year)
            add(anchor, receiver, .tipOffReceived(Documents.tipOff(id: id, profile: profile, region: region, &rng)))
            tipOffId = id
            discovered = workday(anchor.adding(days: rng.int(1...10)))
            date = discovered
            source = .tipOff
            reporter = rng.chance(0.5) ? receiver : cast.actor(lead, officer: officer)
        } else {
            let lag = [0, 1, 2][rng.weighted([70, 20, 10])]
            discovered = max(anchor.adding(days: -lag), firstDay)
            source = chooseSource()
            reporter = self.reporter(for: source)
        }
        hazardId = numbering.hazardId(year: discovered.components.year)
        add(date, reporter, .hazardReported(HazardReported(
            hazardId: hazardId, enterprise: enterprise?.ref, region: region.name, industry: industry, criterionClause: entry.clause,
            description: entry.description, source: source, discoveredOn: discovered, tipOffId: tipOffId)))
        return (date, discovered, source, tipOffId)
    }

    private mutating func tipOffReceiver() -> Actor {
        switch rng.weighted([60, 20, 20]) {
        case 0: cast.generalActor(&rng)
        case 1: cast.committeeActor(&rng)
        default: cast.actor(lead, &rng)
        }
    }

    private mutating func chooseSource() -> HazardSource {
        if enterprise == nil {
            let sources: [HazardSource] = [.assignedByHigherLevel, .unannouncedVisit, .expertDiagnosis, .departmentInspection]
            return sources[rng.weighted([35, 25, 20, 20])]
        }
        let sources: [HazardSource] = [.selfCheck, .expertDiagnosis, .peerCheck, .departmentInspection, .enforcementInspection,
                                       .unannouncedVisit, .assignedByHigherLevel]
        return sources[rng.weighted([22, 12, 5, 30, 15, 9, 7])]
    }

    /// Who records a report: the business itself for a self-check, the town for a hazard with no
    /// operator, else the inspecting department or the committee.
    private mutating func reporter(for source: HazardSource) -> Actor {
        guard let enterprise else { return cast.actor(region, officer: townOfficer) }
        switch source {
        case .selfCheck:
            return Actor(organization: enterprise.organization, person: enterprise.safetyOfficer)
        case .enforcementInspection:
            return cast.enforcer(for: industryIndex).map { cast.actor($0, &rng) } ?? cast.actor(lead, &rng)
        case .departmentInspection:
            return rng.chance(0.1) ? cast.actor(region, officer: townOfficer) : cast.actor(lead, officer: officer)
        case .unannouncedVisit:
            return rng.chance(0.5) ? cast.committeeActor(&rng) : cast.actor(lead, &rng)
        case .assignedByHigherLevel:
            return cast.committeeActor(&rng)
        case .expertDiagnosis, .peerCheck, .tipOff:
            return cast.actor(lead, officer: officer)
        }
    }

    // MARK: supervision

    private mutating func supervise(after reported: CalendarDate, discovered: CalendarDate) -> (date: CalendarDate, deadline: CalendarDate) {
        let delay = [rng.int(0...2), rng.int(3...7), rng.int(8...12)][rng.weighted([50, 35, 15])]
        let date = workday(reported.adding(days: delay))
        let deadline = max(discovered.adding(days: rng.int(15...90)), date.adding(days: 7))
        let levels: [SupervisionLevel] = [.none, .county, .prefecture, .province]
        let responsible = ResponsiblePersons(
            enterprisePrincipal: enterprise?.principal, actualController: enterprise?.controller,
            departmentOfficer: cast.officer(of: lead, number: officer), townOfficer: cast.officer(of: region, number: townOfficer))
        let actor = rng.chance(0.7) ? cast.actor(lead, officer: officer) : cast.committeeActor(&rng)
        add(date, actor, .hazardSupervised(HazardSupervised(
            hazardId: hazardId, leadDepartment: lead.reference, supervisionLevel: levels[rng.weighted([45, 38, 13, 4])],
            deadline: deadline, responsible: responsible)))
        return (date, deadline)
    }

    // MARK: penalties and rewards

    private mutating func addPenaltyAndReward(reported: CalendarDate, source: HazardSource, tipOffId: String?) {
        let odds: Double = switch source {
        case .enforcementInspection: 0.55
        case .tipOff: 0.6
        case .unannouncedVisit: 0.25
        case .departmentInspection: 0.15
        case .assignedByHigherLevel: 0.1
        case .expertDiagnosis, .peerCheck: 0.05
        case .selfCheck: 0.02
        }
        if let enterprise, let enforcer = cast.enforcer(for: industryIndex), rng.chance(odds) {
            let date = workday(reported.adding(days: rng.int(2...25)))
            let penalty = Documents.penalty(on: enterprise, by: enforcer, on: date, hazardIds: [hazardId],
                                            tipOffId: rng.chance(0.5) ? tipOffId : nil, numbering: numbering, &rng)
            add(date, cast.actor(enforcer, &rng), .penaltyImposed(penalty))
        }
        if let tipOffId, let receiver = steps.first?.actor {
            let date = workday(reported.adding(days: rng.int(14...60)))
            add(date, receiver, .rewardPaid(Documents.reward(tipOffId, &rng)))
        }
    }

    // MARK: withdrawal

    /// Withdraws the hazard on a date after supervision and before its first closing, dropping
    /// everything planned from that date on.
    private mutating func withdrawLate(after supervised: CalendarDate, before closing: CalendarDate) {
        let span = supervised.days(to: closing)
        guard span >= 2 else { return }
        var date = workday(supervised.adding(days: rng.int(1...(span - 1))))
        if date >= closing { date = closing.adding(days: -1) }
        steps.removeAll { $0.date >= date }
        let actor = rng.chance(0.7) ? cast.actor(lead, officer: officer) : cast.committeeActor(&rng)
        add(date, actor, .hazardWithdrawn(HazardWithdrawn(hazardId: hazardId, reason: rng.pick(Phrases.withdrawalReasons))))
    }
}
