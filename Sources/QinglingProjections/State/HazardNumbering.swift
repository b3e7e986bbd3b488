import QinglingEvents

/// Hazard ids to their numbers, the indexes of `ProjectionState.hazards`, given in report
/// order: every id is a key of a table, and most are also found by their own number
/// (`HazardSeriesIndex`). A replay numbers a chunk's hazards on its folding thread before
/// folding the chunk (`FoldChunk.numberHazards`), so that the fold can prefetch each event's
/// timeline entry.
struct HazardNumbering: Sendable {
    private var ids = ByteTable()
    private var series = HazardSeriesIndex()

    init() {}

    /// Appends to `numbers` the numbers of the hazards `view` acts on: for a report, the new
    /// hazard's (nothing when the id was reported before, which the workflow refuses); for any
    /// other event, the known hazards it names, in order (unknown ids are left out).
    /// `hazardHash` is the `ByteTable.hash` of a report's hazard id, and `position` the
    /// `HazardSeriesIndex.position` of another lifecycle event's, when already known.
    mutating func number(_ view: UnsafePointer<EventView>, hazardHash: UInt64? = nil, position: HazardSeriesIndex.Position? = nil,
                         into numbers: inout [Int32]) throws(EventDecodingError) {
        switch view.pointee.body {
        case .hazardReported(let hazard, _, _, _, _):
            let id = view.pointee[hazard]
            let (index, isNew) = ids.add(id, hash: hazardHash)
            guard isNew else { break }
            // The id is kept only here (`ProjectionState.hazardId`): it must be text.
            guard String.isValidUTF8(id) else { throw EventDecodingError(reason: "hazard id at byte \(hazard.start) is not valid UTF-8") }
            series.remember(id, as: index)
            numbers.append(index)
        case .hazardSupervised(let hazard, _, _, _, _, _, _, _), .deadlineExtended(let hazard, _), .hazardRectified(let hazard),
             .hazardVerified(let hazard, _), .hazardClosed(let hazard), .hazardReopened(let hazard, _), .hazardWithdrawn(let hazard):
            if let index = find(view.pointee[hazard], at: position) { numbers.append(index) }
        case .escalationIssued(_, _, let list), .penaltyImposed(_, _, let list, _):
            try view.pointee.forEach(in: list) { hazard in
                if let index = find(view.pointee[hazard], at: nil) { numbers.append(index) }
            }
        case .tipOffReceived, .rewardPaid:
            break
        }
    }

    /// The number of the hazard with `id`, if reported: by its own number when it has the
    /// workflow's form (at `position`, when already known), else (or when not found there) in
    /// the table.
    @inline(__always)
    private mutating func find(_ id: UnsafeRawBufferPointer, at position: HazardSeriesIndex.Position?) -> Int32? {
        (position.map { series.number(at: $0) } ?? series.number(of: id)) ?? ids.index(of: id)
    }

    /// Starts bringing the look-up of a report's id with `hash` into the cache
    /// (`ByteTable.prefetch`). (Mutating only so that the numbering loop, which holds the
    /// numbering in place, does not copy it, retaining its arrays, to call this.)
    mutating func prefetch(hash: UInt64, key: Bool) { ids.prefetch(hash: hash, key: key) }

    /// Starts bringing the look-up of the id at `position` into the cache.
    mutating func prefetch(_ position: HazardSeriesIndex.Position) { series.prefetch(position) }

    /// The number of the hazard with `id`, if reported.
    func number(of id: String) -> Int32? {
        ids.index(of: id)
    }

    /// Numbers the hazards of a restored state, in order.
    mutating func restore(_ hazardIds: [String]) throws(EventDecodingError) {
        ids.reserveCapacity(hazardIds.count)
        for id in hazardIds {
            let (index, isNew) = try ids.add(restoring: id, what: "a hazard id")
            guard isNew else { throw EventDecodingError(reason: "hazard \(id) is listed twice") }
            var id = id
            id.withUTF8 { series.remember(UnsafeRawBufferPointer($0), as: index) }
        }
    }

    /// The id of hazard `index` (`0..<count`).
    func id(at index: Int32) -> String { ids.key(at: index) }

    /// Makes room for `count` hazards in all.
    mutating func reserveCapacity(_ count: Int) { ids.reserveCapacity(count) }
}
