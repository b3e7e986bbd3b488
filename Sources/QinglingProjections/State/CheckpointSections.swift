import QinglingEvents

/// What a checkpoint's section other than the summary holds, read and checked against the
/// summary's counts (`CheckpointLayout.state(parts:read:mapped:)`).
enum DecodedSection {
    case names(KeyNumbering)
    case persons(KeyNumbering)
    case timelines([HazardTimeline])
    case organizations(KeyNumbering)
    case hazardIds(HazardNumbering)
    case personLinks(PartyLinks)
    case organizationLinks(PartyLinks)
    case enforcement([PenaltyKey: PenaltyTotal], [String: TipOffSummary])
    case calendarFigures(CalendarFigures)

    /// Reads `section` from `input`, all of whose bytes it must take.
    init(_ section: CheckpointSection, from input: inout CheckpointReader, summary: CheckpointSummary) throws(CheckpointDamage) {
        func counted(_ numbering: KeyNumbering, _ count: Int, _ part: CheckpointDamage.Part) throws(CheckpointDamage) -> KeyNumbering {
            guard numbering.count == count else { throw .inconsistent(part, at: numbering.count, .wrongCount) }
            return numbering
        }
        switch section {
        case .summary: throw .notACheckpoint  // read before any other (`CheckpointLayout`)
        case .names: self = .names(try counted(KeyNumbering(checkpoint: &input, part: .names), summary.names, .names))
        case .persons: self = .persons(try counted(KeyNumbering(checkpoint: &input, part: .persons), summary.persons, .persons))
        case .organizations:
            self = .organizations(try counted(KeyNumbering(checkpoint: &input, part: .organizations), summary.organizations, .organizations))
        case .timelines:
            let hazards = try HazardTimeline.read(&input, names: summary.names, persons: summary.persons)
            guard hazards.count == summary.hazards else { throw .inconsistent(.hazards, at: hazards.count, .wrongCount) }
            self = .timelines(hazards)
        case .hazardIds:
            let numbering = try HazardNumbering(checkpoint: &input)
            guard numbering.count == summary.hazards else { throw .inconsistent(.hazardIds, at: numbering.count, .wrongCount) }
            self = .hazardIds(numbering)
        case .personLinks:
            self = .personLinks(try PartyLinks(checkpoint: &input, parties: summary.persons, hazards: summary.hazards, part: .personLinks))
        case .organizationLinks:
            self = .organizationLinks(try PartyLinks(checkpoint: &input, parties: summary.organizations, hazards: summary.hazards,
                                                     part: .organizationLinks))
        case .enforcement:
            let (penalties, tipOffs) = try EnforcementCheckpoint.read(&input, events: summary.nextSequence)
            self = .enforcement(penalties, tipOffs)
        case .calendarFigures:
            self = .calendarFigures(try CalendarFigures(checkpoint: &input, names: summary.names, events: summary.nextSequence))
        }
        guard input.isAtEnd else { throw .bytesLeftOver(input.remaining) }
    }
}

/// The sections read, put together as a state; those not read are empty.
struct DecodedSections {
    private var names = KeyNumbering(), persons = KeyNumbering(), organizations = KeyNumbering()
    private var hazards: [HazardTimeline] = []
    private var hazardNumbering = HazardNumbering()
    private var personLinks = PartyLinks(), organizationLinks = PartyLinks()
    private var penalties: [PenaltyKey: PenaltyTotal] = [:]
    private var tipOffs: [String: TipOffSummary] = [:]

    mutating func add(_ section: DecodedSection) {
        switch section {
        case .names(let value): names = value
        case .persons(let value): persons = value
        case .timelines(let value): hazards = value
        case .organizations(let value): organizations = value
        case .hazardIds(let value): hazardNumbering = value
        case .personLinks(let value): personLinks = value
        case .organizationLinks(let value): organizationLinks = value
        case .enforcement(let penalties, let tipOffs): (self.penalties, self.tipOffs) = (penalties, tipOffs)
        case .calendarFigures: break  // read with every part, held by no state
        }
    }

    func state(parts: ProjectionParts, summary: CheckpointSummary) -> ProjectionState {
        var numbering = PartyNumbering()
        numbering.persons = persons
        numbering.organizations = organizations
        return ProjectionState(parts: parts, nextSequence: summary.nextSequence, lastEventHash: summary.lastEventHash,
                               lastRecordedAt: summary.lastRecordedAt, latestBusinessDate: summary.latestBusinessDate, names: names,
                               partyNumbering: numbering, hazards: hazards, hazardNumbering: hazardNumbering, personLinks: personLinks,
                               organizationLinks: organizationLinks, penalties: penalties, tipOffs: tipOffs)
    }
}
