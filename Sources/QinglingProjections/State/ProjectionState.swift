import QinglingEvents

/// Everything the analysts' projections are computed from, folded from the log in one pass.
/// It grows with hazards, tip-offs and the people and organisations who act, never with
/// events: each event adds a step to a hazard it names, or to a counter.
public struct ProjectionState: Sendable, Equatable {
    /// The log position covered: every event before this sequence is folded in.
    public private(set) var nextSequence: UInt64 = 0
    /// The SHA-256 of the last folded event's stored bytes and its recorded time: what a
    /// checkpoint is checked against before it is trusted.
    public private(set) var lastEventHash: [UInt8] = []
    public private(set) var lastRecordedAt: Int64 = 0
    /// The latest business date of any event.
    public private(set) var latestBusinessDate: CalendarDate?

    /// Interned names: regions, industries, departments, people.
    public private(set) var names: [String] = []
    private var nameIndex: [String: Int32] = [:]

    public private(set) var hazards: [HazardTimeline] = []
    private var hazardIndex: [String: Int32] = [:]

    /// Penalties by department, quarter and kind.
    public private(set) var penalties: [PenaltyKey: PenaltyTotal] = [:]
    /// Tip-offs by id.
    public private(set) var tipOffs: [String: TipOffSummary] = [:]
    /// For each person (`P:id`) and organisation (`O:id`): the hazards they acted on or answer
    /// for, as indexes into `hazards`, in first-seen order.
    public private(set) var hazardsByParty: [String: [Int32]] = [:]

    public init() {}

    /// The hazard with `id`, if reported.
    public func hazard(_ id: String) -> HazardTimeline? { hazardIndex[id].map { hazards[Int($0)] } }

    /// The interned name at `index`.
    public func name(_ index: Int32) -> String { names[Int(index)] }

    /// Folds in one stored event; events must come in log order, each exactly once.
    public mutating func apply(_ stored: StoredEvent) {
        // Read in place: copying the event would retain and release every string in it.
        let date = stored.event.occurredAt.date, recordedAt = stored.recordedAt.microseconds, sequence = stored.sequence
        let step = { (kind: HazardTimeline.Step.Kind, deadline: CalendarDate?) in
            HazardTimeline.Step(kind: kind, on: date, recordedAt: recordedAt, sequence: sequence, deadline: deadline)
        }
        // The hazards the event names, each looked up once: the actor is linked to each. (One
        // hazard for most events, kept out of an array to save an allocation per event.)
        var named: Int32?
        var namedMore: [Int32] = []
        switch stored.event.body {
        case .hazardReported(let e):
            let index = Int32(hazards.count)
            hazards.append(HazardTimeline(id: e.hazardId, region: intern(e.region), industry: intern(e.industry),
                                          discoveredOn: e.discoveredOn, report: step(.reported, nil)))
            hazardIndex[e.hazardId] = index
            named = index
            if let tip = e.tipOffId { tipOffs[tip, default: TipOffSummary(id: tip)].hazardIds.append(e.hazardId) }
        case .hazardSupervised(let e):
            guard let index = hazardIndex[e.hazardId] else { break }
            named = index
            let lead = intern(e.leadDepartment.name)
            let principal = e.responsible.enterprisePrincipal.map { intern(Self.personLabel($0)) }
            let officer = intern(Self.personLabel(e.responsible.departmentOfficer))
            hazards[Int(index)].steps.append(step(.supervised, e.deadline))
            hazards[Int(index)].leadDepartment = lead
            hazards[Int(index)].enterprisePrincipal = principal
            hazards[Int(index)].departmentOfficer = officer
            link(party: "O:" + e.leadDepartment.id, to: index)
            for person in [e.responsible.enterprisePrincipal, e.responsible.actualController, e.responsible.departmentOfficer, e.responsible.townOfficer] {
                if let person { link(party: "P:" + person.id, to: index) }
            }
        case .deadlineExtended(let e): named = append(step(.extended, e.newDeadline), to: e.hazardId)
        case .hazardRectified(let e): named = append(step(.rectified, nil), to: e.hazardId)
        case .hazardVerified(let e): named = append(step(e.outcome == .passed ? .verifiedPassed : .verifiedFailed, nil), to: e.hazardId)
        case .hazardClosed(let e): named = append(step(.closed, nil), to: e.hazardId)
        case .hazardReopened(let e): named = append(step(.reopened, e.newDeadline), to: e.hazardId)
        case .hazardWithdrawn(let e): named = append(step(.withdrawn, nil), to: e.hazardId)
        case .escalationIssued(let e):
            var escalation = step(.escalated, nil)
            escalation.level = UInt8(e.level.rank)
            let target = "O:" + e.target.id
            for id in e.hazardIds {
                guard let index = append(escalation, to: id) else { continue }
                link(party: target, to: index)
                namedMore.append(index)
            }
        case .penaltyImposed(let e):
            let key = PenaltyKey(department: stored.event.actor.organization.id, quarter: Quarter(containing: date), kind: e.kind)
            penalties[key, default: PenaltyTotal(departmentName: stored.event.actor.organization.name)].add(e.amountFen)
            if let tip = e.tipOffId { tipOffs[tip, default: TipOffSummary(id: tip)].confirmingPenalties += 1 }
            namedMore = e.hazardIds.compactMap { hazardIndex[$0] }
        case .tipOffReceived(let e):
            tipOffs[e.tipOffId, default: TipOffSummary(id: e.tipOffId)].received(on: date, channel: e.channel)
        case .rewardPaid(let e):
            tipOffs[e.tipOffId, default: TipOffSummary(id: e.tipOffId)].paid(e.amountFen, on: date)
        }
        if named != nil || !namedMore.isEmpty {
            let person = "P:" + stored.event.actor.person.id, organization = "O:" + stored.event.actor.organization.id
            if let named {
                link(party: person, to: named)
                link(party: organization, to: named)
            }
            for index in namedMore {
                link(party: person, to: index)
                link(party: organization, to: index)
            }
        }
        nextSequence = stored.sequence + 1
        lastEventHash = stored.hash
        lastRecordedAt = stored.recordedAt.microseconds
        latestBusinessDate = max(latestBusinessDate ?? date, date)
    }

