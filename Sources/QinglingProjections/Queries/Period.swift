import QinglingEvents

/// A period of business dates, both ends included: a year (`2024`), a quarter (`2024Q3`),
/// a month (`2024-07`) or a range (`2024-03-01..2024-06-30`).
public struct Period: Sendable, Equatable, CustomStringConvertible {
    public var start: CalendarDate
    public var end: CalendarDate
    /// How it was written.
    public var name: String

    public init(start: CalendarDate, end: CalendarDate, name: String? = nil) {
        self.start = start
        self.end = end
        self.name = name ?? "\(start)..\(end)"
    }

    public init(_ quarter: Quarter) {
        self.init(start: quarter.first, end: quarter.last, name: quarter.description)
    }

    public static func year(_ year: Int) -> Period {
        Period(start: CalendarDate(year: year, month: 1, day: 1) ?? CalendarDate(daysSinceEpoch: 0),
               end: CalendarDate(year: year, month: 12, day: 31) ?? CalendarDate(daysSinceEpoch: 0), name: String(year))
    }

    /// Parses any of the accepted forms; `nil` when `text` is none of them.
    public init?(_ text: String) {
        if let quarter = Quarter(text) {
            self.init(quarter)
        } else if text.count == 4, let year = Int(text), (1900...2999).contains(year) {
            self = .year(year)
        } else if text.count == 7, let first = CalendarDate(text + "-01") {
            let (year, month, _) = first.components
            let next = CalendarDate(year: month == 12 ? year + 1 : year, month: month % 12 + 1, day: 1) ?? first
            self.init(start: first, end: next.adding(days: -1), name: text)
        } else if let range = text.range(of: ".."), let start = CalendarDate(String(text[..<range.lowerBound])),
                  let end = CalendarDate(String(text[range.upperBound...])), start <= end {
            self.init(start: start, end: end, name: text)
        } else {
            return nil
        }
    }

    public func contains(_ date: CalendarDate) -> Bool { start <= date && date <= end }

    public var description: String { name }
}
