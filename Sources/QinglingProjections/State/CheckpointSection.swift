import QinglingEvents

/// The sections of a checkpoint, in the order they follow its preamble. Each has its own
/// length and CRC-32C in the preamble, so that a query reads and checks only the sections it
/// needs (`needed(for:)`).
public enum CheckpointSection: Int, CaseIterable, Sendable, CustomStringConvertible {
    /// The log position covered and the counts the other sections are checked against.
    case summary
    /// The interned names (regions, industries, departments, responsible persons' names).
    case names
    /// The persons' ids.
    case persons
    /// The hazards' timelines: their records, then their later steps.
    case timelines
    /// The organisations' ids.
    case organizations
    /// The hazards' ids.
    case hazardIds
    /// Each person's hazards (`PartyLinks`).
    case personLinks
    /// Each organisation's hazards.
    case organizationLinks
    /// Penalty totals and tip-offs.
    case enforcement
    /// The clearance figures of every calendar period (`CalendarFigures`): read by a warm
    /// `stats` with the names alone (`CheckpointLayout.keptFigures`), and checked with a whole
    /// state; never part of one.
    case calendarFigures

    /// The sections a state holding `parts` is read from (party links need the persons too);
    /// with every part, every section is read and checked, the calendar figures too (a state
    /// does not hold them: `CheckpointLayout.keptFigures` reads them for `stats`).
    static func needed(for parts: ProjectionParts) -> [CheckpointSection] {
        guard parts != .all else { return allCases }
        var sections: [CheckpointSection] = [.summary, .names, .timelines]
        if parts.contains(.hazardIds) { sections.append(.hazardIds) }
        if parts.contains(.persons) || parts.contains(.partyLinks) { sections.append(.persons) }
        if parts.contains(.partyLinks) { sections += [.organizations, .personLinks, .organizationLinks] }
        if parts.contains(.enforcement) { sections.append(.enforcement) }
        return sections
    }

    public var description: String {
        switch self {
        case .summary: return "summary"
        case .names: return "names"
        case .persons: return "persons"
        case .timelines: return "timelines"
        case .organizations: return "organizations"
        case .hazardIds: return "hazard ids"
        case .personLinks: return "person links"
        case .organizationLinks: return "organization links"
        case .enforcement: return "enforcement"
        case .calendarFigures: return "calendar figures"
        }
    }
}

/// The summary section: the log position a checkpoint covers and the counts of what the other
/// sections hold, so that each section is checked without reading another.
struct CheckpointSummary: Equatable {
    var nextSequence: UInt64
    var lastEventHash: [UInt8]
    var lastRecordedAt: Int64
    var latestBusinessDate: CalendarDate?
    var names: Int
    var persons: Int
    var organizations: Int
    var hazards: Int

    init(_ state: ProjectionState) {
        nextSequence = state.nextSequence
        lastEventHash = state.lastEventHash
        lastRecordedAt = state.lastRecordedAt
        latestBusinessDate = state.latestBusinessDate
        names = state.names.count
        persons = state.partyNumbering.persons.count
        organizations = state.partyNumbering.organizations.count
        hazards = state.hazards.count
    }

    func write(to out: inout BinaryWriter) {
        out.unsigned(nextSequence)
        out.rawBytes(lastEventHash)
        out.signed(lastRecordedAt)
        out.optional(latestBusinessDate) { $0.date($1) }
        for count in [names, persons, organizations, hazards] { out.unsigned(UInt64(count)) }
    }

    init(checkpoint input: inout CheckpointReader) throws(CheckpointDamage) {
        nextSequence = try input.unsigned()
        lastEventHash = try input.rawBytes()
        lastRecordedAt = try input.signed()
        latestBusinessDate = try input.optional { (r: inout CheckpointReader) throws(CheckpointDamage) in try r.date() }
        names = try input.integer()
        persons = try input.integer()
        organizations = try input.integer()
        hazards = try input.integer()
        guard input.isAtEnd else { throw .bytesLeftOver(input.remaining) }
    }
}
