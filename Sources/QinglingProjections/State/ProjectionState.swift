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

    public private(set) var hazards: [HazardTimeline] = []
    /// Hazard ids to their numbers, the indexes of `hazards`.
    var hazardNumbering = HazardNumbering()
    /// Person and organisation ids to their numbers (internal: a replay runs it on its reading
    /// thread).
    var numbering = EventNumbering()
    /// The interned names: regions, industries, departments, responsible persons' names.
    var nameNumbering = NameNumbering()

    /// Penalties by department, quarter and kind.
    public private(set) var penalties: [PenaltyKey: PenaltyTotal] = [:]
    /// Tip-offs by id.
    public private(set) var tipOffs: [String: TipOffSummary] = [:]
    /// The hazards each person and each organisation acted on or answer for, by number.
    private var persons = PartyLinks()
    private var organizations = PartyLinks()

    public init() {}

    /// The hazard with `id`, if reported.
    public func hazard(_ id: String) -> HazardTimeline? {
        hazardNumbering.number(of: id).map { hazards[Int($0)] }
    }

    /// The id of the hazard at `index` of `hazards`.
    public func hazardId(_ index: Int) -> String { hazardNumbering.id(at: Int32(index)) }

    /// The ids of all hazards, in the order of `hazards`.
    public var hazardIds: [String] { hazards.indices.map(hazardId) }

    /// The interned name at `index`.
    public func name(_ index: Int32) -> String { nameNumbering.name(at: index) }

    /// How the projections write a responsible person: `name (id)`.
    public func label(of person: HazardTimeline.Responsible) -> String {
        name(person.name) + " (" + numbering.persons.id(at: person.person) + ")"
    }

    /// Every interned name, in order (`name(_:)` reads one).
    public var names: [String] { (0..<Int32(nameNumbering.count)).map(nameNumbering.name(at:)) }

    /// The hazards a person (`P:id`) or an organisation (`O:id`) acted on or answers for, as
    /// indexes into `hazards`, in the order they were linked (a hazard linked twice in a row is
    /// listed once).
    public func hazards(ofParty key: String) -> [Int32] {
        let id = String(key.dropFirst(2))
        if key.hasPrefix("P:") { return numbering.persons.number(of: id).map(persons.hazards(of:)) ?? [] }
        if key.hasPrefix("O:") { return numbering.organizations.number(of: id).map(organizations.hazards(of:)) ?? [] }
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
        var view = try EventView(payload)
        var numbers: [Int32] = []
        let hashes = LookupHashes(view)
        try withUnsafePointer(to: &view) { view in
            Result { () throws(EventDecodingError) in
                try hazardNumbering.number(view, into: &numbers)
                var parties = try numbering.number(view, hashes: hashes)
                try nameNumbering.number(view, into: &parties)
                try numbers.withUnsafeBufferPointer { numbers in
                    Result { () throws(EventDecodingError) in
                        try fold(view, numbered: numbers, parties: parties, sequence: sequence, recordedAt: recordedAt)
                    }
                }.get()
            }
        }.get()
    }

    /// Folds in an event whose hazards and parties are numbered (`numbers`: `HazardNumbering`,
    /// `parties`: `EventNumbering`): the rest of `fold(_:sequence:recordedAt:)`, which a replay
    /// runs behind its reading thread. (The view is passed by its address, here and to the
    /// numberings: as an argument it would be copied, 156 bytes, for every event.)
    mutating func fold(_ view: UnsafePointer<EventView>, numbered numbers: UnsafeBufferPointer<Int32>, parties: EventNumbers,
                       sequence: UInt64, recordedAt: Int64) throws(EventDecodingError) {
        let date = ShanghaiDateTime(microseconds: view.pointee.occurredAt).date
        let step = { (kind: HazardTimeline.Step.Kind, deadline: CalendarDate?) in
            HazardTimeline.Step(kind: kind, on: date, recordedAt: recordedAt, deadline: deadline)
        }
        // The one hazard a lifecycle event acts on, if known (a report: if new).
        let named = numbers.first
        switch view.pointee.body {
        case .hazardReported(let hazard, _, _, let discoveredOn, let tipOff):
            guard named != nil else { break }  // a second report of the same id, which the workflow refuses
            try report(hazard, of: view, region: parties.region, industry: parties.industry, discoveredOn: discoveredOn, tipOff: tipOff,
                       step: step(.reported, nil))
        case .hazardSupervised(_, _, _, let deadline, _, _, _, _):
            guard let index = named else { break }
            hazards[Int(index)].supervise(step(.supervised, deadline), leadDepartment: parties.lead,
                                          enterprisePrincipal: parties.principal < 0 ? nil
                                              : HazardTimeline.Responsible(name: parties.principalName, person: parties.principal),
                                          departmentOfficer: HazardTimeline.Responsible(name: parties.officerName, person: parties.officer))
            try organizations.link(parties.organization, to: index)
            if parties.principal >= 0 { try persons.link(parties.principal, to: index) }
            if parties.controller >= 0 { try persons.link(parties.controller, to: index) }
            try persons.link(parties.officer, to: index)
            try persons.link(parties.town, to: index)
        case .deadlineExtended(_, let newDeadline): append(step(.extended, newDeadline), to: named)
        case .hazardRectified: append(step(.rectified, nil), to: named)
        case .hazardVerified(_, let passed): append(step(passed ? .verifiedPassed : .verifiedFailed, nil), to: named)
        case .hazardClosed: append(step(.closed, nil), to: named)
        case .hazardReopened(_, let newDeadline): append(step(.reopened, newDeadline), to: named)
        case .hazardWithdrawn: append(step(.withdrawn, nil), to: named)
        case .escalationIssued(let level, _, _):
            var escalation = step(.escalated, nil)
            escalation.level = UInt8(level.rank)
            for index in numbers {
                hazards[Int(index)].steps.append(escalation)
                try organizations.link(parties.organization, to: index)
                try linkActor(parties, to: index)
            }
        case .penaltyImposed(let kind, let amountFen, _, let tipOff):
            try penalty(of: view, kind: kind, amountFen: amountFen, on: date, tipOff: tipOff)
            for index in numbers { try linkActor(parties, to: index) }
        case .tipOffReceived(let tipOff, let channel):
            try change(tipOff, of: view) { summary throws(EventDecodingError) in summary.received(on: date, channel: channel) }
        case .rewardPaid(let tipOff, let amountFen):
            try change(tipOff, of: view) { summary throws(EventDecodingError) in try summary.paid(amountFen, on: date) }
        }
        switch view.pointee.body {
        case .escalationIssued, .penaltyImposed: break  // linked to each hazard above
        default: if let named { try linkActor(parties, to: named) }
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
    private mutating func report(_ hazard: ByteSpan, of view: UnsafePointer<EventView>, region: Int32, industry: Int32, discoveredOn: CalendarDate,
                                 tipOff: ByteSpan?, step: HazardTimeline.Step) throws(EventDecodingError) {
        hazards.makeRoomInHugePages(for: 1)
        hazards.append(HazardTimeline(region: region, industry: industry, discoveredOn: discoveredOn, report: step))
        guard let tipOff else { return }
        let id = try view.pointee.string(hazard)
        try change(tipOff, of: view) { summary throws(EventDecodingError) in summary.hazardIds.append(id) }
    }

    /// A penalty added to its department's quarter, and counted for the tip-off it confirms.
    @inline(never)
    private mutating func penalty(of view: UnsafePointer<EventView>, kind: PenaltyKind, amountFen: Int64, on date: CalendarDate,
                                  tipOff: ByteSpan?) throws(EventDecodingError) {
        let key = PenaltyKey(department: try view.pointee.string(view.pointee.organizationId), quarter: Quarter(containing: date), kind: kind)
        if let known = penalties.index(forKey: key) {
            try penalties.values[known].add(amountFen)
        } else {
            // The department's name as its first penalty of the quarter and kind gives it.
            var total = PenaltyTotal(departmentName: try view.pointee.string(view.pointee.organizationName))
            try total.add(amountFen)
            penalties[key] = total
        }
        if let tipOff { try change(tipOff, of: view) { summary throws(EventDecodingError) in summary.confirmingPenalties += 1 } }
    }

    /// Applies `update` to the summary of the tip-off whose id is at `span` (a new one if unseen).
    @inline(never)
    private mutating func change(_ span: ByteSpan, of view: UnsafePointer<EventView>,
                                 _ update: (inout TipOffSummary) throws(EventDecodingError) -> Void) throws(EventDecodingError) {
        let id = try view.pointee.string(span)
        try update(&tipOffs[id, default: TipOffSummary(id: id)])
    }

    /// Folds in one event held in memory: the same as folding its stored bytes.
    public mutating func apply(_ stored: StoredEvent) throws(EventDecodingError) {
        let bytes = EventBinaryCodec.encode(stored.event)
        try bytes.withUnsafeBytes { payload in
            Result { () throws(EventDecodingError) in try fold(payload, sequence: stored.sequence, recordedAt: stored.recordedAt.microseconds) }
        }.get()
        lastEventHash = stored.hash
    }

    /// Adds `step` to hazard `index`, if known.
    private mutating func append(_ step: HazardTimeline.Step, to index: Int32?) {
        if let index { hazards[Int(index)].steps.append(step) }
    }

    private mutating func linkActor(_ parties: EventNumbers, to hazard: Int32) throws(EventDecodingError) {
        try persons.link(parties.actor, to: hazard)
        try organizations.link(parties.actorOrganization, to: hazard)
    }

    /// Makes room for about `count` more events (a rebuild knows how many it will fold), in
    /// the proportions of the generated county logs, rounded up a little: a hazard per six
    /// events, a person per six (one per 6.6 at 1M, 4M and 16M events), an organisation per
    /// fourteen, about two links to persons and one and a half to organisations per
    /// event (1.3 and 1.0: links reserve address space only). Saves regrowing and rehashing the
    /// tables; a table's slots are all touched as keys come, so one reserved twice too large
    /// (as the persons' was, at a person per five) costs memory and time. (The names, a few
    /// thousand, grow as they come.)
    mutating func reserveCapacity(forEvents count: Int) {
        hazards.reserveCapacityInHugePages(hazards.count + count / 6)
        let persons = numbering.persons.count + count / 6, organizations = numbering.organizations.count + count / 14
        hazardNumbering.reserveCapacity(hazards.count + count / 6)
        numbering.reserveCapacity(persons: persons, organizations: organizations)
        self.persons.reserveCapacity(parties: persons, links: self.persons.linkCount + count * 2)
        self.organizations.reserveCapacity(parties: organizations, links: self.organizations.linkCount + count * 3 / 2)
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
        if !followUp {
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
                if parties.lead >= 0 { HazardTimeline.prefetchResponsible(at: entry) }
                return HazardTimeline.Steps.prefetchCount(at: entry + Self.stepsOffset)
            }
            HazardTimeline.Steps.prefetchNext(at: entry + Self.stepsOffset)
        }
    }

    private static let stepsOffset = MemoryLayout<HazardTimeline>.offset(of: \.steps) ?? 0

    /// Sets the hash of the last folded event, for events folded from their bytes.
    public mutating func coverLastEvent(hash: [UInt8]) { lastEventHash = hash }
}

