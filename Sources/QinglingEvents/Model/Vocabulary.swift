/// The closed vocabularies of the domain. Raw values are the interchange form's codes; `label`
/// is the Chinese name used in tables and reports.

/// Who acts: the four kinds of organisation of `domain.md`.
public enum OrganizationKind: String, CaseIterable, Sendable {
    case enterprise, town, department, committee

    public var label: String {
        switch self {
        case .enterprise: "生产经营单位"
        case .town: "属地镇（街道）"
        case .department: "行业主管部门"
        case .committee: "市安委办"
        }
    }
}

/// How a hazard came to light.
public enum HazardSource: String, CaseIterable, Sendable {
    case selfCheck, expertDiagnosis, peerCheck, departmentInspection, enforcementInspection
    case tipOff, unannouncedVisit, assignedByHigherLevel

    public var label: String {
        switch self {
        case .selfCheck: "企业自查"
        case .expertDiagnosis: "专家诊查"
        case .peerCheck: "行业互查"
        case .departmentInspection: "部门检查"
        case .enforcementInspection: "执法检查"
        case .tipOff: "举报"
        case .unannouncedVisit: "暗访"
        case .assignedByHigherLevel: "上级交办"
        }
    }
}

/// 挂牌督办 level.
public enum SupervisionLevel: String, CaseIterable, Sendable {
    case none, county, prefecture, province
}

/// The outcome of a verification.
public enum VerificationOutcome: String, CaseIterable, Sendable {
    case passed, failed
}

/// The escalation ladder, in increasing severity: 函告 < 通报 < 约谈 < 曝光.
public enum EscalationLevel: String, CaseIterable, Comparable, Sendable {
    case letter, notice, summons, exposure

    public var label: String {
        switch self {
        case .letter: "函告"
        case .notice: "通报"
        case .summons: "约谈"
        case .exposure: "曝光"
        }
    }

    /// 1 for a letter up to 4 for exposure.
    public var rank: Int {
        switch self {
        case .letter: 1
        case .notice: 2
        case .summons: 3
        case .exposure: 4
        }
    }

    public static func < (a: EscalationLevel, b: EscalationLevel) -> Bool { a.rank < b.rank }
}

/// Kinds of enforcement penalty.
public enum PenaltyKind: String, CaseIterable, Sendable {
    case warning, fine, suspension, closure, licenceRevoked, industryBan, criminalReferral

    public var label: String {
        switch self {
        case .warning: "警告"
        case .fine: "罚款"
        case .suspension: "停产停业整顿"
        case .closure: "关闭取缔"
        case .licenceRevoked: "吊销许可证照"
        case .industryBan: "行业禁入"
        case .criminalReferral: "行刑衔接"
        }
    }
}

/// How a tip-off arrived.
public enum TipOffChannel: String, CaseIterable, Sendable {
    case hotline, online, letter, visit, other
}