    /// Adds `step` to hazard `id`; returns its index (`nil` when the hazard is unknown).
    private mutating func append(_ step: HazardTimeline.Step, to id: String) -> Int32? {
        guard let index = hazardIndex[id] else { return nil }
        hazards[Int(index)].steps.append(step)
        return index
    }

    /// Sets the hash of the last folded event, for events folded without one (`EventStore.replay`).
    mutating func coverLastEvent(hash: [UInt8]) { lastEventHash = hash }

    /// `name (id)`: how a person appears in the projections.
    static func personLabel(_ person: PersonRef) -> String { "\(person.name) (\(person.id))" }

    private mutating func intern(_ name: String) -> Int32 {
        if let index = nameIndex[name] { return index }
        let index = Int32(names.count)
        names.append(name)
        nameIndex[name] = index
        return index
    }

    private mutating func link(party: String, to index: Int32) {
        // One lookup: the entry is changed in place.
        hazardsByParty[party, default: []].appendUnlessLast(index)
    }
}

extension ProjectionState {
    /// Restores a state from its parts (a checkpoint), rebuilding the lookup tables.
    init(nextSequence: UInt64, lastEventHash: [UInt8], lastRecordedAt: Int64, latestBusinessDate: CalendarDate?, names: [String],
         hazards: [HazardTimeline], penalties: [PenaltyKey: PenaltyTotal], tipOffs: [String: TipOffSummary], hazardsByParty: [String: [Int32]]) {
        self.nextSequence = nextSequence
        self.lastEventHash = lastEventHash
        self.lastRecordedAt = lastRecordedAt
        self.latestBusinessDate = latestBusinessDate
        self.names = names
        self.hazards = hazards
        self.penalties = penalties
        self.tipOffs = tipOffs
        self.hazardsByParty = hazardsByParty
        for (index, name) in names.enumerated() { nameIndex[name] = Int32(index) }
        for (index, hazard) in hazards.enumerated() { hazardIndex[hazard.id] = Int32(index) }
    }
}

private extension Array where Element == Int32 {
    mutating func appendUnlessLast(_ value: Int32) {
        if last != value { append(value) }
    }
}
