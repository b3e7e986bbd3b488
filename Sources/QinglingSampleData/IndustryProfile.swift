/// What the sample data knows of one industry: how common its hazards are, how its businesses
/// are named, the hazards of its criteria, and the law its penalties cite.
struct IndustryProfile: Sendable {
    /// Relative share of enterprises (and so of hazards) in the industry.
    let weight: Double
    /// Endings of business names, e.g. `烟花爆竹有限公司`; `individual` marks 个体工商户 (credit
    /// codes starting `92`).
    let nameEndings: [(ending: String, individual: Bool)]
    /// Hazards under the industry's criteria.
    let hazards: [HazardEntry]
    /// What a tip-off says, after "…反映<region>".
    let tipOff: String
    /// The legal basis of its penalties.
    let legalBasis: String
    /// Funds a rectification typically costs, in yuan.
    let fundsYuan: ClosedRange<Int>
    /// Regions where the industry concentrates, with weight multipliers (names not in the
    /// county's reference data are ignored).
    let regionHints: [String: Double]
}

/// One kind of hazard: the clause of the criteria it meets, how it is described, how it is fixed.
struct HazardEntry: Sendable {
    let clause: String
    let description: String
    let measures: String
}
