import Foundation
import Testing
@testable import QinglingEvents

/// `EventView` reads the layout `EventBinaryCodec` writes without building an event: its spans
/// must hold exactly the decoded fields' bytes, and it must refuse what `decode` refuses
/// (except invalid UTF-8, which it leaves to whoever builds a string).
@Suite struct EventViewTests {
    private func examples() throws -> [Event] {
        try exampleDocuments("valid.jsonl").map { try EventJSONDecoder.decode(try JSONParser.parse($0)).get() }
    }

    @Test func everySpanHoldsTheDecodedFieldOfEveryEventType() throws {
        let events = try examples()
        #expect(Set(events.map(\.type)) == Set(EventType.allCases), "the examples cover every type")
        for event in events {
            // A slice of a larger buffer, as the log hands payloads over.
            let buffer = [0xAA] + EventBinaryCodec.encode(event) + [0xBB]
            try buffer.withUnsafeBytes { raw in
                let view = try EventView(UnsafeRawBufferPointer(rebasing: raw[1..<raw.count - 1]))
                try expect(view, holds: event)
            }
        }
    }

    @Test func whatDecodeRefusesTheViewRefusesToo() throws {
        var random = SystemRandomNumberGenerator()
        var refused = 0
        for event in try examples() {
            let bytes = EventBinaryCodec.encode(event)
            var variants = (0..<bytes.count).map { Array(bytes.prefix($0)) } + [bytes + [0]]
            for _ in 0..<40 {
                var changed = bytes
                changed[Int.random(in: 0..<changed.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                variants.append(changed)
            }
            for variant in variants {
                let viewed = variant.withUnsafeBytes { (try? EventView($0)) != nil }
                if (try? EventBinaryCodec.decode(variant)) != nil {
                    #expect(viewed, "decode reads what the view refuses: \(variant)")
                } else if !viewed {
                    refused += 1
                }
            }
        }
        #expect(refused > 100)
    }

    @Test func aStringIsBuiltOnlyFromValidUTF8() throws {
        let bytes: [UInt8] = [0x61, 0xE4, 0xB8, 0xAD, 0xFF]
        #expect(bytes.prefix(4).withUnsafeBytes { String(validatingUTF8Bytes: $0) } == "a中")
        #expect(bytes.withUnsafeBytes { String(validatingUTF8Bytes: $0) } == nil)
        #expect(bytes.prefix(3).withUnsafeBytes { String(validatingUTF8Bytes: $0) } == nil, "a character cut short")
    }

    @Test func theUTF8CheckAgreesWithBuildingTheString() {
        // ASCII of every length around the eight-byte steps, then one bad or multi-byte
        // character at each place: inside the first word, at its edge, in the tail.
        var cases: [[UInt8]] = (0...19).map { Array(repeating: UInt8(ascii: "a"), count: $0) }
        let inserts: [[UInt8]] = [[0xFF], [0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE4, 0xB8], [0xE4, 0xB8, 0xAD],
                                  [0xF0, 0x9F, 0x98, 0x80], [0x7F]]
        for insert in inserts {
            for place in [0, 3, 7, 8, 9, 15, 16, 19] {
                var bytes = Array(repeating: UInt8(ascii: "b"), count: 19)
                bytes.insert(contentsOf: insert, at: place)
                cases.append(bytes)
            }
        }
        for bytes in cases {
            bytes.withUnsafeBytes { raw in
                #expect(String.isValidUTF8(raw) == (String(validatingUTF8Bytes: raw) != nil), "\(bytes)")
            }
        }
        #expect(cases.contains { bytes in bytes.withUnsafeBytes { !String.isValidUTF8($0) } })
    }

    private func expect(_ view: EventView, holds event: Event) throws {
        func text(_ span: ByteSpan) -> String { String(decoding: view[span], as: UTF8.self) }
        func texts(_ list: SpanList) throws -> [String] {
            var all: [String] = []
            try view.forEach(in: list) { all.append(text($0)) }
            return all
        }
        func person(_ person: EventView.Person?) -> PersonRef? { person.map { PersonRef(id: text($0.id), name: text($0.name)) } }
        #expect(view.type == event.type && view.occurredAt == event.occurredAt.microseconds)
        #expect(text(view.organizationId) == event.actor.organization.id && text(view.organizationName) == event.actor.organization.name)
        #expect(text(view.personId) == event.actor.person.id)
        #expect(try view.string(view.personId) == event.actor.person.id)
        switch (view.body, event.body) {
        case let (.hazardReported(hazard, region, industry, discoveredOn, tipOff), .hazardReported(e)):
            #expect(text(hazard) == e.hazardId && text(region) == e.region && text(industry) == e.industry)
            #expect(discoveredOn == e.discoveredOn && tipOff.map(text) == e.tipOffId)
        case let (.hazardSupervised(hazard, departmentId, departmentName, deadline, principal, controller, officer, townOfficer), .hazardSupervised(e)):
            #expect(text(hazard) == e.hazardId && text(departmentId) == e.leadDepartment.id && text(departmentName) == e.leadDepartment.name)
            #expect(deadline == e.deadline && person(principal) == e.responsible.enterprisePrincipal)
            #expect(person(controller) == e.responsible.actualController && person(officer) == e.responsible.departmentOfficer)
            #expect(person(townOfficer) == e.responsible.townOfficer)
        case let (.deadlineExtended(hazard, newDeadline), .deadlineExtended(e)):
            #expect(text(hazard) == e.hazardId && newDeadline == e.newDeadline)
        case let (.hazardRectified(hazard), .hazardRectified(e)): #expect(text(hazard) == e.hazardId)
        case let (.hazardVerified(hazard, passed), .hazardVerified(e)): #expect(text(hazard) == e.hazardId && passed == (e.outcome == .passed))
        case let (.hazardClosed(hazard), .hazardClosed(e)): #expect(text(hazard) == e.hazardId)
        case let (.hazardReopened(hazard, newDeadline), .hazardReopened(e)): #expect(text(hazard) == e.hazardId && newDeadline == e.newDeadline)
        case let (.hazardWithdrawn(hazard), .hazardWithdrawn(e)): #expect(text(hazard) == e.hazardId)
        case let (.escalationIssued(level, targetId, hazards), .escalationIssued(e)):
            let listed = try texts(hazards)
            #expect(level == e.level && text(targetId) == e.target.id && listed == e.hazardIds)
        case let (.penaltyImposed(kind, amountFen, hazards, tipOff), .penaltyImposed(e)):
            let listed = try texts(hazards)
            #expect(kind == e.kind && amountFen == e.amountFen && listed == e.hazardIds && tipOff.map(text) == e.tipOffId)
        case let (.tipOffReceived(tipOff, channel), .tipOffReceived(e)): #expect(text(tipOff) == e.tipOffId && channel == e.channel)
        case let (.rewardPaid(tipOff, amountFen), .rewardPaid(e)): #expect(text(tipOff) == e.tipOffId && amountFen == e.amountFen)
        case let (.reporterKeyDestroyed(tipOff, keyId), .reporterKeyDestroyed(e)): #expect(text(tipOff) == e.tipOffId && text(keyId) == e.keyId)
        default: Issue.record("the view reads \(view.type) as another type's fields")
        }
    }
}
