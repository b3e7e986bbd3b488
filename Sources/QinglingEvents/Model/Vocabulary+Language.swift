/// The vocabularies' names in either language (`Language`): Chinese (`label`) or English.
/// The interchange form's codes (`rawValue`) stay as they are in JSON.

extension OrganizationKind {
    /// The kind's name in `lang`.
    public func text(_ lang: Language) -> String {
        guard lang == .en else { return label }
        return switch self {
        case .enterprise: "enterprise"
        case .town: "town"
        case .department: "department"
        case .committee: "safety committee office"
        }
    }
}

extension HazardSource {
    /// The source's name in `lang`.
    public func text(_ lang: Language) -> String {
        guard lang == .en else { return label }
        return switch self {
        case .selfCheck: "self-check"
        case .expertDiagnosis: "expert diagnosis"
        case .peerCheck: "peer check"
        case .departmentInspection: "department inspection"
        case .enforcementInspection: "enforcement inspection"
        case .tipOff: "tip-off"
        case .unannouncedVisit: "unannounced visit"
        case .assignedByHigherLevel: "assigned by a higher level"
        }
    }
}

extension SupervisionLevel {
    /// The level's name in `lang`.
    public func text(_ lang: Language) -> String {
        switch self {
        case .none: lang.pick(zh: "未挂牌", en: "not listed")
        case .county: lang.pick(zh: "县级挂牌督办", en: "county listing")
        case .prefecture: lang.pick(zh: "市级挂牌督办", en: "prefecture listing")
        case .province: lang.pick(zh: "省级挂牌督办", en: "province listing")
        }
    }
}

extension VerificationOutcome {
    /// The outcome's name in `lang`.
    public func text(_ lang: Language) -> String {
        switch self {
        case .passed: lang.pick(zh: "通过", en: "passed")
        case .failed: lang.pick(zh: "未通过", en: "failed")
        }
    }
}

extension EscalationLevel {
    /// The level's name in `lang`.
    public func text(_ lang: Language) -> String {
        lang.pick(zh: label, en: rawValue)
    }
}

extension PenaltyKind {
    /// The kind's name in `lang`.
    public func text(_ lang: Language) -> String {
        guard lang == .en else { return label }
        return switch self {
        case .warning: "warning"
        case .fine: "fine"
        case .suspension: "suspension"
        case .closure: "closure"
        case .licenceRevoked: "licence revoked"
        case .industryBan: "industry ban"
        case .criminalReferral: "criminal referral"
        }
    }
}

extension TipOffChannel {
    /// The channel's name in `lang`.
    public func text(_ lang: Language) -> String {
        switch self {
        case .hotline: lang.pick(zh: "热线电话", en: "hotline")
        case .online: lang.pick(zh: "网络", en: "online")
        case .letter: lang.pick(zh: "来信", en: "letter")
        case .visit: lang.pick(zh: "来访", en: "visit")
        case .other: lang.pick(zh: "其他", en: "other")
        }
    }
}

extension EventType {
    /// The type's name in `lang`.
    public func text(_ lang: Language) -> String {
        guard lang == .en else { return label }
        return switch self {
        case .hazardReported: "reported"
        case .hazardSupervised: "supervised"
        case .deadlineExtended: "deadline extended"
        case .hazardRectified: "rectified"
        case .hazardVerified: "verified"
        case .hazardClosed: "closed"
        case .hazardReopened: "reopened"
        case .hazardWithdrawn: "withdrawn"
        case .escalationIssued: "escalation"
        case .penaltyImposed: "penalty"
        case .tipOffReceived: "tip-off received"
        case .rewardPaid: "reward paid"
        case .reporterKeyDestroyed: "reporter identity destroyed"
        }
    }
}

/// The English names of the industries of the national major-hazard criteria
/// (重大事故隐患判定标准), for English output; another county's own industry keeps its name.
public enum IndustryNames {
    /// The industry's name in `lang`.
    public static func text(_ name: String, _ lang: Language) -> String {
        lang == .zh ? name : english[name] ?? name
    }

    static let english = [
        "燃气": "gas", "消防": "fire safety", "道路运输": "road transport", "水上交通": "waterway transport",
        "建筑施工": "construction", "危险化学品": "hazardous chemicals", "烟花爆竹": "fireworks", "民爆": "civil explosives",
        "工贸": "industry and trade", "非煤矿山": "non-coal mines", "特种设备": "special equipment", "其他": "other",
    ]
}
