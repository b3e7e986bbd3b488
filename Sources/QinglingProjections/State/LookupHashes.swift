import QinglingEvents

/// The `ByteTable.hash` of every id and name that folding an event looks up. A replay computes
/// them on its reading thread, where the event's bytes are in cache, so that the fold skips the
/// hashing and starts its look-ups' memory accesses a few events ahead (`ProjectionState.prefetch`).
struct LookupHashes {
    /// The actor's person and organisation ids.
    var person: UInt64
    var organization: UInt64
    /// For a supervision, what it names.
    var supervision: Supervision?

    struct Supervision {
        /// The lead department's id and name.
        var department: UInt64
        var departmentName: UInt64
        /// The persons' ids, and the names of those the timeline keeps; 0 for a person not
        /// named.
        var principal: UInt64
        var principalName: UInt64
        var controller: UInt64
        var officer: UInt64
        var officerName: UInt64
        var town: UInt64
    }

    /// The hashes for `view`.
    init(_ view: EventView) {
        person = ByteTable.hash(view[view.personId])
        organization = ByteTable.hash(view[view.organizationId])
        guard case .hazardSupervised(_, let departmentId, let departmentName, _, let principal, let controller, let officer, let town) = view.body else {
            supervision = nil
            return
        }
        supervision = Supervision(department: ByteTable.hash(view[departmentId]), departmentName: ByteTable.hash(view[departmentName]),
                                  principal: principal.map { ByteTable.hash(view[$0.id]) } ?? 0, principalName: principal.map { ByteTable.hash(view[$0.name]) } ?? 0,
                                  controller: controller.map { ByteTable.hash(view[$0.id]) } ?? 0,
                                  officer: ByteTable.hash(view[officer.id]), officerName: ByteTable.hash(view[officer.name]), town: ByteTable.hash(view[town.id]))
    }

}
