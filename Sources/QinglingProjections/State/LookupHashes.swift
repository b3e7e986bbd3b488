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
        /// The persons' ids, and the labels (`name (id)`) of those the timeline keeps; 0 for
        /// a person not named.
        var principal: UInt64
        var principalLabel: UInt64
        var controller: UInt64
        var officer: UInt64
        var officerLabel: UInt64
        var town: UInt64
    }

    /// The hashes for `view`; `scratch` is where labels are put together.
    init(_ view: EventView, scratch: inout [UInt8]) {
        person = ByteTable.hash(view[view.personId])
        organization = ByteTable.hash(view[view.organizationId])
        guard case .hazardSupervised(_, let departmentId, let departmentName, _, let principal, let controller, let officer, let town) = view.body else {
            supervision = nil
            return
        }
        func label(_ person: EventView.Person) -> UInt64 {
            let count = Self.writeLabel(name: view[person.name], id: view[person.id], to: &scratch)
            return scratch.withUnsafeBytes { ByteTable.hash(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
        }
        supervision = Supervision(department: ByteTable.hash(view[departmentId]), departmentName: ByteTable.hash(view[departmentName]),
                                  principal: principal.map { ByteTable.hash(view[$0.id]) } ?? 0, principalLabel: principal.map(label) ?? 0,
                                  controller: controller.map { ByteTable.hash(view[$0.id]) } ?? 0,
                                  officer: ByteTable.hash(view[officer.id]), officerLabel: label(officer), town: ByteTable.hash(view[town.id]))
    }

    /// Puts `name (id)`, how a person appears in the projections (a person's name and id, as
    /// an event holds them), at the start of `bytes` (which grows when too short: it is a
    /// scratch buffer kept from one event to the next); returns the label's length.
    static func writeLabel(name: UnsafeRawBufferPointer, id: UnsafeRawBufferPointer, to bytes: inout [UInt8]) -> Int {
        let count = name.count + id.count + 3
        if bytes.count < count { bytes += repeatElement(0, count: count - bytes.count) }
        bytes.withUnsafeMutableBytes { label in
            label.copyMemory(from: name)
            label[name.count] = UInt8(ascii: " ")
            label[name.count + 1] = UInt8(ascii: "(")
            UnsafeMutableRawBufferPointer(rebasing: label[(name.count + 2)...]).copyMemory(from: id)
            label[count - 1] = UInt8(ascii: ")")
        }
        return count
    }
}
