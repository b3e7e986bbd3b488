import QinglingEvents
import QinglingSampleData
import Testing

@Suite("LinxiangGenerator: determinism, order, ids, streaming")
struct GeneratorTests {
    @Test("the same seed gives identical events; another seed different ones")
    func determinism() {
        let again = LinxiangGenerator().events()
        #expect(again == SampleData.events)
        let other = LinxiangGenerator(seed: 7).events()
        #expect(other != SampleData.events)
        #expect(other.first?.eventId.hasPrefix("gen-7-") == true)
    }

    @Test("occurredAt strictly increases and no event falls after the end date")
    func order() {
        let events = SampleData.events
        #expect(!events.isEmpty)
        let unordered = zip(events, events.dropFirst()).filter { $0.occurredAt >= $1.occurredAt }
        #expect(unordered.isEmpty, "\(unordered.prefix(3).map { "\($0.0.eventId) ≥ \($0.1.eventId)" })")
        #expect(events.allSatisfy { $0.occurredAt.date <= SampleData.generator.until })
        #expect(SampleData.generator.until == CalendarDate(year: 2026, month: 11, day: 30))
        #expect(events.first.map { $0.occurredAt.date >= CalendarDate(year: 2023, month: 1, day: 1)! } == true)
    }

    @Test("event ids are unique, gen-<seed>-<n>, valid event ids")
    func ids() {
        let events = SampleData.events
        #expect(Set(events.map(\.eventId)).count == events.count)
        #expect(events.enumerated().allSatisfy { $0.element.eventId == "gen-2024-\($0.offset + 1)" })
        #expect(events.allSatisfy { Syntax.isEventId($0.eventId) })
    }

    @Test("the streaming form yields exactly events()")
    func streaming() {
        var streamed: [Event] = []
        LinxiangGenerator().forEachEvent { streamed.append($0) }
        #expect(streamed == SampleData.events)
    }

    @Test("the streaming form stops at the first error thrown by its body")
    func streamingRethrows() {
        struct Stop: Error {}
        var seen = 0
        #expect(throws: Stop.self) {
            try LinxiangGenerator().forEachEvent { _ in
                seen += 1
                if seen == 10 { throw Stop() }
            }
        }
        #expect(seen == 10)
    }

    @Test("hazardsPerYear scales the volume about linearly")
    func scaling() {
        let small = LinxiangGenerator(seed: 3, hazardsPerYear: 100, years: 2024...2024, until: CalendarDate(year: 2024, month: 12, day: 31)).events().count
        let large = LinxiangGenerator(seed: 3, hazardsPerYear: 1_000, years: 2024...2024, until: CalendarDate(year: 2024, month: 12, day: 31)).events().count
        let ratio = Double(large) / Double(small)
        #expect((8.0...12.0).contains(ratio), "ratio \(ratio): \(small) → \(large)")
    }

    @Test("an earlier end date cuts the same story short: a prefix of the full data")
    func until() {
        let cut = CalendarDate(year: 2024, month: 6, day: 30)!
        let short = LinxiangGenerator(until: cut).events()
        #expect(!short.isEmpty)
        #expect(short.allSatisfy { $0.occurredAt.date <= cut })
        let prefix = SampleData.events.prefix { $0.occurredAt.date <= cut }
        #expect(short == Array(prefix))
    }
}
