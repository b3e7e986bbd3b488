import QinglingEvents

/// What one stored event means to the projections, read from its bytes in this one place: the
/// hazards it names, the persons and organisations it names (each in its role), the names it
/// keeps, and what it does (a lifecycle step, a penalty, a tip-off). Numbering, prefetching and
/// the fold read these facts, never the event's type: a new event type is handled here, in the
/// one exhaustive switch of `init(_:)`, or the module does not compile.
///
/// Valid while the event's bytes are (in its decompressed batch, which a replay's chunk holds).
struct EventFacts {
    /// The event's stored bytes: every span below lies in them.
    let bytes: UnsafeRawBufferPointer
    /// Its business date (the Asia/Shanghai date it happened).
    let date: CalendarDate
    let hazards: HazardKeys
    let parties: PartyKeys
    let names: NameKeys
    let effect: Effect
    /// Where the bytes the fold reads as text start (those after, to the event's end), for an
    /// event whose fold reads any: what a replay prefetches ahead of it. `nil` for one that
    /// only adds steps.
    let textFrom: Int32?

    /// The hazards an event names: their ids' spans.
    enum HazardKeys {
        case none
        /// A report's new hazard.
        case reports(HazardKey)
        /// The one hazard a lifecycle event acts on.
        case actsOn(HazardKey)
        /// The hazards an escalation or a penalty names, in order.
        case each(SpanList)
    }

    /// A hazard id, and its place in a `HazardSeriesIndex` when it has the workflow's form.
    struct HazardKey {
        let id: ByteSpan
        let position: HazardSeriesIndex.Position?
    }

    /// The persons and organisations an event names, each in its role.
    struct PartyKeys {
        /// Who acted, and for which organisation: every event names both.
        var actor: HashedKey
        var actorOrganization: HashedKey
        /// The organisation the event acts on: a supervision's lead department, an
        /// escalation's target.
        var organization: HashedKey?
        /// The persons a supervision names: the enterprise's principal and actual controller,
        /// the department's and the town's officers.
        var principal: HashedKey?
        var controller: HashedKey?
        var officer: HashedKey?
        var town: HashedKey?
    }

    /// The names an event holds that the projections keep (interned).
    struct NameKeys {
        /// A report's region and industry.
        var region: ByteSpan?
        var industry: ByteSpan?
        /// A supervision's lead department's name, and its principal's and department officer's names.
        var leadDepartment: ByteSpan?
        var principal: ByteSpan?
        var officer: ByteSpan?
    }

    /// The step a lifecycle event adds to each hazard it acts on (on the event's date).
    struct LifecycleStep: Equatable {
        var kind: HazardTimeline.Step.Kind
        var deadline: CalendarDate? = nil
        /// An escalation's level, as its rank; else 0.
        var level: UInt8 = 0
    }

    /// What an event does to the projections.
    enum Effect {
        /// A new hazard, counted under its report's region and industry, maybe from a tip-off.
        case report(LifecycleStep, discoveredOn: CalendarDate, tipOff: ByteSpan?)
        /// A supervision: a step, and who answers for the hazard (`parties`, `names`).
        case supervision(LifecycleStep)
        /// Any other step on the one hazard the event acts on.
        case step(LifecycleStep)
        /// A step on each hazard it names, which links its target organisation to them.
        case escalation(LifecycleStep)
        /// A penalty on a department's quarter, maybe confirming a tip-off.
        case penalty(kind: PenaltyKind, amountFen: Int64, department: ByteSpan, departmentName: ByteSpan, tipOff: ByteSpan?)
        case tipOffReceived(tipOff: ByteSpan, channel: TipOffChannel)
        case rewardPaid(tipOff: ByteSpan, amountFen: Int64)
        /// The key of the tip-off reporter's sealed identity was destroyed: the summary says so.
        case reporterKeyDestroyed(tipOff: ByteSpan)
    }

