import QinglingEvents

/// The persons and organisations an event names, numbered (`PartyNumbering`), and the names
/// the projections keep of it, interned: what a replay's reading thread does for each event,
/// ahead of the fold, which links the parties by number to the hazards the event acts on and
/// keeps the names' numbers. (The hazards are numbered by the fold itself, `HazardNumbering`:
/// the two threads then do about the same work.)
struct EventNumbering: Sendable {
    var persons = PartyNumbering()
    var organizations = PartyNumbering()
    /// Interned names (regions, industries, departments, people's labels), numbered in the
    /// order first met: kept as the keys of their table only.
    var names = ByteTable()
    /// Where a person's label (`name (id)`) is put together before it is interned.
    private var label: [UInt8] = []

    init() {}

    /// The numbers of the persons and organisations `view` names, in the order the fold links
    /// them, and of the names it keeps (`EventNumbers`); `hashes` are the event's
    /// (`LookupHashes`). Every party and name an event holds is numbered, whether or not the
    /// fold keeps it (an event on a hazard never reported, which the workflow refuses, or a
    /// tip-off's).
    mutating func number(_ view: UnsafePointer<EventView>, hashes: LookupHashes) throws(EventDecodingError) -> EventNumbers {
        var numbers = EventNumbers()
        switch view.pointee.body {
        case .hazardReported(_, let region, let industry, _, _):
            numbers.region = try intern(view.pointee[region])
            numbers.industry = try intern(view.pointee[industry])
        case .hazardSupervised(_, let departmentId, let departmentName, _, let principal, let controller, let officer, let town):
            guard let h = hashes.supervision else { break }
            numbers.lead = try intern(view.pointee[departmentName], hash: h.departmentName)
            if let principal { numbers.principalLabel = try internLabel(of: principal, in: view, hash: h.principalLabel) }
            numbers.officerLabel = try internLabel(of: officer, in: view, hash: h.officerLabel)
            numbers.organization = try organizations.number(view.pointee[departmentId], hash: h.department)
            if let principal { numbers.principal = try persons.number(view.pointee[principal.id], hash: h.principal) }
            if let controller { numbers.controller = try persons.number(view.pointee[controller.id], hash: h.controller) }
            numbers.officer = try persons.number(view.pointee[officer.id], hash: h.officer)
            numbers.town = try persons.number(view.pointee[town.id], hash: h.town)
        case .escalationIssued(_, let targetId, _):
            numbers.organization = try organizations.number(view.pointee[targetId], hash: ByteTable.hash(view.pointee[targetId]))
        case .deadlineExtended, .hazardRectified, .hazardVerified, .hazardClosed, .hazardReopened,
             .hazardWithdrawn, .penaltyImposed, .tipOffReceived, .rewardPaid:
            break
        }
        numbers.actor = try persons.number(view.pointee[view.pointee.personId], hash: hashes.person)
        numbers.actorOrganization = try organizations.number(view.pointee[view.pointee.organizationId], hash: hashes.organization)
        return numbers
    }

    /// Interns `name (id)`: how a person appears in the projections. `hash` is the label's
    /// `ByteTable.hash`.
    private mutating func internLabel(of person: EventView.Person, in view: UnsafePointer<EventView>, hash: UInt64) throws(EventDecodingError) -> Int32 {
        var bytes = label  // taken out while `intern` changes the numbering, then put back
        label = []
        defer { label = bytes }
        let count = LookupHashes.writeLabel(name: view.pointee[person.name], id: view.pointee[person.id], to: &bytes)
        return try bytes.withUnsafeBytes { bytes in
            Result { () throws(EventDecodingError) in try intern(UnsafeRawBufferPointer(rebasing: bytes[..<count]), hash: hash) }
        }.get()
    }

    /// The number of `name`, interning it when new (a new name is checked as UTF-8 first).
    private mutating func intern(_ name: UnsafeRawBufferPointer, hash: UInt64? = nil) throws(EventDecodingError) -> Int32 {
        let hash = hash ?? ByteTable.hash(name)
        if let index = names.index(of: name, hash: hash) { return index }
        guard String.isValidUTF8(name) else { throw EventDecodingError(reason: "name is not valid UTF-8") }
        return names.add(name, hash: hash).index
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
            names.prefetch(hash: h.departmentName, key: key)
            names.prefetch(hash: h.officerLabel, key: key)
            if h.principal != 0 { names.prefetch(hash: h.principalLabel, key: key) }
        }
    }

    /// The third stage of `prefetch`, for the names (the only keys here that may be too long
    /// for their slots: a person's label).
    mutating func prefetchNameBytes(_ hashes: LookupHashes) {
        guard let h = hashes.supervision else { return }
        names.prefetchKeyBytes(hash: h.departmentName)
        names.prefetchKeyBytes(hash: h.officerLabel)
        if h.principal != 0 { names.prefetchKeyBytes(hash: h.principalLabel) }
    }

    /// Makes room for `persons` persons, `organizations` organisations and `names` names in all.
    mutating func reserveCapacity(persons: Int, organizations: Int, names: Int) {
        self.persons.reserveCapacity(persons)
        self.organizations.reserveCapacity(organizations)
        self.names.reserveCapacity(names)
    }
}

/// The numbers of the persons and organisations folding an event links to each hazard it acts
/// on, and of the names it keeps (`EventNumbering`); -1 for those it does not name.
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
    /// A supervision's lead department's name and the labels (`name (id)`) of its principal and
    /// department officer.
    var lead: Int32 = -1
    var principalLabel: Int32 = -1
    var officerLabel: Int32 = -1
}
