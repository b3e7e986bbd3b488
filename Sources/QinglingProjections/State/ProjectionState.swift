import CPrefetch
import QinglingEvents
import QinglingLog

/// Everything the analysts' projections are computed from, folded from the log in one pass.
/// It grows with hazards, tip-offs and the people and organisations who act, never with
/// events: each event adds a step to a hazard it names, or to a counter.
public struct ProjectionState: Sendable {
    /// The log position covered: every event before this sequence is folded in.
    public private(set) var nextSequence: UInt64 = 0
    /// The SHA-256 of the last folded event's stored bytes and its recorded time: what a
    /// checkpoint is checked against before it is trusted.
    public private(set) var lastEventHash: [UInt8] = []
    public private(set) var lastRecordedAt: Int64 = 0
    /// The latest business date of any event.
    public private(set) var latestBusinessDate: CalendarDate?
    /// The parts it holds beyond the hazards' timelines: all of them, unless it was read from
    /// a checkpoint for a query that needs fewer (`ProjectionStore.load(_:parts:)`). A state
    /// with `ProjectionParts.foldable` is folded into (the parts it holds kept current); only
    /// one with every part is saved.
    public private(set) var parts: ProjectionParts = .all

    public private(set) var hazards: [HazardTimeline] = []
    /// Hazard ids to their numbers, the indexes of `hazards`.
    var hazardNumbering = HazardNumbering()
    /// Person and organisation ids to their numbers (internal: a replay runs it on its reading
    /// thread).
    var partyNumbering = PartyNumbering()
    /// The interned names: regions, industries, departments, responsible persons' names.
    var names = KeyNumbering()

    /// Penalties by department, quarter and kind (`penalties`).
    private var penaltyTotals: [PenaltyKey: PenaltyTotal] = [:]
    /// Tip-offs by id (`tipOffs`).
    private var tipOffSummaries: [String: TipOffSummary] = [:]
    /// The hazards each person and each organisation acted on or answer for, by number.
    private var persons = PartyLinks()
    private var organizations = PartyLinks()

    public init() {}

    /// Penalties by department, quarter and kind.
    public var penalties: [PenaltyKey: PenaltyTotal] {
        require(.enforcement)
        return penaltyTotals
    }

    /// Tip-offs by id.
    public var tipOffs: [String: TipOffSummary] {
        require(.enforcement)
        return tipOffSummaries
    }

    /// The hazard with `id`, if reported.
    public func hazard(_ id: String) -> HazardTimeline? {
        require(.hazardIds)
        return hazardNumbering.number(of: id).map { hazards[Int($0)] }
    }

    /// The id of the hazard at `index` of `hazards`.
    public func hazardId(_ index: Int) -> String {
        require(.hazardIds)
        return hazardNumbering.id(at: Int32(index))
    }

    /// The ids of all hazards, in the order of `hazards`.
    public var hazardIds: [String] { hazards.indices.map(hazardId) }

    /// The region `hazard` counts under, as its report names it.
    public func region(of hazard: HazardTimeline) -> String { name(hazard.region) }

    /// The industry `hazard` counts under, as its report names it.
    public func industry(of hazard: HazardTimeline) -> String { name(hazard.industry) }

    /// The lead department's name of `hazard`'s latest supervision, if supervised.
    public func leadDepartment(of hazard: HazardTimeline) -> String? { hazard.leadDepartment.map(name) }

    /// The enterprise's principal `hazard`'s latest supervision names, if any.
    public func enterprisePrincipal(of hazard: HazardTimeline) -> ResponsiblePerson? { hazard.enterprisePrincipal.map(person) }

    /// The department officer `hazard`'s latest supervision names, if supervised.
    public func departmentOfficer(of hazard: HazardTimeline) -> ResponsiblePerson? { hazard.departmentOfficer.map(person) }

    /// The interned name at `index`.
    func name(_ index: Int32) -> String { names.key(at: index) }

    /// A responsible person as a supervision named them.
    private func person(_ responsible: HazardTimeline.Responsible) -> ResponsiblePerson {
        require(.persons)
        return ResponsiblePerson(name: name(responsible.name), id: partyNumbering.persons.key(at: responsible.person))
    }

    /// How the projections write a responsible person: `name (id)`.
    func label(of person: HazardTimeline.Responsible) -> String { self.person(person).label }

