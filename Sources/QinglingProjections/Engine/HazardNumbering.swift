import QinglingEvents

/// Hazard ids to their numbers, the indexes of `ProjectionState.hazards`, given in report
/// order. An id of the workflow's form is kept only in `HazardSeriesIndex`, which finds it by
/// its own number and writes it back; any other id (or one out of its series' range) in a
/// table. A replay numbers a chunk's hazards on its folding thread before folding the chunk
/// (`FoldChunk.numberHazards`), so that the fold can prefetch each event's timeline entry.
struct HazardNumbering: Sendable {
    private var series = HazardSeriesIndex()
    /// The ids the series do not keep, and the hazard of each, by the table's own number.
    private var ids = ByteTable()
    private var tableHazards: [Int32] = []
    /// Per hazard, where its id is kept: its `HazardSeriesIndex.Spot`, or `inTable` or-ed with
    /// its number in `ids`.
    private var origins: [UInt32] = []
    private static let inTable: UInt32 = 1 << 31

    init() {}

    /// How many hazards are numbered.
    var count: Int { origins.count }

    /// Numbers a newly reported hazard `id` (at `position`, its `HazardSeriesIndex.position`,
    /// when of the workflow's form): its number, or `nil` when the id was numbered before.
    /// Throws when an id kept as a string (not of the workflow's form, which is ASCII) is not
    /// valid UTF-8.
    mutating func numberReported(_ id: UnsafeRawBufferPointer, at position: HazardSeriesIndex.Position?) throws(EngineError) -> Int32? {
        guard position != nil || String.isValidUTF8(id) else { throw .notUTF8 }
        return add(id, at: position)
    }

    /// Numbers the hazard `id` (at `position` when of the workflow's form) unless already
    /// numbered; returns its number, or `nil` when it was.
    private mutating func add(_ id: UnsafeRawBufferPointer, at position: HazardSeriesIndex.Position?) -> Int32? {
        guard find(id, at: position) == nil else { return nil }
        let index = Int32(origins.count)
        if let position, let spot = series.remember(position, as: index) {
            origins.append(spot.bits)
        } else {
            if let position { series.noteElsewhere(position) }
            origins.append(Self.inTable | UInt32(ids.add(id).index))
            tableHazards.append(index)
        }
        return index
    }

    /// The number of the hazard with `id`, if reported: by its own number when it has the
    /// workflow's form (at `position`, when already known), else (or when its series may have
    /// left it there) in the table.
    @inline(__always)
    mutating func find(_ id: UnsafeRawBufferPointer, at known: HazardSeriesIndex.Position?) -> Int32? {
        if let position = known ?? HazardSeriesIndex.position(of: id) {
            if let found = series.number(at: position) { return found }
            guard series.mayBeElsewhere(position) else { return nil }
        }
        guard ids.count > 0, let entry = ids.index(of: id) else { return nil }
        return tableHazards[Int(entry)]
    }

    /// Starts bringing the look-up of the id at `position` into the cache.
    mutating func prefetch(_ position: HazardSeriesIndex.Position) { series.prefetch(position) }

    /// The number of the hazard with `id`, if reported.
    func number(of id: String) -> Int32? {
        var id = id, numbering = self  // a copy, sharing the arrays: a look-up notes the series it used
        return id.withUTF8 { numbering.find(UnsafeRawBufferPointer($0), at: nil) }
    }

    /// The id of hazard `index` (`0..<count`).
    func id(at index: Int32) -> String {
        let origin = origins[Int(index)]
        guard origin & Self.inTable == 0 else { return ids.key(at: Int32(origin & ~Self.inTable)) }
        return series.id(at: HazardSeriesIndex.Spot(bits: origin))
    }

    /// Makes room for `count` hazards in all.
    mutating func reserveCapacity(_ count: Int) { origins.reserveCapacity(count) }

    /// Writes where each hazard's id is kept, the series and the table.
    func write(to out: inout BinaryWriter) {
        out.array(origins)
        series.write(to: &out)
        ids.write(to: &out)
        out.array(tableHazards)
    }

    /// The numbering `write(to:)` wrote, checked (else the checkpoint's damage): each hazard's
    /// id kept in exactly one place, a series' element or the table's, which names it back, and
    /// an id of the workflow's form kept in the table only where its series sends a look-up
    /// there. So every hazard has an id, and finding an id gives the hazard it was given to.
    init(checkpoint input: inout CheckpointReader) throws(CheckpointDamage) {
        origins = try input.array(of: UInt32.self)
        guard origins.count <= Int(Int32.max) else { throw .inconsistent(.hazardIds, at: origins.count, .wrongCount) }
        series = try HazardSeriesIndex(checkpoint: &input, hazards: origins.count)
        ids = try ByteTable(checkpoint: &input, part: .hazardIds)
        tableHazards = try input.array(of: Int32.self)
        guard tableHazards.count == ids.count, series.filledCount + ids.count == origins.count else {
            throw .inconsistent(.hazardIds, at: origins.count, .wrongCount)
        }
        for (hazard, origin) in origins.enumerated() {
            let named = origin & Self.inTable != 0
                ? Int(origin & ~Self.inTable) < tableHazards.count ? tableHazards[Int(origin & ~Self.inTable)] : nil
                : series.number(atSpot: HazardSeriesIndex.Spot(bits: origin))
            guard named == Int32(hazard) else { throw .inconsistent(.hazardIds, at: hazard, .misplacedKey) }
        }
        for entry in 0..<ids.count {
            var id = ids.key(at: Int32(entry))
            let position = id.withUTF8 { HazardSeriesIndex.position(of: UnsafeRawBufferPointer($0)) }
            if let position, !series.leavesElsewhere(position) { throw .inconsistent(.hazardIds, at: Int(tableHazards[entry]), .misplacedKey) }
        }
    }
}
