import QinglingEvents

/// A calendar quarter, e.g. 2024Q3.
public struct Quarter: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var year: Int
    /// 1 to 4.
    public var number: Int

    public init(year: Int, number: Int) {
        self.year = year
        self.number = number
    }

    public init(containing date: CalendarDate) {
        let (year, month, _) = date.components
        self.init(year: year, number: (month - 1) / 3 + 1)
    }

    /// Parses `2024Q3` (or `2024q3`).
    public init?(_ text: String) {
        let parts = text.uppercased().split(separator: "Q", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), let number = Int(parts[1]), (1...4).contains(number) else { return nil }
        self.init(year: year, number: number)
    }

    public var first: CalendarDate { CalendarDate(year: year, month: number * 3 - 2, day: 1) ?? CalendarDate(daysSinceEpoch: 0) }
    public var last: CalendarDate { Quarter(year: number == 4 ? year + 1 : year, number: number % 4 + 1).first.adding(days: -1) }
    public var description: String { "\(year)Q\(number)" }

    public static func < (a: Quarter, b: Quarter) -> Bool { (a.year, a.number) < (b.year, b.number) }
}

/// Which penalties a total counts: one department, one quarter, one kind.
public struct PenaltyKey: Hashable, Sendable {
    /// The imposing organisation's id.
    public var department: String
    public var quarter: Quarter
    public var kind: PenaltyKind
}

/// How many penalties and how much money (fen).
public struct PenaltyTotal: Sendable, Equatable {
    public var departmentName: String
    public var count = 0
    public var amountFen: Int64 = 0

    /// Counts one more penalty of `amount`; throws when the total would leave the range of
    /// `Int64` (only a crafted log comes near: 9.2 × 10^18 fen).
    mutating func add(_ amount: Int64) throws(EventDecodingError) {
        amountFen = try fenSum(amountFen, amount, of: .penalties(of: departmentName))
        count += 1
    }
}

/// `a + b` fen, or an error naming `what` when the sum overflows. (`what` is only put together
/// then: a replay adds up a penalty in a few nanoseconds.)
func fenSum(_ a: Int64, _ b: Int64, of what: @autoclosure () -> EventDecodingError.FenTotal) throws(EventDecodingError) -> Int64 {
    let (sum, overflow) = a.addingReportingOverflow(b)
    guard !overflow else { throw .fenOverflow(what(), total: a, adding: b) }
    return sum
}

/// What the log says of a tip-off: when it came, which hazards and penalties confirm it, and
/// the rewards paid for it.
public struct TipOffSummary: Sendable, Equatable {
    public var id: String
    public var receivedOn: CalendarDate?
    public var channel: TipOffChannel?
    /// Hazards reported with this tip-off id.
    public var hazardIds: [String] = []
    public var confirmingPenalties = 0
    public var payments = 0
    public var paidFen: Int64 = 0
    public var lastPaidOn: CalendarDate?
    /// When the key of the reporter's sealed identity was destroyed (`ReporterKeyDestroyed`):
    /// from then on nobody can recover who reported it.
    public var identityDestroyedOn: CalendarDate?

    public init(id: String) { self.id = id }

    mutating func received(on date: CalendarDate, channel: TipOffChannel) {
        receivedOn = date
        self.channel = channel
    }

    /// Counts one more reward of `amount`; throws as `PenaltyTotal.add` does.
    mutating func paid(_ amount: Int64, on date: CalendarDate) throws(EventDecodingError) {
        paidFen = try fenSum(paidFen, amount, of: .rewards(forTipOff: id))
        payments += 1
        lastPaidOn = date
    }
}
