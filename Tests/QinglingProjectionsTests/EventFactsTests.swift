import Testing
import QinglingEvents
@testable import QinglingProjections

/// The one extraction of what an event means to the projections (`EventFacts`), for every
/// event type.
@Suite struct EventFactsTests {
    /// What a test reads of an event's facts, as plain values.
    private struct Read: Equatable {
        var hazards: [String] = []
        var reports = false
        var parties: [String: String] = [:]
        var names: [String: String] = [:]
        var step: EventFacts.LifecycleStep?
    }

    private func read(_ body: EventBody) throws -> Read {
        var history = History()
        history.add("2025-03-01", body)
        let bytes = EventBinaryCodec.encode(try #require(history.events.first).event)
        return try bytes.withUnsafeBytes { payload in
            let facts = EventFacts(try EventView(payload))
            #expect(facts.date == day("2025-03-01"))
            func text(_ bytes: UnsafeRawBufferPointer) -> String { String(decoding: bytes, as: UTF8.self) }
            var read = Read()
            switch facts.hazards {
            case .none: break
            case .reports(let hazard):
                read.reports = true
                read.hazards = [text(facts[hazard.id])]
            case .actsOn(let hazard): read.hazards = [text(facts[hazard.id])]
            case .each(let list): try facts.forEach(in: list) { read.hazards.append(text(facts[$0])) }
            }
            let p = facts.parties
            let roles: [(String, HashedKey?)] = [("actor", p.actor), ("actorOrganization", p.actorOrganization), ("organization", p.organization),
                                                 ("principal", p.principal), ("controller", p.controller), ("officer", p.officer), ("town", p.town)]
            for (role, key) in roles {
                guard let key else { continue }
                read.parties[role] = text(key.bytes)
                #expect(key.hash == ByteTable.hash(key.bytes), "\(role)'s hash is its bytes'")
            }
            let n = facts.names
            let names: [(String, ByteSpan?)] = [("region", n.region), ("industry", n.industry), ("leadDepartment", n.leadDepartment),
                                                ("principal", n.principal), ("officer", n.officer)]
            for case let (role, span?) in names { read.names[role] = text(facts[span]) }
            switch facts.effect {
            case .report(let step, let discoveredOn, let tipOff):
                read.step = step
                #expect(discoveredOn == day("2025-02-27") && tipOff == nil)
            case .supervision(let step), .step(let step), .escalation(let step):
                read.step = step
            case .penalty(let kind, let amountFen, let department, let departmentName, let tipOff):
                #expect(kind == .fine && amountFen == 500_000 && text(facts[department]) == "lx-yjj")
                #expect(text(facts[departmentName]) == "临湘市应急管理局" && tipOff.map { text(facts[$0]) } == "JB-2024-0007")
            case .tipOffReceived(let tipOff, let channel):
                #expect(text(facts[tipOff]) == "JB-2024-0007" && channel == .hotline)
            case .rewardPaid(let tipOff, let amountFen):
                #expect(text(facts[tipOff]) == "JB-2024-0007" && amountFen == 200_000)
            case .reporterKeyDestroyed(let tipOff):
                #expect(text(facts[tipOff]) == "JB-2024-0007")
            }
            return read
        }
    }

    private let actor = ["actor": "yjj-017", "actorOrganization": "lx-yjj"]

    @Test func everyEventTypeIsReadIntoItsKeysPartiesNamesAndStep() throws {
        let bodies: [EventBody] = [
            History.report("LX-2025-0001", discovered: "2025-02-27"),
            History.supervise("LX-2025-0001", deadline: "2025-04-01"),
            History.extend("LX-2025-0001", to: "2025-05-01"),
            History.rectify("LX-2025-0001", on: "2025-03-01"),
            History.verify("LX-2025-0001", .failed),
            History.close("LX-2025-0001"),
            History.reopen("LX-2025-0001", deadline: "2025-06-01"),
            History.withdraw("隐患-7"),
            History.escalate(.summons, ["LX-2025-0001", "隐患-7"]),
            History.penalty(hazards: ["LX-2025-0002"], tipOff: "JB-2024-0007"),
            .tipOffReceived(TipOffReceived(tipOffId: "JB-2024-0007", channel: .hotline, summary: "仓库超量储存", reporterPseudonym: "热心群众甲")),
            .rewardPaid(RewardPaid(tipOffId: "JB-2024-0007", amountFen: 200_000)),
            .reporterKeyDestroyed(ReporterKeyDestroyed(tipOffId: "JB-2024-0007", keyId: "k-1", reason: "奖励已发放")),
        ]
        #expect(Set(bodies.map(\.type)) == Set(EventType.allCases), "one event of each type")
        let id = ["LX-2025-0001"]
        let expected: [Read] = [
            Read(hazards: id, reports: true, parties: actor, names: ["region": "桃林镇", "industry": "烟花爆竹"], step: .init(kind: .reported)),
            Read(hazards: id, parties: actor.merging(["organization": "lx-yjj", "principal": "ent-001", "officer": "yjj-017", "town": "tlz-002"]) { $1 },
                 names: ["leadDepartment": "临湘市应急管理局", "principal": "刘建国", "officer": "李卫东"],
                 step: .init(kind: .supervised, deadline: day("2025-04-01"))),
            Read(hazards: id, parties: actor, step: .init(kind: .extended, deadline: day("2025-05-01"))),
            Read(hazards: id, parties: actor, step: .init(kind: .rectified)),
            Read(hazards: id, parties: actor, step: .init(kind: .verifiedFailed)),
            Read(hazards: id, parties: actor, step: .init(kind: .closed)),
            Read(hazards: id, parties: actor, step: .init(kind: .reopened, deadline: day("2025-06-01"))),
            Read(hazards: ["隐患-7"], parties: actor, step: .init(kind: .withdrawn)),
            Read(hazards: ["LX-2025-0001", "隐患-7"], parties: actor.merging(["organization": "lx-yjj"]) { $1 },
                 step: .init(kind: .escalated, level: UInt8(EscalationLevel.summons.rank))),
            Read(hazards: ["LX-2025-0002"], parties: actor),
            Read(parties: actor),
            Read(parties: actor),
            Read(parties: actor),
        ]
        for (body, expected) in zip(bodies, expected) {
            #expect(try read(body) == expected, "\(body.type)")
        }
    }

    @Test func aPassedVerificationIsItsOwnStep() throws {
        #expect(try read(History.verify("LX-2025-0001", .passed)).step == .init(kind: .verifiedPassed))
    }
}