    /// Every interned name, in order (`name(_:)` reads one).
    var internedNames: [String] { (0..<Int32(names.count)).map(names.key(at:)) }

    /// The hazards a person (`P:id`) or an organisation (`O:id`) acted on or answers for, as
    /// indexes into `hazards`, in the order they were linked (a hazard linked twice in a row is
    /// listed once).
    public func hazards(ofParty key: String) -> [Int] {
        partyHazards(key).map { Int($0) }
    }

    /// `hazards(ofParty:)` as the links keep them.
    private func partyHazards(_ key: String) -> [Int32] {
        require(.partyLinks)
        let id = String(key.dropFirst(2))
        if key.hasPrefix("P:") { return partyNumbering.persons.number(of: id).map(persons.hazards(of:)) ?? [] }
        if key.hasPrefix("O:") { return partyNumbering.organizations.number(of: id).map(organizations.hazards(of:)) ?? [] }
        return []
    }

    /// Folds in one event from its stored bytes (`EventBinaryCodec`), recorded at `recordedAt`
    /// (µs since the Unix epoch) as event `sequence`. Events must come in log order, each
    /// exactly once. Nothing is copied out of `payload` but what the projections keep; the
    /// event's hash is not computed (`coverLastEvent(hash:)`).
    ///
    /// Throws when the bytes are not a stored event; the state is then unusable (a string it
    /// keeps may have been found invalid after others were folded in).
    public mutating func fold(_ payload: UnsafeRawBufferPointer, sequence: UInt64, recordedAt: Int64) throws(EventDecodingError) {
        requireFoldable()
        var facts = EventFacts(try EventView(payload))
        var numbers: [Int32] = []
        try withUnsafePointer(to: &facts) { facts in
            Result { () throws(EventDecodingError) in
                try hazardNumbering.number(facts, into: &numbers)
                var parties: EventNumbers
                do throws(EngineError) { parties = try partyNumbering.number(facts.pointee.parties) } catch {
                    throw EventDecodingError(.partyId, error)
                }
                do throws(EngineError) { try parties.internNames(of: facts, into: &names) } catch { throw EventDecodingError(.name, error) }
                try numbers.withUnsafeBufferPointer { numbers in
                    Result { () throws(EventDecodingError) in
                        try fold(facts, numbered: numbers, parties: parties, sequence: sequence, recordedAt: recordedAt)
                    }
                }.get()
            }
        }.get()
    }

    /// Folds in an event whose hazards, parties and names are numbered (`numbers`: the hazards
    /// it acts on, `HazardNumbering`; `parties`: `PartyNumbering` and the names): the rest of
    /// `fold(_:sequence:recordedAt:)`, which a replay runs behind its reading thread. (The facts
    /// are passed by their address: as an argument they would be copied for every event.)
    mutating func fold(_ facts: UnsafePointer<EventFacts>, numbered numbers: UnsafeBufferPointer<Int32>, parties: EventNumbers,
                       sequence: UInt64, recordedAt: Int64) throws(EventDecodingError) {
        let date = facts.pointee.date
        let step = { (step: EventFacts.LifecycleStep) in
            HazardTimeline.Step(kind: step.kind, on: date, recordedAt: recordedAt, deadline: step.deadline, level: step.level)
        }
        // The one hazard a lifecycle event acts on, if known (a report: if new).
        let named = numbers.first
        switch facts.pointee.effect {
        case .report(let report, let discoveredOn, let tipOff):
            guard let index = named else { break }  // a second report of the same id, which the workflow refuses
            try self.report(of: facts, region: parties.region, industry: parties.industry, discoveredOn: discoveredOn, tipOff: tipOff,
                            step: step(report))
            try linkActor(parties, to: index)
        case .supervision(let supervision):
            guard let index = named else { break }
            // A state without the persons holds their names only (`notHeld` for the numbers).
            let persons = self.parts.contains(.persons)
            hazards[Int(index)].supervise(step(supervision), leadDepartment: parties.leadDepartment,
                                          enterprisePrincipal: parties.principal < 0 ? nil
                                              : HazardTimeline.Responsible(name: parties.principalName,
                                                                           person: persons ? parties.principal : HazardTimeline.Responsible.notHeld),
                                          departmentOfficer: HazardTimeline.Responsible(name: parties.officerName,
                                                                                        person: persons ? parties.officer : HazardTimeline.Responsible.notHeld))
            try link(organization: parties.organization, to: index)
            if parties.principal >= 0 { try link(person: parties.principal, to: index) }
            if parties.controller >= 0 { try link(person: parties.controller, to: index) }
            try link(person: parties.officer, to: index)
            try link(person: parties.town, to: index)
            try linkActor(parties, to: index)
        case .step(let lifecycle):
            guard let index = named else { break }
            hazards[Int(index)].steps.append(step(lifecycle))
            try linkActor(parties, to: index)
        case .escalation(let lifecycle):
            let escalation = step(lifecycle)
            for index in numbers {
                hazards[Int(index)].steps.append(escalation)
                try link(organization: parties.organization, to: index)
                try linkActor(parties, to: index)
            }
        case .penalty(let kind, let amountFen, let department, let departmentName, let tipOff):
            try penalty(of: facts, department: department, departmentName: departmentName, kind: kind, amountFen: amountFen, on: date, tipOff: tipOff)
            for index in numbers { try linkActor(parties, to: index) }
        case .tipOffReceived(let tipOff, let channel):
            try change(tipOff, of: facts) { summary throws(EventDecodingError) in summary.received(on: date, channel: channel) }
        case .rewardPaid(let tipOff, let amountFen):
            try change(tipOff, of: facts) { summary throws(EventDecodingError) in try summary.paid(amountFen, on: date) }
        case .reporterKeyDestroyed(let tipOff):
            try change(tipOff, of: facts) { summary throws(EventDecodingError) in summary.identityDestroyedOn = date }
        }
        nextSequence = sequence + 1
        if !lastEventHash.isEmpty { lastEventHash = [] }
        lastRecordedAt = recordedAt
        latestBusinessDate = max(latestBusinessDate ?? date, date)
    }

