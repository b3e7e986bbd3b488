import QinglingEvents

/// Person or organisation ids to their numbers (`PartyLinks`), given in the order they are
/// first named. A replay runs it on its reading thread (`EventNumbering`).
struct PartyNumbering: Sendable {
    private var ids = ByteTable()

    init() {}

    /// How many parties are numbered.
    var count: Int { ids.count }

    /// The number of the party with `id`, numbering it when new (a new id is checked as UTF-8
    /// first). `hash` is `ByteTable.hash(id)`.
    mutating func number(_ id: UnsafeRawBufferPointer, hash: UInt64) throws(EventDecodingError) -> Int32 {
        if let index = ids.index(of: id, hash: hash) { return index }
        guard String.isValidUTF8(id) else { throw EventDecodingError(reason: "party id is not valid UTF-8") }
        return ids.add(id, hash: hash).index
    }

    /// Starts bringing the look-up of the id with `hash` into the cache (`ByteTable.prefetch`).
    /// (Mutating only so that the numbering loop, which holds the numbering in place, does not
    /// copy it to call this.)
    mutating func prefetch(hash: UInt64, key: Bool) { ids.prefetch(hash: hash, key: key) }

    /// The number of the party with `id`, if numbered.
    func number(of id: String) -> Int32? { ids.index(of: id) }

    /// The id of party `party` (`0..<count`).
    func id(at party: Int32) -> String { ids.key(at: party) }

    /// Numbers the party with `id`, one of a restored state's; throws when it was numbered
    /// before or is longer than a table takes.
    mutating func restore(_ id: String, key: String) throws(EventDecodingError) -> Int32 {
        let (index, isNew) = try ids.add(restoring: id, what: "a party id")
        guard isNew else { throw EventDecodingError(reason: "party \(key) is listed twice") }
        return index
    }

    /// Makes room for `count` parties in all.
    mutating func reserveCapacity(_ count: Int) { ids.reserveCapacity(count) }
}
