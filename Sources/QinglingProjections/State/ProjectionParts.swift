/// The parts of a `ProjectionState` beyond what every state holds (the hazards' timelines, the
/// names they use and the log position covered). A state loaded from a checkpoint for one query
/// holds only the parts that query reads (each query's `needs`), so that an answer reads a
/// fraction of the checkpoint; a state folded from the log holds them all. A state with the
/// hazards' ids is folded into, each part it holds kept current, those it lacks left out.
public struct ProjectionParts: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The hazards' ids (`ProjectionState.hazardId(_:)`, `hazard(_:)`).
    public static let hazardIds = ProjectionParts(rawValue: 1 << 0)
    /// The persons who act or answer for hazards: the responsible persons' ids
    /// (`enterprisePrincipal(of:)`, `departmentOfficer(of:)`).
    public static let persons = ProjectionParts(rawValue: 1 << 1)
    /// The organisations, and each person's and organisation's hazards (`hazards(ofParty:)`).
    public static let partyLinks = ProjectionParts(rawValue: 1 << 2)
    /// Penalty totals and tip-offs (`penalties`, `tipOffs`).
    public static let enforcement = ProjectionParts(rawValue: 1 << 3)

    /// Every part: what a checkpoint's save and its audit need.
    public static let all: ProjectionParts = [.hazardIds, .persons, .partyLinks, .enforcement]

    /// What a state needs to be folded into: the hazards' ids, by which an event finds the
    /// hazard it acts on.
    public static let foldable: ProjectionParts = [.hazardIds]
}
