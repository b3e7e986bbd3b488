import QinglingEvents

/// The penalty totals and tip-offs as a checkpoint keeps them: field by field, in a fixed order
/// (by department, quarter and kind; by tip-off id), so that equal states give equal bytes.
enum EnforcementCheckpoint {
    static func write(penalties: [PenaltyKey: PenaltyTotal], tipOffs: [String: TipOffSummary], to out: inout BinaryWriter) {
        let penalties = penalties.sorted { ($0.key.department, $0.key.quarter, $0.key.kind.rawValue) < ($1.key.department, $1.key.quarter, $1.key.kind.rawValue) }
        out.unsigned(UInt64(penalties.count))
        for (key, total) in penalties {
            out.string(key.department)
            out.unsigned(UInt64(key.quarter.year))
            out.byte(UInt8(key.quarter.number))
            out.code(key.kind)
            out.string(total.departmentName)
            out.unsigned(UInt64(total.count))
            out.signed(total.amountFen)
        }
        let tipOffs = tipOffs.values.sorted { $0.id < $1.id }
        out.unsigned(UInt64(tipOffs.count))
        for tip in tipOffs {
            out.string(tip.id)
            out.optional(tip.receivedOn) { $0.date($1) }
            out.optional(tip.channel) { $0.code($1) }
            out.strings(tip.hazardIds)
            out.unsigned(UInt64(tip.confirmingPenalties))
            out.unsigned(UInt64(tip.payments))
            out.signed(tip.paidFen)
            out.optional(tip.lastPaidOn) { $0.date($1) }
            out.optional(tip.identityDestroyedOn) { $0.date($1) }
        }
    }

    /// The totals `write` wrote for a state of `events` events, checked so that no later count
    /// can overflow: each penalty, payment and confirming penalty counted is one of the events
    /// (at most 2^40 of them), and a year has four digits.
    static func read(_ input: inout CheckpointReader, events: UInt64) throws(CheckpointDamage)
        -> (penalties: [PenaltyKey: PenaltyTotal], tipOffs: [String: TipOffSummary]) {
        let limit = Int(min(events, 1 << 40))
        var penaltiesCounted = 0, paymentsCounted = 0, confirmationsCounted = 0
        var penalties: [PenaltyKey: PenaltyTotal] = [:]
        for _ in 0..<(try input.count()) {
            let department = try input.string()
            let year = try input.integer(atMost: 9_999)
            let number = Int(try input.byte())
            guard (1...4).contains(number) else { throw .quarterOutOfRange(number, offset: input.offset - 1) }
            let key = PenaltyKey(department: department, quarter: Quarter(year: year, number: number), kind: try input.code(PenaltyKind.self))
            var total = PenaltyTotal(departmentName: try input.string())
            total.count = try input.integer(atMost: limit - penaltiesCounted)
            penaltiesCounted += total.count
            total.amountFen = try input.signed()
            penalties[key] = total
        }
        var tipOffs: [String: TipOffSummary] = [:]
        for _ in 0..<(try input.count()) {
            var tip = TipOffSummary(id: try input.string())
            tip.receivedOn = try input.optional { (r: inout CheckpointReader) throws(CheckpointDamage) in try r.date() }
            tip.channel = try input.optional { (r: inout CheckpointReader) throws(CheckpointDamage) in try r.code(TipOffChannel.self) }
            tip.hazardIds = try input.strings()
            tip.confirmingPenalties = try input.integer(atMost: limit - confirmationsCounted)
            confirmationsCounted += tip.confirmingPenalties
            tip.payments = try input.integer(atMost: limit - paymentsCounted)
            paymentsCounted += tip.payments
            tip.paidFen = try input.signed()
            tip.lastPaidOn = try input.optional { (r: inout CheckpointReader) throws(CheckpointDamage) in try r.date() }
            tip.identityDestroyedOn = try input.optional { (r: inout CheckpointReader) throws(CheckpointDamage) in try r.date() }
            tipOffs[tip.id] = tip
        }
        return (penalties, tipOffs)
    }
}