extension ProjectionState: Equatable {
    /// Equal when they hold the same projections, however their look-up tables are laid out.
    public static func == (a: ProjectionState, b: ProjectionState) -> Bool {
        a.nextSequence == b.nextSequence && a.lastEventHash == b.lastEventHash && a.lastRecordedAt == b.lastRecordedAt
            && a.latestBusinessDate == b.latestBusinessDate && a.names == b.names && a.hazards == b.hazards && a.hazardIds == b.hazardIds
            && a.penalties == b.penalties && a.tipOffs == b.tipOffs && a.sameParties(as: b)
    }

    /// Whether the same parties have the same hazards in the same order (however they are
    /// numbered: a checkpoint stores them party by party).
    private func sameParties(as other: ProjectionState) -> Bool {
        let parties = parties
        return parties.count == other.numbering.persons.count + other.numbering.organizations.count
            && parties.allSatisfy { other.hazards(ofParty: $0.key) == $0.hazards }
    }
}

extension ProjectionState {
    /// Every party with hazards, as (`P:id` or `O:id`, its hazards): persons first, then
    /// organisations, each in first-seen order.
    var parties: [(key: String, hazards: [Int32])] {
        (0..<Int32(numbering.persons.count)).map { ("P:" + numbering.persons.id(at: $0), persons.hazards(of: $0)) }
            + (0..<Int32(numbering.organizations.count)).map { ("O:" + numbering.organizations.id(at: $0), organizations.hazards(of: $0)) }
    }

