import QinglingEvents

/// One planned action of a story: its business date, who acts and what it says. Its moment is
/// set once the story is complete (`Timeline`).
struct PlannedStep {
    var date: CalendarDate
    var actor: Actor
    var body: EventBody
}

/// A planned action with its moment.
struct TimedStep {
    var time: ShanghaiDateTime
    var actor: Actor
    var body: EventBody
}

/// Sets the moments of a story's steps: the first at the story's anchor, each later one at a
/// working-hours time of its date, after the previous one when on the same date.
enum Timeline {
    static func timed(_ steps: [PlannedStep], anchor: ShanghaiDateTime, _ rng: inout SplitMix64) -> [TimedStep] {
        // Stable by date: steps of one date keep the order the story added them in.
        let ordered = steps.enumerated().sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }.map(\.element)
        var result: [TimedStep] = []
        result.reserveCapacity(ordered.count)
        for step in ordered {
            let time = result.isEmpty ? anchor : WorkCalendar.time(on: step.date, after: result.last?.time, &rng)
            result.append(TimedStep(time: time, actor: step.actor, body: step.body))
        }
        return result
    }
}
