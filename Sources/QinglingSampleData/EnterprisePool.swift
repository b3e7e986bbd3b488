import QinglingEvents

/// A business of the county, as the sample data uses it.
struct Enterprise {
    let ref: EnterpriseRef
    let region: Region
    /// The industry's index in the reference data, its name and profile.
    let industryIndex: Int
    let industry: String
    let profile: IndustryProfile
    /// 主要负责人.
    let principal: PersonRef
    /// 实际控制人, for about a third of businesses.
    let controller: PersonRef?
    /// 安全管理员: records self-checks and most rectifications.
    let safetyOfficer: PersonRef

    var organization: OrganizationRef { OrganizationRef(kind: .enterprise, id: ref.creditCode, name: ref.name) }
}

/// The county's businesses: `count` of them, each a pure function of the seed and its index,
/// so the pool costs no memory whatever its size. Industry and region follow the weights of
/// `HazardCatalog`; credit codes are valid (GB 32100-2015) and distinct.
struct EnterprisePool {
    let count: Int
    let seed: UInt64
    let reference: ReferenceData
    let staff: Staff
    let cast: Cast
    private let industryWeights: [Double]
    /// Per industry, the weight of each region.
    private let regionWeights: [[Double]]
    /// 31^6: the room of the six encoded characters of a credit code.
    private static let codeSpace = 887_503_681

    init(count: Int, seed: UInt64, cast: Cast) {
        self.count = max(1, min(count, EnterprisePool.codeSpace))
        self.seed = seed
        self.cast = cast
        reference = cast.reference
        staff = cast.staff
        industryWeights = cast.profiles.map(\.weight)
        let base = cast.reference.regions.map(EnterprisePool.baseRegionWeight)
        regionWeights = cast.profiles.map { profile in
            zip(cast.reference.regions, base).map { region, weight in weight * (profile.regionHints[region.name] ?? 1) }
        }
    }

    /// Subdistricts and the high-tech zone host more businesses than rural towns.
    private static func baseRegionWeight(_ region: Region) -> Double {
        if region.name.hasSuffix("街道") { return 2.0 }
        if region.name.hasSuffix("区") { return 2.2 }
        return 1.0
    }

    /// A business, skewed so that some have several hazards over the years.
    func pick(_ rng: inout SplitMix64) -> Enterprise {
        let u = rng.unit()
        return enterprise(min(count - 1, Int(u * u.squareRoot().squareRoot() * Double(count))))
    }

    /// Business number `index` (0..<count).
    func enterprise(_ index: Int) -> Enterprise {
        var rng = SplitMix64(seed: seed, stream: 0xE_0000_0000 &+ UInt64(index))
        let industry = rng.weighted(industryWeights)
        let profile = cast.profiles[industry]
        let region = reference.regions[rng.weighted(regionWeights[industry])]
        let ending = rng.pick(profile.nameEndings)
        let place = !region.name.hasSuffix("区") && rng.chance(0.45) ? region.name : ""
        let name = reference.county + place + rng.pick(Phrases.tradeNames) + ending.ending
        let code = creditCode(index: index, individual: ending.individual)
        return Enterprise(
            ref: EnterpriseRef(creditCode: code, name: name), region: region,
            industryIndex: industry, industry: reference.industries[industry], profile: profile,
            principal: staff.person(of: code, role: "fzr"),
            controller: rng.chance(0.3) ? staff.person(of: code, role: "kzr") : nil,
            safetyOfficer: staff.person(of: code, role: "aqy"))
    }

    /// `91` (enterprise) or `92` (个体工商户), the division code, `MA4`, six characters that
    /// encode the index bijectively (so codes never repeat), and the check character.
    private func creditCode(index: Int, individual: Bool) -> String {
        let alphabet = EnterprisePool.alphabet
        let space = UInt64(EnterprisePool.codeSpace)
        var value = (UInt64(index) &* 1_000_003 &+ SplitMix64.mix(seed) % space) % space
        var encoded: [Character] = []
        for _ in 0..<6 {
            encoded.append(alphabet[Int(value % 31)])
            value /= 31
        }
        let first17 = (individual ? "92" : "91") + reference.divisionCode + "MA4" + String(encoded.reversed())
        return CreditCode.withCheckCharacter(first17) ?? EnterprisePool.fallbackCode
    }

    private static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")

    /// A valid code used only if the reference data's division code is not six digits.
    static let fallbackCode = "91430682MA4L2K7P83"
}
