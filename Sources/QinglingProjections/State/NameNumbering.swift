import QinglingEvents

/// The names the projections keep (regions, industries, lead departments, responsible
/// persons' names), interned: each numbered in the order first met and kept once, as a key of
/// its table. Few (a few thousand in a county), so their look-ups stay in cache. A replay runs
/// it on its folding thread, with the hazards' numbering (`FoldChunk.numberHazards`): the
/// reading thread, which numbers the parties, has the more work.
struct NameNumbering: Sendable {
    private var names = ByteTable()

    init() {}

    /// How many names are interned.
    var count: Int { names.count }

    /// The name numbered `index` (`0..<count`).
    func name(at index: Int32) -> String { names.key(at: index) }

    /// Sets the numbers of the names `view` holds in `numbers` (a report's region and
    /// industry; a supervision's lead department and the names of its principal and officer).
    /// Every name an event holds is interned, whether or not the fold keeps it.
    mutating func number(_ view: UnsafePointer<EventView>, into numbers: inout EventNumbers) throws(EventDecodingError) {
        switch view.pointee.body {
        case .hazardReported(_, let region, let industry, _, _):
            numbers.region = try intern(view.pointee[region])
            numbers.industry = try intern(view.pointee[industry])
        case .hazardSupervised(_, _, let departmentName, _, let principal, _, let officer, _):
            numbers.lead = try intern(view.pointee[departmentName])
            if let principal { numbers.principalName = try intern(view.pointee[principal.name]) }
            numbers.officerName = try intern(view.pointee[officer.name])
        default:
            return
        }
    }

    /// The number of `name`, interning it when new (a new name is checked as UTF-8 first).
    private mutating func intern(_ name: UnsafeRawBufferPointer) throws(EventDecodingError) -> Int32 {
        let hash = ByteTable.hash(name)
        if let index = names.index(of: name, hash: hash) { return index }
        guard String.isValidUTF8(name) else { throw EventDecodingError(reason: "name is not valid UTF-8") }
        return names.add(name, hash: hash).index
    }

    /// Interns `name`, one of a restored state's; throws when it was interned before or is
    /// longer than a table takes.
    mutating func restore(_ name: String) throws(EventDecodingError) {
        guard try names.add(restoring: name, what: "a name").isNew else { throw EventDecodingError(reason: "name \(name) is listed twice") }
    }
}
