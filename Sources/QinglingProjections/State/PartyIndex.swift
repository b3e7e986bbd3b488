import CPrefetch
import QinglingEvents

/// For each person or each organisation, by id: the hazards they acted on or answer for, as
/// indexes into `ProjectionState.hazards`, in the order they were linked (a hazard linked twice
/// in a row is kept once). Links are kept in one array, each pointing back to the party's link
/// before it, so that linking costs one append and no allocation per party.
struct PartyIndex: Sendable {
    private var ids = ByteTable()
    /// Per party: its newest link and that link's hazard.
    private var newest: [(link: Int32, hazard: Int32)] = []
    /// Every link: its hazard and the same party's link before it (-1 for its first).
    private var links: [(hazard: Int32, previous: Int32)] = []

    init() {}

    /// Makes room for `count` parties in all.
    mutating func reserveCapacity(_ count: Int) {
        ids.reserveCapacity(count)
        newest.reserveCapacityInHugePages(count)
    }

    /// How many parties have links.
    var count: Int { ids.count }

    /// Links the party with `id` to `hazard`. A new id is checked as UTF-8 first. `hash` is
    /// `ByteTable.hash(id)`, when already known.
    mutating func link(_ id: UnsafeRawBufferPointer, hash: UInt64? = nil, to hazard: Int32) throws(EventDecodingError) {
        let hash = hash ?? ByteTable.hash(id)
        guard links.count < Int32.max else { throw EventDecodingError(reason: "more party links than the projections can hold (\(Int32.max))") }
        if let party = ids.index(of: id, hash: hash) {
            let latest = newest[Int(party)]
            guard latest.hazard != hazard else { return }
            newest[Int(party)] = (Int32(links.count), hazard)
            links.makeRoomInHugePages(for: 1)
            links.append((hazard, latest.link))
        } else {
            guard String.isValidUTF8(id) else { throw EventDecodingError(reason: "party id is not valid UTF-8") }
            _ = ids.add(id, hash: hash)
            newest.makeRoomInHugePages(for: 1)
            newest.append((Int32(links.count), hazard))
            links.makeRoomInHugePages(for: 1)
            links.append((hazard, -1))
        }
    }

    /// Starts bringing the look-up of the id with `hash` into the cache (`ByteTable.prefetch`),
    /// and in the second stage the party's newest link.
    func prefetch(hash: UInt64, key: Bool) {
        guard let party = ids.prefetch(hash: hash, key: key), Int(party) < newest.count else { return }
        newest.withUnsafeBufferPointer { newest in qingling_prefetch(newest.baseAddress.map { $0 + Int(party) }) }
    }

    /// The id of party `index` (`0..<count`).
    func id(at index: Int32) -> String { ids.key(at: index) }

    /// The hazards of party `index`, oldest link first.
    func hazards(at index: Int32) -> [Int32] {
        var result: [Int32] = []
        var link = newest[Int(index)].link
        while link >= 0 {
            result.append(links[Int(link)].hazard)
            link = links[Int(link)].previous
        }
        return result.reversed()
    }

    /// The hazards of the party with `id`; empty when it has none.
    func hazards(of id: String) -> [Int32] {
        ids.index(of: id).map(hazards(at:)) ?? []
    }
}

extension PartyIndex: Equatable {
    /// Equal when the same parties have the same hazards in the same order (however the links
    /// are laid out: a checkpoint stores them party by party).
    static func == (a: PartyIndex, b: PartyIndex) -> Bool {
        guard a.count == b.count else { return false }
        for index in 0..<Int32(a.count) where a.hazards(at: index) != b.hazards(of: a.id(at: index)) { return false }
        return true
    }
}
