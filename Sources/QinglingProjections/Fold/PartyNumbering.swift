/// Person and organisation ids to their numbers (`KeyNumbering`), given in the order first
/// named: what a replay's reading thread does for each event (`EventFacts.parties`), ahead of
/// the fold, which links the parties by number to the hazards the event acts on.
struct PartyNumbering: Sendable {
    var persons = KeyNumbering()
    var organizations = KeyNumbering()

    init() {}

    /// The numbers of the parties `keys` names, in their roles (the names left to
    /// `EventNumbers.internNames`). Every party an event names is numbered, whether or not the
    /// fold keeps it (an event on a hazard never reported, which the workflow refuses, or a
    /// tip-off's).
    mutating func number(_ keys: EventFacts.PartyKeys) throws(EngineError) -> EventNumbers {
        var numbers = EventNumbers()
        if let key = keys.organization { numbers.organization = try organizations.number(key) }
        if let key = keys.principal { numbers.principal = try persons.number(key) }
        if let key = keys.controller { numbers.controller = try persons.number(key) }
        if let key = keys.officer { numbers.officer = try persons.number(key) }
        if let key = keys.town { numbers.town = try persons.number(key) }
        numbers.actor = try persons.number(keys.actor)
        numbers.actorOrganization = try organizations.number(keys.actorOrganization)
        return numbers
    }

    /// Starts bringing the look-ups of `keys` into the cache (`ByteTable.prefetch`).
    /// (Mutating only so that the numbering loop, which holds the numbering in place, does not
    /// copy it, retaining its arrays, to call this.)
    mutating func prefetch(_ keys: EventFacts.PartyKeys, longKey: Bool) {
        persons.prefetch(keys.actor, longKey: longKey)
        organizations.prefetch(keys.actorOrganization, longKey: longKey)
        if let key = keys.organization { organizations.prefetch(key, longKey: longKey) }
        if let key = keys.officer { persons.prefetch(key, longKey: longKey) }
        if let key = keys.town { persons.prefetch(key, longKey: longKey) }
        if let key = keys.principal { persons.prefetch(key, longKey: longKey) }
        if let key = keys.controller { persons.prefetch(key, longKey: longKey) }
    }

    /// Makes room for `persons` persons and `organizations` organisations in all.
    mutating func reserveCapacity(persons: Int, organizations: Int) {
        self.persons.reserveCapacity(persons)
        self.organizations.reserveCapacity(organizations)
    }
}
