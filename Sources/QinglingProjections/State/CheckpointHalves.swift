import QinglingEvents

/// The first half of a checkpoint's body: the interned names, the persons and the hazards'
/// timelines (what the hazards' records are checked against).
struct HazardHalf {
    var names: KeyNumbering
    var persons: KeyNumbering
    var hazards: [HazardTimeline]

    static func write(_ state: ProjectionState, to out: inout BinaryWriter) {
        state.names.write(to: &out)
        state.partyNumbering.persons.write(to: &out)
        HazardTimeline.write(state.hazards, to: &out)
    }

    init(checkpoint input: inout CheckpointReader) throws(CheckpointDamage) {
        names = try KeyNumbering(checkpoint: &input, part: .names)
        persons = try KeyNumbering(checkpoint: &input, part: .persons)
        hazards = try HazardTimeline.read(&input, names: names.count, persons: persons.count)
        guard input.isAtEnd else { throw .bytesLeftOver(input.remaining) }
    }
}

/// The second half: the organisations, the hazards' ids, the party links, the penalty totals
/// and the tip-offs, checked against the numbers of events, hazards and persons the header
/// gives.
struct PartyHalf {
    var organizations: KeyNumbering
    var numbering: HazardNumbering
    var personLinks: PartyLinks
    var organizationLinks: PartyLinks
    var penalties: [PenaltyKey: PenaltyTotal]
    var tipOffs: [String: TipOffSummary]

    static func write(_ state: ProjectionState, to out: inout BinaryWriter) {
        state.partyNumbering.organizations.write(to: &out)
        state.hazardNumbering.write(to: &out)
        state.personLinks.write(to: &out)
        state.organizationLinks.write(to: &out)
        EnforcementCheckpoint.write(penalties: state.penalties, tipOffs: state.tipOffs, to: &out)
    }

    init(checkpoint input: inout CheckpointReader, events: UInt64, hazards: Int, persons: Int) throws(CheckpointDamage) {
        organizations = try KeyNumbering(checkpoint: &input, part: .organizations)
        numbering = try HazardNumbering(checkpoint: &input)
        guard numbering.count == hazards else { throw .inconsistent(.hazardIds, at: numbering.count, .wrongCount) }
        personLinks = try PartyLinks(checkpoint: &input, parties: persons, hazards: hazards, part: .personLinks)
        organizationLinks = try PartyLinks(checkpoint: &input, parties: organizations.count, hazards: hazards, part: .organizationLinks)
        (penalties, tipOffs) = try EnforcementCheckpoint.read(&input, events: events)
        guard input.isAtEnd else { throw .bytesLeftOver(input.remaining) }
    }
}
