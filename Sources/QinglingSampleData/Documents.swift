import QinglingEvents

/// Builds the documents that several stories write: penalty decisions, tip-offs, rewards.
enum Documents {
    /// Kinds of penalty with their weights, for hazards found in inspections.
    static let penaltyKinds: [(PenaltyKind, Double)] = [
        (.fine, 62), (.warning, 12), (.suspension, 14), (.closure, 3), (.licenceRevoked, 3), (.industryBan, 2), (.criminalReferral, 4),
    ]

    /// A penalty decision of `department` on `enterprise`; fines of 5 000 to 50 000 yuan, a
    /// suspension with a fine half of the time, other kinds without money.
    static func penalty(on enterprise: Enterprise, by department: Department, on date: CalendarDate, kind: PenaltyKind? = nil,
                        hazardIds: [String], tipOffId: String?, numbering: Numbering, _ rng: inout SplitMix64) -> PenaltyImposed {
        let chosen = kind ?? penaltyKinds[rng.weighted(penaltyKinds.map(\.1))].0
        let fine = Int64(rng.int(5...50)) * 100_000
        let amount: Int64 = switch chosen {
        case .fine: fine
        case .suspension: rng.chance(0.5) ? fine : 0
        default: 0
        }
        return PenaltyImposed(enterprise: enterprise.ref, kind: chosen, amountFen: amount,
                              legalBasis: enterprise.profile.legalBasis,
                              caseNumber: numbering.caseNumber(department, year: date.components.year),
                              hazardIds: hazardIds, tipOffId: tipOffId)
    }

    /// A tip-off about a business of an industry (`profile`) in `region`.
    static func tipOff(id: String, profile: IndustryProfile, region: Region, _ rng: inout SplitMix64) -> TipOffReceived {
        let channels: [(TipOffChannel, Double)] = [(.hotline, 45), (.online, 30), (.letter, 10), (.visit, 10), (.other, 5)]
        let channel = channels[rng.weighted(channels.map(\.1))].0
        let summary = Phrases.tipOffOpening(channel) + region.name + profile.tipOff
        return TipOffReceived(tipOffId: id, channel: channel, summary: summary,
                              reporterPseudonym: rng.pick(Phrases.pseudonymStems) + rng.pick(Phrases.pseudonymMarks))
    }

    /// A reward of 1 000 to 30 000 yuan, in steps of 100 yuan.
    static func reward(_ tipOffId: String, _ rng: inout SplitMix64) -> RewardPaid {
        RewardPaid(tipOffId: tipOffId, amountFen: Int64(rng.int(10...300)) * 10_000)
    }
}
