import QinglingEvents

/// The persons and organisations an event names, numbered (`PartyNumbering`): what a replay's
/// reading thread does for each event, ahead of the fold, which links the parties by number to
/// the hazards the event acts on. (The hazards are numbered and the names interned by the
/// folding thread itself, `HazardNumbering` and `NameNumbering`: the two threads then do about
/// the same work.)
struct EventNumbering: Sendable {
    var persons = PartyNumbering()
    var organizations = PartyNumbering()

    init() {}

    /// The numbers of the persons and organisations `view` names, in the order the fold links
    /// them (`EventNumbers`, its names left to `NameNumbering`); `hashes` are the event's
    /// (`LookupHashes`). Every party an event holds is numbered, whether or not the fold keeps
    /// it (an event on a hazard never reported, which the workflow refuses, or a tip-off's).
    mutating func number(_ view: UnsafePointer<EventView>, hashes: LookupHashes) throws(EventDecodingError) -> EventNumbers {
        var numbers = EventNumbers()
        switch view.pointee.body {
        case .hazardSupervised(_, let departmentId, _, _, let principal, let controller, let officer, let town):
            guard let h = hashes.supervision else { break }
            numbers.organization = try organizations.number(view.pointee[departmentId], hash: h.department)
            if let principal { numbers.principal = try persons.number(view.pointee[principal.id], hash: h.principal) }
            if let controller { numbers.controller = try persons.number(view.pointee[controller.id], hash: h.controller) }
            numbers.officer = try persons.number(view.pointee[officer.id], hash: h.officer)
            numbers.town = try persons.number(view.pointee[town.id], hash: h.town)
        case .escalationIssued(_, let targetId, _):
            numbers.organization = try organizations.number(view.pointee[targetId], hash: ByteTable.hash(view.pointee[targetId]))
        case .hazardReported, .deadlineExtended, .hazardRectified, .hazardVerified, .hazardClosed, .hazardReopened,
             .hazardWithdrawn, .penaltyImposed, .tipOffReceived, .rewardPaid:
            break
        }
        numbers.actor = try persons.number(view.pointee[view.pointee.personId], hash: hashes.person)
        numbers.actorOrganization = try organizations.number(view.pointee[view.pointee.organizationId], hash: hashes.organization)
        return numbers
    }

    /// Starts bringing the look-ups of an event's ids into the cache (`ByteTable.prefetch`).
    /// (Mutating only so that the numbering loop, which holds the numbering in place, does not
    /// copy it, retaining its arrays, to call this.)
    mutating func prefetch(_ hashes: LookupHashes, key: Bool) {
        persons.prefetch(hash: hashes.person, key: key)
        organizations.prefetch(hash: hashes.organization, key: key)
        if let h = hashes.supervision {
            organizations.prefetch(hash: h.department, key: key)
            persons.prefetch(hash: h.officer, key: key)
            persons.prefetch(hash: h.town, key: key)
            if h.principal != 0 { persons.prefetch(hash: h.principal, key: key) }
            if h.controller != 0 { persons.prefetch(hash: h.controller, key: key) }
        }
    }

    /// Makes room for `persons` persons and `organizations` organisations in all.
    mutating func reserveCapacity(persons: Int, organizations: Int) {
        self.persons.reserveCapacity(persons)
        self.organizations.reserveCapacity(organizations)
    }
}

/// The numbers of the persons and organisations folding an event links to each hazard it acts
/// on (`EventNumbering`), and of the names it keeps (`NameNumbering`); -1 for those it does not
/// name.
struct EventNumbers {
    /// Who acted, and for which organisation.
    var actor: Int32 = -1
    var actorOrganization: Int32 = -1
    /// The organisation the event names: a supervision's lead department, an escalation's target.
    var organization: Int32 = -1
    /// The persons a supervision names.
    var principal: Int32 = -1
    var controller: Int32 = -1
    var officer: Int32 = -1
    var town: Int32 = -1
    /// A report's region and industry.
    var region: Int32 = -1
    var industry: Int32 = -1
    /// A supervision's lead department's name and the names of its principal and department
    /// officer.
    var lead: Int32 = -1
    var principalName: Int32 = -1
    var officerName: Int32 = -1
}