    /// Restores a state from its parts (a checkpoint), rebuilding the look-up tables.
    init(nextSequence: UInt64, lastEventHash: [UInt8], lastRecordedAt: Int64, latestBusinessDate: CalendarDate?, names: [String],
         hazardIds: [String], hazards: [HazardTimeline], penalties: [PenaltyKey: PenaltyTotal], tipOffs: [String: TipOffSummary],
         parties: [(key: String, hazards: [Int32])]) throws(EventDecodingError) {
        self.nextSequence = nextSequence
        self.lastEventHash = lastEventHash
        self.lastRecordedAt = lastRecordedAt
        self.latestBusinessDate = latestBusinessDate
        self.hazards = hazards
        self.penalties = penalties
        self.tipOffs = tipOffs
        for name in names { try nameNumbering.restore(name) }
        guard hazardIds.count == hazards.count else {
            throw EventDecodingError(reason: "\(hazardIds.count) hazard ids for \(hazards.count) hazards")
        }
        try hazardNumbering.restore(hazardIds)
        // Every party, with or without hazards: a fold numbers each party an event names.
        for (key, indexes) in parties {
            let id = String(key.dropFirst(2))
            if key.hasPrefix("P:") {
                let party = try numbering.persons.restore(id, key: key)
                for index in indexes { try persons.link(party, to: index) }
            } else if key.hasPrefix("O:") {
                let party = try numbering.organizations.restore(id, key: key)
                for index in indexes { try organizations.link(party, to: index) }
            } else {
                throw EventDecodingError(reason: "party \(key) is neither P: nor O:")
            }
        }
        for (index, hazard) in hazards.enumerated() {
            for person in [hazard.enterprisePrincipal, hazard.departmentOfficer].compactMap(\.?.person) where person >= numbering.persons.count {
                throw EventDecodingError(reason: "hazard \(hazardIds[index]) names person \(person), of \(numbering.persons.count)")
            }
        }
    }
}
