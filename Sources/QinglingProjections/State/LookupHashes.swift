import QinglingEvents

/// The `ByteTable.hash` of every person and organisation id an event names. A replay computes
/// them on its reading thread as it reads the event, so that numbering the parties
/// (`EventNumbering`) starts its look-ups' memory accesses a few events ahead.
struct LookupHashes {
    /// The actor's person and organisation ids.
    var person: UInt64
    var organization: UInt64
    /// For a supervision, what it names.
    var supervision: Supervision?

    struct Supervision {
        /// The lead department's id.
        var department: UInt64
        /// The persons' ids; 0 for a person not named.
        var principal: UInt64
        var controller: UInt64
        var officer: UInt64
        var town: UInt64
    }

    /// The hashes for `view`.
    init(_ view: EventView) {
        person = ByteTable.hash(view[view.personId])
        organization = ByteTable.hash(view[view.organizationId])
        guard case .hazardSupervised(_, let departmentId, _, _, let principal, let controller, let officer, let town) = view.body else {
            supervision = nil
            return
        }
        supervision = Supervision(department: ByteTable.hash(view[departmentId]), principal: principal.map { ByteTable.hash(view[$0.id]) } ?? 0,
                                  controller: controller.map { ByteTable.hash(view[$0.id]) } ?? 0, officer: ByteTable.hash(view[officer.id]),
                                  town: ByteTable.hash(view[town.id]))
    }

}