    // The folds of the events that keep strings, each in a function of its own: inlined into
    // `fold`, their strings would be destroyed at its end for every event, as optionals.

    /// A new hazard's timeline, and its tip-off's link to it.
    @inline(never)
    private mutating func report(of facts: UnsafePointer<EventFacts>, region: Int32, industry: Int32, discoveredOn: CalendarDate,
                                 tipOff: ByteSpan?, step: HazardTimeline.Step) throws(EventDecodingError) {
        hazards.makeRoomInHugePages(for: 1)
        hazards.append(HazardTimeline(region: region, industry: industry, discoveredOn: discoveredOn, report: step))
        guard parts.contains(.enforcement), let tipOff, case .reports(let hazard) = facts.pointee.hazards else { return }
        let id = try facts.pointee.string(hazard.id)
        try change(tipOff, of: facts) { summary throws(EventDecodingError) in summary.hazardIds.append(id) }
    }

    /// A penalty added to its department's quarter, and counted for the tip-off it confirms.
    @inline(never)
    private mutating func penalty(of facts: UnsafePointer<EventFacts>, department: ByteSpan, departmentName: ByteSpan, kind: PenaltyKind,
                                  amountFen: Int64, on date: CalendarDate, tipOff: ByteSpan?) throws(EventDecodingError) {
        guard parts.contains(.enforcement) else { return }
        let key = PenaltyKey(department: try facts.pointee.string(department), quarter: Quarter(containing: date), kind: kind)
        if let known = penaltyTotals.index(forKey: key) {
            try penaltyTotals.values[known].add(amountFen)
        } else {
            // The department's name as its first penalty of the quarter and kind gives it.
            var total = PenaltyTotal(departmentName: try facts.pointee.string(departmentName))
            try total.add(amountFen)
            penaltyTotals[key] = total
        }
        if let tipOff { try change(tipOff, of: facts) { summary throws(EventDecodingError) in summary.confirmingPenalties += 1 } }
    }

    /// Applies `update` to the summary of the tip-off whose id is at `span` (a new one if
    /// unseen), when the state holds the tip-offs.
    @inline(never)
    private mutating func change(_ span: ByteSpan, of facts: UnsafePointer<EventFacts>,
                                 _ update: (inout TipOffSummary) throws(EventDecodingError) -> Void) throws(EventDecodingError) {
        guard parts.contains(.enforcement) else { return }
        let id = try facts.pointee.string(span)
        try update(&tipOffSummaries[id, default: TipOffSummary(id: id)])
    }