    /// The facts of `view`.
    init(_ view: EventView) {
        bytes = view.bytes
        date = ShanghaiDateTime(microseconds: view.occurredAt).date
        func key(_ span: ByteSpan) -> HashedKey { HashedKey(view[span]) }
        func hazard(_ id: ByteSpan) -> HazardKey { HazardKey(id: id, position: HazardSeriesIndex.position(of: view[id])) }
        var parties = PartyKeys(actor: key(view.personId), actorOrganization: key(view.organizationId))
        var names = NameKeys()
        var readsText = false
        switch view.body {
        case .hazardReported(let id, let region, let industry, let discoveredOn, let tipOff):
            hazards = .reports(hazard(id))
            names.region = region
            names.industry = industry
            effect = .report(LifecycleStep(kind: .reported), discoveredOn: discoveredOn, tipOff: tipOff)
            readsText = true
        case .hazardSupervised(let id, let departmentId, let departmentName, let deadline, let principal, let controller, let officer, let town):
            hazards = .actsOn(hazard(id))
            parties.organization = key(departmentId)
            parties.principal = principal.map { key($0.id) }
            parties.controller = controller.map { key($0.id) }
            parties.officer = key(officer.id)
            parties.town = key(town.id)
            names.leadDepartment = departmentName
            names.principal = principal?.name
            names.officer = officer.name
            effect = .supervision(LifecycleStep(kind: .supervised, deadline: deadline))
            readsText = true
        case .deadlineExtended(let id, let newDeadline):
            hazards = .actsOn(hazard(id))
            effect = .step(LifecycleStep(kind: .extended, deadline: newDeadline))
        case .hazardRectified(let id):
            hazards = .actsOn(hazard(id))
            effect = .step(LifecycleStep(kind: .rectified))
        case .hazardVerified(let id, let passed):
            hazards = .actsOn(hazard(id))
            effect = .step(LifecycleStep(kind: passed ? .verifiedPassed : .verifiedFailed))
        case .hazardClosed(let id):
            hazards = .actsOn(hazard(id))
            effect = .step(LifecycleStep(kind: .closed))
        case .hazardReopened(let id, let newDeadline):
            hazards = .actsOn(hazard(id))
            effect = .step(LifecycleStep(kind: .reopened, deadline: newDeadline))
        case .hazardWithdrawn(let id):
            hazards = .actsOn(hazard(id))
            effect = .step(LifecycleStep(kind: .withdrawn))
        case .escalationIssued(let level, let targetId, let list):
            hazards = .each(list)
            parties.organization = key(targetId)
            effect = .escalation(LifecycleStep(kind: .escalated, level: UInt8(level.rank)))
        case .penaltyImposed(let kind, let amountFen, let list, let tipOff):
            hazards = .each(list)
            effect = .penalty(kind: kind, amountFen: amountFen, department: view.organizationId, departmentName: view.organizationName, tipOff: tipOff)
            readsText = true
        case .tipOffReceived(let tipOff, let channel):
            hazards = .none
            effect = .tipOffReceived(tipOff: tipOff, channel: channel)
            readsText = true
        case .rewardPaid(let tipOff, let amountFen):
            hazards = .none
            effect = .rewardPaid(tipOff: tipOff, amountFen: amountFen)
            readsText = true
        case .reporterKeyDestroyed(let tipOff, _):
            hazards = .none
            effect = .reporterKeyDestroyed(tipOff: tipOff)
            readsText = true
        }
        self.parties = parties
        self.names = names
        textFrom = readsText ? view.organizationId.start : nil
    }

    /// The bytes of `span`.
    subscript(span: ByteSpan) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[Int(span.start)..<Int(span.start + span.count)])
    }

    /// The string in `span`; throws when its bytes are not valid UTF-8.
    func string(_ span: ByteSpan) throws(EventDecodingError) -> String {
        guard let text = String(validatingUTF8Bytes: self[span]) else {
            throw .notUTF8(.string, at: Int(span.start))
        }
        return text
    }

    /// Calls `body` with the span of each hazard id of `list`, in order.
    func forEach(in list: SpanList, _ body: (ByteSpan) throws(EventDecodingError) -> Void) throws(EventDecodingError) {
        try EventView.forEach(in: list, of: bytes, body)
    }
}
