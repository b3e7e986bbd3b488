import QinglingEvents
import QinglingWorkflow

extension Report.Cell {
    static func status(_ status: HazardStatus) -> Report.Cell {
        .term(code: status.rawValue, zh: status.label, en: status.rawValue)
    }

    static func level(_ level: EscalationLevel?) -> Report.Cell {
        level.map { .term(code: $0.rawValue, zh: $0.label, en: $0.rawValue) } ?? .none
    }
}
