import QinglingEvents
import QinglingProjections

/// The forms of the tip-offs (`TipOffPage`), for departments and the committee: receiving one
/// (举报受理, numbered by the service `JB-<year>-<n>`) and paying its reward (举报奖励, for a
/// tip-off chosen from those a hazard or a penalty confirms).
enum TipOffForm: String {
    case receive = "tip-off"
    case reward

    /// The form's heading.
    var title: String {
        switch self {
        case .receive: "举报受理"
        case .reward: "举报奖励"
        }
    }

    /// The form's fields; a reward chooses among `confirmed` tip-offs.
    func fields(confirmed: [String]) -> [FormField] {
        switch self {
        case .receive:
            [FormField("channel", "举报渠道", .choice(TipOffChannel.allCases.map { .init(value: $0.rawValue, label: $0.text(.zh)) })),
             FormField("summary", "举报内容摘要", .paragraph),
             FormField("reporterPseudonym", "举报人化名", .line, hint: "只填化名，不得填写真实姓名、电话或证件号码。")]
                + Self.reporterFields.map { FormField($0.field, $0.label, .line, required: false, hint: $0.hint) }
        case .reward:
            [FormField("tipOffId", "举报编号", FormField.names(confirmed), hint: "只列出已由隐患上报或执法处罚查实的举报。"),
             FormField("amount", "奖励金额（元）", .yuan)]
        }
    }

    /// The reporter's real identity (举报人保密), each optional: sealed before it is written
    /// (`docs/security.md`), never shown again by the form.
    static let reporterFields: [(field: String, key: String, label: String, hint: String?)] = [
        ("reporterName", "name", "举报人真实姓名（保密）", "选填，用于发放举报奖励：加密保存，日志与导出中只有密文，只有市安委办经说明理由后可查看。"),
        ("reporterPhone", "phone", "举报人电话（保密）", nil),
        ("reporterIdNumber", "idNumber", "举报人证件号码（保密）", nil),
        ("reporterBankAccount", "bankAccount", "举报人银行账号（保密）", nil),
    ]

    /// The reporter's identity of the posted fields: `.some(nil)` when none is given, `nil`
    /// when a field is refused (its message, which never repeats the value, in `reader`).
    func reporter(_ reader: inout FormReader) -> ReporterIdentity?? {
        guard self == .receive else { return .some(nil) }
        var identity = ReporterIdentity()
        var refused = false
        for field in Self.reporterFields {
            let formField = FormField(field.field, field.label, .line, required: false)
            guard let value = reader.text(formField) else { continue }
            if let problem = ReporterIdentity.problem(field: field.key, value) {
                reader.refuse(field: formField, "「\(field.label)」" + problem.message(.zh) + "。")
                refused = true
                continue
            }
            switch field.key {
            case "name": identity.name = value
            case "phone": identity.phone = value
            case "idNumber": identity.idNumber = value
            default: identity.bankAccount = value
            }
        }
        if refused { return nil }
        return .some(identity.fields.isEmpty ? nil : identity)
    }

    /// The event's body from the posted fields, numbered by `tipOffId` when received, or `nil`
    /// when a field is refused (its message in `reader`).
    func body(_ reader: inout FormReader, confirmed: [String], tipOffId: () -> String) -> EventBody? {
        let fields = Dictionary(uniqueKeysWithValues: self.fields(confirmed: confirmed).map { ($0.name, $0) })
        switch self {
        case .receive:
            let channel = fields["channel"].flatMap { reader.code($0, as: TipOffChannel.self) }
            let summary = fields["summary"].flatMap { reader.text($0) }
            let pseudonym = fields["reporterPseudonym"].flatMap { reader.text($0) }
            guard let channel, let summary, let pseudonym else { return nil }
            return .tipOffReceived(TipOffReceived(tipOffId: tipOffId(), channel: channel, summary: summary, reporterPseudonym: pseudonym))
        case .reward:
            let id = fields["tipOffId"].flatMap { reader.choice($0) }
            let amount = fields["amount"].flatMap { reader.fen($0) }
            guard let id, let amount else { return nil }
            return .rewardPaid(RewardPaid(tipOffId: id, amountFen: amount))
        }
    }

    /// The tip-offs a reward may be paid for: those a hazard was reported with, or a penalty
    /// names (the rules check at recording that the hazard still stands).
    static func confirmed(_ tipOffs: [String: TipOffSummary]) -> [String] {
        tipOffs.values.filter { !$0.hazardIds.isEmpty || $0.confirmingPenalties > 0 }.map(\.id).sorted()
    }

    /// `JB-2026-0004`: the year's first number above every one of `taken`.
    static func nextId(year: Int, taken: some Sequence<String>) -> String {
        let stem = "JB-\(year)-"
        let highest = taken.filter { $0.hasPrefix(stem) }.compactMap { Int($0.dropFirst(stem.count)) }.max() ?? 0
        let number = String(highest + 1)
        return stem + String(repeating: "0", count: max(0, 4 - number.count)) + number
    }
}
