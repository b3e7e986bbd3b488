import QinglingEvents
import QinglingProjections
import QinglingWorkflow

/// The vocabularies as report cells: the English code in JSON, the name in the chosen language
/// in tables and CSV.
extension Report.Cell {
    public static func status(_ status: HazardStatus) -> Report.Cell {
        .term(code: status.rawValue, zh: status.text(.zh), en: status.text(.en))
    }

    public static func level(_ level: EscalationLevel?) -> Report.Cell {
        level.map { .term(code: $0.rawValue, zh: $0.text(.zh), en: $0.text(.en)) } ?? .none
    }

    public static func eventType(_ type: EventType) -> Report.Cell {
        .term(code: type.rawValue, zh: type.text(.zh), en: type.text(.en))
    }

    public static func role(_ role: HazardTrace.Role) -> Report.Cell {
        .term(code: role.rawValue, zh: role.text(.zh), en: role.text(.en))
    }

    public static func finding(_ kind: TraceFinding.Kind) -> Report.Cell {
        .term(code: kind.rawValue, zh: kind.text(.zh), en: kind.text(.en))
    }

    public static func penaltyKind(_ kind: PenaltyKind) -> Report.Cell {
        .term(code: kind.rawValue, zh: kind.text(.zh), en: kind.text(.en))
    }

    public static func channel(_ channel: TipOffChannel?) -> Report.Cell {
        channel.map { .term(code: $0.rawValue, zh: $0.text(.zh), en: $0.text(.en)) } ?? .none
    }

    /// An industry of the reference data: its name in JSON (as the data names it), in English
    /// when it is one of the national criteria's and the output is English.
    public static func industry(_ name: String) -> Report.Cell {
        .term(code: name, zh: name, en: IndustryNames.text(name, .en))
    }

    /// A text worded in either language; the English wording in JSON, as stable as the keys.
    public static func words(_ text: (Language) -> String) -> Report.Cell {
        .term(code: text(.en), zh: text(.zh), en: text(.en))
    }
}