    /// Folds in one event held in memory: the same as folding its stored bytes.
    public mutating func apply(_ stored: StoredEvent) throws(EventDecodingError) {
        let bytes = EventBinaryCodec.encode(stored.event)
        try bytes.withUnsafeBytes { payload in
            Result { () throws(EventDecodingError) in try fold(payload, sequence: stored.sequence, recordedAt: stored.recordedAt.microseconds) }
        }.get()
        lastEventHash = stored.hash
    }

    private mutating func linkActor(_ parties: EventNumbers, to hazard: Int32) throws(EventDecodingError) {
        try link(person: parties.actor, to: hazard)
        try link(organization: parties.actorOrganization, to: hazard)
    }

    /// Links a party to a hazard, when the state holds the links.
    private mutating func link(person: Int32, to hazard: Int32) throws(EventDecodingError) {
        guard parts.contains(.partyLinks) else { return }
        do throws(EngineError) { try persons.link(person, to: hazard) } catch { throw EventDecodingError(.partyId, error) }
    }

    private mutating func link(organization: Int32, to hazard: Int32) throws(EventDecodingError) {
        guard parts.contains(.partyLinks) else { return }
        do throws(EngineError) { try organizations.link(organization, to: hazard) } catch { throw EventDecodingError(.partyId, error) }
    }

    /// Makes room for about `count` more events (a rebuild knows how many it will fold), in
    /// the proportions `EngineTuning` gives. Saves regrowing and rehashing the tables. (The
    /// names, a few thousand, grow as they come.)
    mutating func reserveCapacity(forEvents count: Int) {
        let tuning = EngineTuning.self
        let hazards = self.hazards.count + count / tuning.eventsPerHazard
        self.hazards.reserveCapacityInHugePages(hazards)
        hazardNumbering.reserveCapacity(hazards)
        let persons = partyNumbering.persons.count + count / tuning.eventsPerPerson
        let organizations = partyNumbering.organizations.count + count / tuning.eventsPerOrganization
        partyNumbering.reserveCapacity(persons: persons, organizations: organizations)
        let personLinks = count * tuning.personLinksPerEvent.numerator / tuning.personLinksPerEvent.denominator
        let organizationLinks = count * tuning.organizationLinksPerEvent.numerator / tuning.organizationLinksPerEvent.denominator
        self.persons.reserveCapacity(parties: persons, links: self.persons.linkCount + personLinks)
        self.organizations.reserveCapacity(parties: organizations, links: self.organizations.linkCount + organizationLinks)
    }

    /// Starts bringing into the cache what folding an event a few ahead will read: first the
    /// newest links of its parties, and of its hazard's timeline entry the count of its steps
    /// (and for a supervision, the responsible persons it replaces); then (`followUp`, once the
    /// count has arrived) the place of the hazard's next step. Only the lines the fold writes:
    /// an entry spans three or four, and both threads' memory accesses are bounded by how many
    /// misses a core can have in flight.
    /// (Mutating only so that the fold's loop, which holds the state in place, does not copy it
    /// to call this.)
    mutating func prefetch(parties: EventNumbers, hazard: Int32, followUp: Bool) {
        if !followUp, parts.contains(.partyLinks) {
            persons.prefetch(parties.actor)
            organizations.prefetch(parties.actorOrganization)
            if parties.organization >= 0 {  // a supervision or an escalation
                organizations.prefetch(parties.organization)
                persons.prefetch(parties.principal)
                persons.prefetch(parties.controller)
                persons.prefetch(parties.officer)
                persons.prefetch(parties.town)
            }
        }
        hazards.withUnsafeBufferPointer { hazards in
            guard hazard >= 0, Int(hazard) < hazards.count, let base = hazards.baseAddress else { return }
            let entry = UnsafeRawPointer(base + Int(hazard))
            guard followUp else {
                if parties.leadDepartment >= 0 { HazardTimeline.prefetchResponsible(at: entry) }
                return HazardTimeline.Steps.prefetchCount(at: entry + Self.stepsOffset)
            }
            HazardTimeline.Steps.prefetchNext(at: entry + Self.stepsOffset)
        }
    }

    private static let stepsOffset = MemoryLayout<HazardTimeline>.offset(of: \.steps) ?? 0

