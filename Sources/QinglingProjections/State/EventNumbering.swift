import QinglingEvents

/// The first half of folding an event: the numbers of the hazards, persons and organisations
/// it names. It needs nothing but the ids, so a replay runs it on its reading thread, ahead of
/// the rest of the fold (`ProjectionReplay`).
struct EventNumbering: Sendable {
    var hazards = HazardNumbering()
    var persons = PartyNumbering()
    var organizations = PartyNumbering()

    init() {}

    /// Appends to `numbers` the numbers of the hazards `view` acts on (`HazardNumbering`), and
    /// returns those of the parties the fold links to them: none when it acts on none.
    /// `hazardHash` is the `ByteTable.hash` of the one hazard id of a lifecycle event, when
    /// already known; `hashes` are the event's (`LookupHashes`).
    ///
    /// Parties are numbered in the order the fold links them, so that they are numbered in the
    /// order they are first linked.
    mutating func number(_ view: EventView, hazardHash: UInt64? = nil, hashes: LookupHashes,
                         into numbers: inout [Int32]) throws(EventDecodingError) -> PartyNumbers {
        let start = numbers.count
        try hazards.number(view, hazardHash: hazardHash, into: &numbers)
        var parties = PartyNumbers()
        guard numbers.count > start else { return parties }
        switch view.body {
        case .hazardSupervised(_, let departmentId, _, _, let principal, let controller, let officer, let town):
            guard let h = hashes.supervision else { break }
            parties.organization = try organizations.number(view[departmentId], hash: h.department)
            if let principal { parties.principal = try persons.number(view[principal.id], hash: h.principal) }
            if let controller { parties.controller = try persons.number(view[controller.id], hash: h.controller) }
            parties.officer = try persons.number(view[officer.id], hash: h.officer)
            parties.town = try persons.number(view[town.id], hash: h.town)
        case .escalationIssued(_, let targetId, _):
            parties.organization = try organizations.number(view[targetId], hash: ByteTable.hash(view[targetId]))
        case .hazardReported, .deadlineExtended, .hazardRectified, .hazardVerified, .hazardClosed, .hazardReopened,
             .hazardWithdrawn, .penaltyImposed, .tipOffReceived, .rewardPaid:
            break
        }
        parties.actor = try persons.number(view[view.personId], hash: hashes.person)
        parties.actorOrganization = try organizations.number(view[view.organizationId], hash: hashes.organization)
        return parties
    }

    /// Starts bringing the look-ups of an event's ids into the cache (`ByteTable.prefetch`).
    /// (Mutating only so that the numbering loop, which holds the numbering in place, does not
    /// copy it, retaining its arrays, to call this.)
    mutating func prefetch(hazardHash: UInt64?, hashes: LookupHashes, key: Bool) {
        if let hazardHash { hazards.prefetch(hash: hazardHash, key: key) }
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

    /// Makes room for `hazards` hazards, `persons` persons and `organizations` organisations in all.
    mutating func reserveCapacity(hazards: Int, persons: Int, organizations: Int) {
        self.hazards.reserveCapacity(hazards)
        self.persons.reserveCapacity(persons)
        self.organizations.reserveCapacity(organizations)
    }
}

/// The numbers of the persons and organisations folding an event links to each hazard it acts
/// on (`EventNumbering`); -1 for those it does not name.
struct PartyNumbers {
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
}
