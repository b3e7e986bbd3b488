import CPrefetch
import QinglingEvents

/// For each person or each organisation, by number (`KeyNumbering`): the hazards they acted
/// on or answer for, as indexes into `ProjectionState.hazards`, in the order they were linked
/// (a hazard linked twice in a row is kept once). Links are kept in one array, each pointing
/// back to the party's link before it, so that linking costs one append and no allocation per
/// party.
struct PartyLinks: Sendable {
    /// Per party: its newest link and that link's hazard; (-1, -1) before its first.
    private var newest: [(link: Int32, hazard: Int32)] = []
    /// Every link: its hazard and the same party's link before it (-1 for its first).
    private var links: [(hazard: Int32, previous: Int32)] = []

    init() {}

    /// Makes room for `parties` parties and `links` links in all (only address space until
    /// used: the pages are touched as the arrays fill, and regrowing would copy them). The
    /// parties' newest links, read at random, are in huge pages; the links, only ever appended,
    /// in ordinary ones (`adviseHugePages`).
    mutating func reserveCapacity(parties: Int, links: Int) {
        newest.reserveCapacityInHugePages(parties)
        self.links.reserveCapacity(links)
    }

    /// Links party `party` (a number, `0...`) to `hazard`.
    mutating func link(_ party: Int32, to hazard: Int32) throws(EngineError) {
        guard links.count < Int32.max else { throw .tooManyLinks }
        let index = Int(party)
        if index >= newest.count { makeRoom(for: index) }
        let latest = newest[index]
        guard latest.hazard != hazard else { return }
        newest[index] = (Int32(links.count), hazard)
        links.append((hazard, latest.link))
    }

    /// Adds parties up to `party`, without links. (Numbered on the reading thread, a party may
    /// come after others not linked yet.)
    @inline(never)
    private mutating func makeRoom(for party: Int) {
        let added = party + 1 - newest.count
        newest.makeRoomInHugePages(for: added)
        newest.append(contentsOf: repeatElement((link: Int32(-1), hazard: Int32(-1)), count: added))
    }

    /// How many links there are.
    var linkCount: Int { links.count }

    /// Starts bringing party `party`'s newest link into the cache.
    func prefetch(_ party: Int32) {
        newest.withUnsafeBufferPointer { newest in
            guard party >= 0, Int(party) < newest.count, let base = newest.baseAddress else { return }
            qingling_prefetch(base + Int(party))
        }
    }

    /// The hazards of party `party`, oldest link first.
    func hazards(of party: Int32) -> [Int32] {
        guard Int(party) < newest.count else { return [] }
        var result: [Int32] = []
        var link = newest[Int(party)].link
        while link >= 0 {
            result.append(links[Int(link)].hazard)
            link = links[Int(link)].previous
        }
        return result.reversed()
    }

    /// Writes the links as they lie.
    func write(to out: inout BinaryWriter) {
        out.array(newest)
        out.array(links)
    }

    /// The links `write(to:)` wrote, checked (else the checkpoint's damage, naming `part`): at
    /// most `parties` parties; every link to one of `hazards` hazards and pointing back to an
    /// earlier link; and the links in separate chains, one for each party with links, from that
    /// party's newest link, as a fold leaves them. So listing a party's hazards ends, costs no
    /// more than its links, and lists hazards that exist.
    ///
    /// The chains are checked without walking them (a walk jumps about the whole array): no
    /// link is the one before two others, so the links form separate chains, each starting at a
    /// link that is no other's previous; and those starts are exactly the parties' newest links,
    /// each one party's.
    init(checkpoint input: inout CheckpointReader, parties: Int, hazards: Int, part: CheckpointDamage.Part) throws(CheckpointDamage) {
        newest = try input.array(of: (link: Int32, hazard: Int32).self)
        links = try input.array(of: (hazard: Int32, previous: Int32).self)
        guard newest.count <= parties, links.count <= Int(Int32.max) else { throw .inconsistent(part, at: newest.count, .wrongCount) }
        var followed = [Bool](repeating: false, count: links.count)  // the previous of another link
        var starts = links.count
        for (index, link) in links.enumerated() {
            guard link.hazard >= 0, Int(link.hazard) < hazards else { throw .inconsistent(part, at: index, .indexOutOfRange) }
            guard link.previous >= -1, Int(link.previous) < index else { throw .inconsistent(part, at: index, .linkOrder) }
            guard link.previous >= 0 else { continue }
            guard !followed[Int(link.previous)] else { throw .inconsistent(part, at: index, .linkOrder) }
            followed[Int(link.previous)] = true
            starts -= 1
        }
        for (party, latest) in newest.enumerated() where latest != (-1, -1) {
            guard latest.link >= 0, Int(latest.link) < links.count, links[Int(latest.link)].hazard == latest.hazard else {
                throw .inconsistent(part, at: party, .indexOutOfRange)
            }
            // A start, now taken: a second party with it, or a link inside a chain, fails here.
            guard !followed[Int(latest.link)] else { throw .inconsistent(part, at: party, .linkOrder) }
            followed[Int(latest.link)] = true
            starts -= 1
        }
        guard starts == 0 else { throw .inconsistent(part, at: followed.firstIndex(of: false) ?? 0, .linkOrder) }
    }
}
