import QinglingEvents

/// Deterministic, realistic event data for a county's campaign — by default 临湘市 from 2023 to
/// November 2026, about 150 hazards a year with their whole lifecycle, escalations, penalties,
/// tip-offs and rewards — every event obeying the rules of `domain.md`.
///
/// The same arguments give the same events on every machine (a seeded SplitMix64; nothing is
/// drawn from the system). Events come in strictly increasing `occurredAt` order with ids
/// `gen-<seed>-<n>`, n counting from 1. `hazardsPerYear` scales the volume linearly (about seven
/// events per hazard); `forEachEvent` streams them in memory bounded by the number of stories in
/// progress, so millions of events need no more memory than thousands.
public struct LinxiangGenerator: Sendable {
    /// The seed of every random choice; it also names the events (`gen-<seed>-<n>`).
    public let seed: UInt64
    /// Average hazards discovered per full year (0 to 900 000; clamped), so that hazard numbers
    /// keep to the 4–6 digits of `LX-2024-0031`.
    public let hazardsPerYear: Int
    /// The calendar years in which stories begin (within 1000...9999, or nothing is generated).
    public let years: ClosedRange<Int>
    /// The county: regions, industries, departments, committee, id prefix, division code.
    public let reference: ReferenceData
    /// No event happens after this date: later steps of stories under way are left out, so the
    /// last year's hazards may still be open.
    public let until: CalendarDate

    /// - Parameter until: the last business date; default 30 November of the last year.
    public init(seed: UInt64 = 2024, hazardsPerYear: Int = 150, years: ClosedRange<Int> = 2023...2026,
                reference: ReferenceData = .linxiang, until: CalendarDate? = nil) {
        self.seed = seed
        self.hazardsPerYear = min(max(hazardsPerYear, 0), 900_000)
        self.years = years
        self.reference = reference
        self.until = until ?? CalendarDate(year: years.upperBound, month: 11, day: 30) ?? CalendarDate(daysSinceEpoch: 0)
    }

    /// Every event, in order. For large volumes prefer `forEachEvent`.
    public func events() -> [Event] {
        var all: [Event] = []
        forEachEvent { all.append($0) }
        return all
    }

    /// Calls `body` with every event, in order, holding only the stories in progress.
    public func forEachEvent(_ body: (Event) throws -> Void) rethrows {
        guard years.lowerBound >= 1000, years.upperBound <= 9999, !reference.regions.isEmpty, !reference.industries.isEmpty,
              let firstDay = CalendarDate(year: years.lowerBound, month: 1, day: 1),
              let endOfYears = CalendarDate(year: years.upperBound, month: 12, day: 31) else { return }
        let staff = Staff(seed: seed)
        let cast = Cast(reference: reference, staff: staff)
        let pool = EnterprisePool(count: max(200, hazardsPerYear * 2), seed: seed, cast: cast)
        let numbering = Numbering(reference: reference)
        let cases = CaseStories(cast: cast, pool: pool, numbering: numbering)
        var arrivals = ArrivalStream(seed: seed, hazardsPerYear: hazardsPerYear, from: firstDay, through: min(until, endOfYears))
        var queue = StoryQueue()
        var emitter = Emitter(seed: seed)
        var serial = 0
        while let arrival = arrivals.next() {
            while let earliest = queue.earliest, earliest < arrival.time, let step = queue.popStep() {
                try emitter.emit(step, to: body)
            }
            serial += 1
            var rng = SplitMix64(seed: seed, stream: UInt64(serial))
            let anchor = arrival.time.date
            let planned: [PlannedStep]
            switch arrival.kind {
            case .hazard:
                var story = HazardStory(cast: cast, pool: pool, numbering: numbering, rng: rng)
                planned = story.tell(anchor: anchor, firstDay: firstDay)
                rng = story.rng
            case .enforcementCase: planned = cases.enforcementCase(anchor: anchor, &rng)
            case .tipOffWithPenalty: planned = cases.tipOffWithPenalty(anchor: anchor, &rng)
            case .unfoundedTipOff: planned = cases.unfoundedTipOff(anchor: anchor, &rng)
            }
            let timed = Timeline.timed(planned, anchor: arrival.time, &rng).prefix { $0.time.date <= until }
            queue.push(StoryQueue.Story(serial: serial, steps: Array(timed)))
        }
        while let step = queue.popStep() {
            try emitter.emit(step, to: body)
        }
    }
}

/// Turns steps into events: ids `gen-<seed>-<n>`, and moments made strictly increasing (a step
/// at the same microsecond as the previous event moves one microsecond later).
struct Emitter {
    let prefix: String
    private var number = 0
    private var last = Int64.min

    init(seed: UInt64) { prefix = "gen-\(seed)-" }

    mutating func emit(_ step: TimedStep, to body: (Event) throws -> Void) rethrows {
        number += 1
        last = max(step.time.microseconds, last == .min ? .min : last + 1)
        try body(Event(eventId: prefix + String(number), occurredAt: ShanghaiDateTime(microseconds: last), actor: step.actor, body: step.body))
    }
}
