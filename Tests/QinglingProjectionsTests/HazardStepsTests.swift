import Testing
import QinglingEvents
@testable import QinglingProjections

/// A hazard's steps keep the first five inside its entry and the rest in an array: to every
/// reader they are one collection in log order.
@Suite struct HazardStepsTests {
    private func step(_ number: Int) -> HazardTimeline.Step {
        HazardTimeline.Step(kind: HazardTimeline.Step.Kind.allCases[number % HazardTimeline.Step.Kind.allCases.count],
                            on: CalendarDate(daysSinceEpoch: Int32(19_000 + number)), recordedAt: Int64(number) * 1_000,
                            deadline: number % 3 == 0 ? CalendarDate(daysSinceEpoch: Int32(19_100 + number)) : nil,
                            level: UInt8(number % 4))
    }

    @Test func aStepKeepsEveryFieldAtTheEdgesOfWhatIsStorable() {
        let days = CalendarDate.storableDays
        let dates = [days.lowerBound, days.lowerBound + 1, -1, 0, 1, 20_000, days.upperBound - 1, days.upperBound].map { CalendarDate(daysSinceEpoch: $0) }
        let deadlines: [CalendarDate?] = dates.reversed() + [nil]
        for kind in HazardTimeline.Step.Kind.allCases {
            for (on, deadline) in zip(dates + [dates[3]], deadlines) {
                for level: UInt8 in [0, 1, 3, 255] {
                    for recordedAt in [Int64.min + Int64(level), .max - Int64(level), 0xFFFF_FFFF, 1 << 32, -1, 0] {
                        let step = HazardTimeline.Step(kind: kind, on: on, recordedAt: recordedAt, deadline: deadline, level: level)
                        #expect(step.kind == kind && step.on == on && step.deadline == deadline && step.level == level)
                        #expect(step.recordedAt == recordedAt)
                    }
                }
            }
        }
        // Each setter changes its own field only, and a removed deadline compares as never set.
        var step = HazardTimeline.Step(kind: .closed, on: dates[0], recordedAt: 7, deadline: dates[7], level: 255)
        step.level = 2
        step.deadline = nil
        step.on = dates[6]
        step.kind = .escalated
        #expect(step == HazardTimeline.Step(kind: .escalated, on: dates[6], recordedAt: 7, deadline: nil, level: 2))
        step.deadline = dates[1]
        #expect(step.deadline == dates[1] && step.on == dates[6] && step.kind == .escalated && step.level == 2)
        step.recordedAt = -2
        #expect(step.recordedAt == -2)
        #expect(step.deadline == dates[1] && step.on == dates[6] && step.kind == .escalated && step.level == 2)
        #expect(step == HazardTimeline.Step(kind: .escalated, on: dates[6], recordedAt: -2, deadline: dates[1], level: 2))
        #expect(MemoryLayout<HazardTimeline.Step>.stride == 16)
        #expect(MemoryLayout<HazardTimeline>.stride == 144, "a timeline entry with its fields laid out without padding")
    }

    @Test func stepsReadBackInOrderAcrossTheEntryAndTheArray() {
        for count in 0...12 {
            var steps = HazardTimeline.Steps()
            let expected = (0..<count).map(step)
            for item in expected { steps.append(item) }
            #expect(steps.count == count)
            #expect(Array(steps) == expected)
            #expect(steps.indices.map { steps[$0] } == expected)
        }
    }

    @Test func equalityComparesTheStepsOnly() {
        for count in [0, 3, 5, 6, 9] {
            var a = HazardTimeline.Steps(), b = HazardTimeline.Steps()
            for number in 0..<count {
                a.append(step(number))
                b.append(step(number))
            }
            #expect(a == b)
            var longer = b
            longer.append(step(count))
            #expect(a != longer)
            guard count > 0 else { continue }
            // A different last step, inside the entry or past it.
            var changed = HazardTimeline.Steps()
            for number in 0..<count { changed.append(step(number == count - 1 ? 100 : number)) }
            #expect(a != changed)
        }
    }
}
