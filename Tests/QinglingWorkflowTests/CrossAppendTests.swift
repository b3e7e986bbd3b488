import Foundation
import Testing
import QinglingEvents
import QinglingLog
import QinglingSampleData
@testable import QinglingWorkflow

/// Every rule sees the same state whether the events came in one append or in many, each through
/// a store reopened from disk (which looks up what an event names through the log's index).
@Suite struct CrossAppendTests {
    static let tip = TipOffReceived(tipOffId: "JB-2024-0007", channel: .hotline, summary: "仓库超量储存", reporterPseudonym: "热心群众甲")
    static let reward = EventBody.rewardPaid(RewardPaid(tipOffId: "JB-2024-0007", amountFen: 200_000))

    @Test func aRewardInALaterAppendSeesTheHazardThatConfirmsItsTipOff() throws {
        let log = TemporaryLog()
        var s = Scenario()
        try log.store().add([s.event(Scenario.department, .tipOffReceived(Self.tip)),
                             s.event(Scenario.department, s.report(tipOff: "JB-2024-0007", source: .tipOff))])
        #expect(try log.store().refusals([s.event(Scenario.department, Self.reward)]).isEmpty)
    }

    @Test func aRewardSeesTheHazardsOfItsTipOffAcrossThreeAppends() throws {
        let log = TemporaryLog()
        var s = Scenario()
        try log.store().add([s.event(Scenario.department, .tipOffReceived(Self.tip))])
        try log.store().add([s.event(Scenario.department, s.report(tipOff: "JB-2024-0007", source: .tipOff))])
        try log.store().add([s.event(Scenario.department, Self.reward)])
        // Once the hazard is withdrawn (in yet another append), the tip-off is no longer confirmed.
        try log.store().add([s.event(Scenario.department, .hazardWithdrawn(HazardWithdrawn(hazardId: "LX-2024-0001", reason: "经复核不属于重大事故隐患")))])
        #expect(try log.store().refusals([s.event(Scenario.department, Self.reward)]) == [.tipOffNotConfirmed("JB-2024-0007")])
    }

    @Test func aStoreReopenedFromDiskKnowsTheDatesOfTheReportsAndTipOffsAnEventNames() throws {
        let log = TemporaryLog()
        var s = Scenario()
        try log.store().add([DateOrderTests.on(s.event(Scenario.department, .tipOffReceived(Self.tip)), "2024-04-10T10:00:00+08:00")])
        try log.store().add([DateOrderTests.on(s.event(Scenario.department, s.report(tipOff: "JB-2024-0007", source: .tipOff)), "2024-04-12T10:00:00+08:00")])
        let early = "2024-04-11T10:00:00+08:00"
        let penalty = DateOrderTests.penalty(hazardIds: ["LX-2024-0001"], tipOffId: "JB-2024-0007")
        #expect(try log.store().refusals([DateOrderTests.on(s.event(Scenario.department, penalty), early)])
                == [.beforeReport(hazardId: "LX-2024-0001", on: DateOrderTests.day("2024-04-11"), reportedOn: DateOrderTests.day("2024-04-12"))])
        #expect(try log.store().refusals([DateOrderTests.on(s.event(Scenario.department, Self.reward), "2024-04-09T10:00:00+08:00")])
                == [.beforeTipOff(tipOffId: "JB-2024-0007", on: DateOrderTests.day("2024-04-09"), receivedOn: DateOrderTests.day("2024-04-10"))])
        #expect(try log.store().refusals([DateOrderTests.on(s.event(Scenario.department, Self.reward), "2024-04-12T16:00:00+08:00")]).isEmpty)
    }

    /// Any valid stream, cut into appends at random points, each through a store reopened from
    /// disk, is accepted whole, and the log it leaves equals the log of one append, event for event.
    @Test(arguments: [1, 7, 42, 2024] as [UInt64])
    func aValidStreamCutAnywhereIsAcceptedWhole(seed: UInt64) throws {
        let events = LinxiangGenerator(seed: seed, hazardsPerYear: 30, years: 2024...2026).events()
        #expect(events.contains { $0.type == .rewardPaid })
        let whole = TemporaryLog()
        try whole.store().add(events)

        var random = SeededRandom(seed: seed)
        var cuts = Set((0..<events.count / 4).map { _ in Int.random(in: 1..<events.count, using: &random) })
        cuts.insert(events.count)
        let pieces = log(cutting: events, at: cuts.sorted())
        let cut = TemporaryLog()
        for piece in pieces {
            let store = try cut.store()
            #expect(!store.ledger.isComplete || piece.startIndex == 0)
            try store.add(Array(piece))
            try store.close()
        }
        #expect(try Self.events(in: cut) == Self.events(in: whole))
        #expect(try Self.events(in: cut) == events)
    }

    private func log(cutting events: [Event], at ends: [Int]) -> [ArraySlice<Event>] {
        var start = 0
        return ends.map { end in
            defer { start = end }
            return events[start..<end]
        }
    }

    static func events(in log: TemporaryLog) throws -> [Event] {
        var events: [Event] = []
        try EventStore(readingFrom: log.path).forEachEvent { stored, _ in events.append(stored.event) }
        return events
    }
}