    /// Stops the program unless the state holds `parts`: a query given a state read without
    /// what it declares it `needs` (a fault in the program, not in its input).
    func require(_ parts: ProjectionParts) {
        precondition(self.parts.isSuperset(of: parts), "a query was given a state read without the parts it needs")
    }

    /// Stops the program unless the state holds the hazards' ids: without them a new event
    /// cannot find its hazard (a fault in the program, not in its input).
    func requireFoldable() {
        precondition(parts.isSuperset(of: .foldable), "a state read without the hazards' ids is not folded into")
    }

    /// Sets the hash of the last folded event, for events folded from their bytes.
    public mutating func coverLastEvent(hash: [UInt8]) { lastEventHash = hash }
}

extension ProjectionState: Equatable {
    /// Equal when they hold the same parts and the same projections in them, however their
    /// look-up tables are laid out.
    public static func == (a: ProjectionState, b: ProjectionState) -> Bool {
        a.parts == b.parts && a.nextSequence == b.nextSequence && a.lastEventHash == b.lastEventHash && a.lastRecordedAt == b.lastRecordedAt
            && a.latestBusinessDate == b.latestBusinessDate && a.internedNames == b.internedNames && a.hazards == b.hazards
            && a.penaltyTotals == b.penaltyTotals && a.tipOffSummaries == b.tipOffSummaries
            && (!a.parts.contains(.hazardIds) || a.hazardIds == b.hazardIds)
            && (!a.parts.contains(.persons) || a.personIds == b.personIds)
            && (!a.parts.contains(.partyLinks) || a.sameParties(as: b))
    }

    /// The persons' ids in the order they were numbered.
    private var personIds: [String] { (0..<Int32(partyNumbering.persons.count)).map(partyNumbering.persons.key(at:)) }

    /// Whether the same parties have the same hazards in the same order (however they are
    /// numbered: a checkpoint stores them party by party).
    private func sameParties(as other: ProjectionState) -> Bool {
        let parties = parties
        return parties.count == other.partyNumbering.persons.count + other.partyNumbering.organizations.count
            && parties.allSatisfy { other.hasParty($0.key) && other.partyHazards($0.key) == $0.hazards }
    }

    /// Whether the party `P:id` or `O:id` was numbered (with or without hazards).
    private func hasParty(_ key: String) -> Bool {
        let id = String(key.dropFirst(2))
        return key.hasPrefix("P:") ? partyNumbering.persons.number(of: id) != nil : partyNumbering.organizations.number(of: id) != nil
    }
}

extension ProjectionState {
    /// Every party with hazards, as (`P:id` or `O:id`, its hazards): persons first, then
    /// organisations, each in first-seen order.
    var parties: [(key: String, hazards: [Int32])] {
        let numbering = partyNumbering
        return (0..<Int32(numbering.persons.count)).map { ("P:" + numbering.persons.key(at: $0), persons.hazards(of: $0)) }
            + (0..<Int32(numbering.organizations.count)).map { ("O:" + numbering.organizations.key(at: $0), organizations.hazards(of: $0)) }
    }

    /// The persons' and organisations' links (a checkpoint writes them as they lie).
    var personLinks: PartyLinks { persons }
    var organizationLinks: PartyLinks { organizations }

    /// A state from its parts as a checkpoint holds them, each checked as it was read; those not
    /// in `parts` are empty.
    init(parts: ProjectionParts = .all, nextSequence: UInt64, lastEventHash: [UInt8], lastRecordedAt: Int64, latestBusinessDate: CalendarDate?, names: KeyNumbering,
         partyNumbering: PartyNumbering, hazards: [HazardTimeline], hazardNumbering: HazardNumbering, personLinks: PartyLinks,
         organizationLinks: PartyLinks, penalties: [PenaltyKey: PenaltyTotal], tipOffs: [String: TipOffSummary]) {
        self.parts = parts
        self.nextSequence = nextSequence
        self.lastEventHash = lastEventHash
        self.lastRecordedAt = lastRecordedAt
        self.latestBusinessDate = latestBusinessDate
        self.names = names
        self.partyNumbering = partyNumbering
        self.hazards = hazards
        self.hazardNumbering = hazardNumbering
        persons = personLinks
        organizations = organizationLinks
        penaltyTotals = penalties
        tipOffSummaries = tipOffs
    }
}
