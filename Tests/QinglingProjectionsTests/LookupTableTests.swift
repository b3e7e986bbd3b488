import Foundation
import Testing
import QinglingEvents
@testable import QinglingProjections

/// The fold's look-up tables, against the standard library's dictionary and arrays.
@Suite struct LookupTableTests {
    private func withBytes<T>(_ text: String, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        var text = text
        return try text.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
    }

    /// The number `index` finds for `id`, if of the workflow's form and there.
    private func found(_ id: UnsafeRawBufferPointer, in index: inout HazardSeriesIndex) -> Int32? {
        HazardSeriesIndex.position(of: id).flatMap { index.number(at: $0) }
    }

    @Test func aByteTableNumbersKeysInTheOrderTheyCameAndFindsEachAgain() {
        var table = ByteTable()
        var expected: [String: Int32] = [:]
        var random = SystemRandomNumberGenerator()
        // Short and long keys, Chinese text, the empty key, keys sharing long prefixes, repeats.
        var keys = ["", "a", "临湘市应急管理局", "LX-2024-000001", "LX-2024-000001 ", String(repeating: "长", count: 300)]
        for number in 0..<50_000 { keys.append("LX-\(2023 + number % 4)-\(String(format: "%06d", number))") }
        for _ in 0..<20_000 { keys.append(keys[Int.random(in: 0..<keys.count, using: &random)]) }
        for key in keys {
            let (index, isNew) = withBytes(key) { table.add($0) }
            if let known = expected[key] {
                #expect(!isNew && index == known, "\(key) is numbered again")
            } else {
                #expect(isNew && index == Int32(expected.count), "\(key) takes the next number")
                expected[key] = index
            }
        }
        #expect(table.count == expected.count)
        for (key, index) in expected {
            #expect(withBytes(key) { table.index(of: $0) } == index)
            #expect(withBytes(key) { table.index(of: HashedKey($0)) } == index)
            #expect(table.key(at: index) == key)
        }
        for absent in ["LX-2024-999999", "b", "临湘市", "LX-2024-00000"] {
            #expect(withBytes(absent) { table.index(of: $0) } == nil, "\(absent) was never added")
        }
    }

    /// Keys of every length up to 40 bytes that differ from each other in one byte, at each
    /// place: the comparison reads words, overlapping words and short tails, in the slot (up to
    /// 24 bytes) or from the keys beside it.
    @Test func keysDifferingInOneByteAreTwoKeys() {
        var table = ByteTable()
        var expected: [[UInt8]: Int32] = [:]
        for length in 0...40 {
            let base = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ length) }
            var keys = [base]
            for place in 0..<length {
                var changed = base
                changed[place] ^= 0x80
                keys.append(changed)
            }
            for key in keys {
                let added = key.withUnsafeBytes { table.add($0) }
                #expect(added.isNew == (expected[key] == nil), "\(key)")
                expected[key] = expected[key] ?? added.index
            }
        }
        for (key, index) in expected { #expect(key.withUnsafeBytes { table.index(of: $0) } == index, "\(key)") }
    }

    /// A slot holds a short key zero-padded: a key that ends in zero bytes is another key.
    @Test func keysDifferingOnlyInTrailingZeroBytesAreTwoKeys() {
        var table = ByteTable()
        var keys: [[UInt8]] = []
        for length in 0...26 { keys.append([UInt8](repeating: 0, count: length)) }
        for length in 0...9 { keys.append(Array("abc".utf8) + [UInt8](repeating: 0, count: length)) }
        for (number, key) in keys.enumerated() { #expect(key.withUnsafeBytes { table.add($0) } == (Int32(number), true), "\(key)") }
        for (number, key) in keys.enumerated() {
            #expect(key.withUnsafeBytes { table.index(of: $0) } == Int32(number), "\(key)")
            #expect(Array(table.key(at: Int32(number)).utf8) == key, "\(key) read back whole, trailing zeros and all")
        }
    }

    /// Copies share their slots until one changes: neither then sees the other's keys.
    @Test func aCopyOfATableChangesAlone() {
        var table = ByteTable()
        for number in 0..<100 { _ = withBytes("k\(number)") { table.add($0) } }
        var copy = table
        #expect(withBytes("only in the copy") { copy.add($0) } == (100, true))
        #expect(withBytes("only in the table") { table.add($0) } == (100, true))
        #expect(withBytes("only in the copy") { table.index(of: $0) } == nil)
        #expect(withBytes("only in the table") { copy.index(of: $0) } == nil)
        for number in 0..<100 {
            #expect(withBytes("k\(number)") { table.index(of: $0) } == Int32(number))
            #expect(withBytes("k\(number)") { copy.index(of: $0) } == Int32(number))
            #expect(table.key(at: Int32(number)) == "k\(number)" && copy.key(at: Int32(number)) == "k\(number)")
        }
        #expect(copy.key(at: 100) == "only in the copy" && table.key(at: 100) == "only in the table")
    }

    /// Keys spread over the whole table, whatever its size (a table reserved for a number of
    /// keys is no power of two): at three quarters full, finding one reads 2.5 slots on
    /// average, as linear probing should (½(1 + 1/(1 − ¾))), and no run is long.
    @Test func keysSpreadOverTablesOfAnySize() {
        for count in [1_000, 49_999, 100_003] {
            var table = ByteTable()
            table.reserveCapacity(count)
            let keys = (0..<count).map { "LX-\(2023 + $0 % 4)-\(String(format: "%06d", $0))" }
            for key in keys { _ = withBytes(key) { table.add($0) } }
            let reads = keys.compactMap { key in withBytes(key) { table.slotsRead(finding: $0) } }
            #expect(reads.count == count)
            let mean = Double(reads.reduce(0, +)) / Double(count)
            #expect(mean < 3, "\(count) keys: \(mean) slots read on average")
            #expect(reads.max() ?? 0 < 1_000, "\(count) keys: a run of \(reads.max() ?? 0) slots")
        }
    }

    @Test func reservingRoomKeepsEveryKey() {
        var table = ByteTable()
        for number in 0..<1_000 { _ = withBytes("k\(number)") { table.add($0) } }
        let long = String(repeating: "长", count: 20)
        _ = withBytes(long) { table.add($0) }
        table.reserveCapacity(100_000)
        for number in 0..<1_000 {
            #expect(withBytes("k\(number)") { table.index(of: $0) } == Int32(number))
            #expect(table.key(at: Int32(number)) == "k\(number)", "a key in its slot is found where the slot moved to")
        }
        #expect(table.key(at: 1_000) == long)
        #expect(withBytes("k1000") { table.add($0) } == (1_001, true))
    }

    @Test func aHazardSeriesFindsEachIdOfTheWorkflowsFormByItsOwnNumberAndNoOther() throws {
        var index = HazardSeriesIndex()
        // The same number in five series (digit count, year, prefix), and forms it takes none of.
        let series = ["LX-2024-0031", "LX-2024-00031", "LX-2024-000031", "LX-2025-0031", "LXA-2024-0031", "ABCDEFGH-2024-0031"]
        for (number, id) in series.enumerated() {
            let position = try #require(withBytes(id) { HazardSeriesIndex.position(of: $0) }, "\(id)")
            let spot = index.remember(position, as: Int32(number))
            #expect(spot != nil)
            guard let spot else { continue }
            #expect(index.id(at: spot) == id, "an id is written back as it was")
        }
        let others = ["lx-2024-0031", "LX-2024-031", "LX-2024-0000031", "LX-24-0031", "L-2024-0031", "ABCDEFGHI-2024-0031",
                      "LX-2024-0031 ", "LX-2024_0031", "LX-20x4-0031", "LX-2024-00x1", "LX2024-0031", ""]
        for id in others { #expect(withBytes(id) { HazardSeriesIndex.position(of: $0) } == nil, "\(id) is not of the form") }
        for (number, id) in series.enumerated() { #expect(withBytes(id) { found($0, in: &index) } == Int32(number), "\(id)") }
        for id in others { #expect(withBytes(id) { found($0, in: &index) } == nil, "\(id) is not of the form") }
        #expect(withBytes("LX-2024-0032") { found($0, in: &index) } == nil, "not remembered")
    }

    @Test func aHazardSeriesIsOnlyEverRightAndStaysSmall() {
        // Ids come in order with gaps, out of order, far beyond, before the first, repeated;
        // each is remembered unless already found (as `HazardNumbering` does).
        var index = HazardSeriesIndex()
        var numbers: [String: Int32] = [:]
        var random = SystemRandomNumberGenerator()
        var ids: [String] = []
        for n in 1...20_000 { ids.append("LX-2023-\(String(format: "%04d", n))") }
        for _ in 0..<5_000 { ids.insert("LX-2024-\(String(format: "%04d", Int.random(in: 1...9_999, using: &random)))", at: Int.random(in: 0...ids.count, using: &random)) }
        ids += ["LX-2023-999999", "LX-2023-0000", "LX-2023-0001"]
        for id in ids where numbers[id] == nil {
            let number = Int32(numbers.count)
            numbers[id] = number
            withBytes(id) { id in
                guard let position = HazardSeriesIndex.position(of: id), index.number(at: position) == nil else { return }
                _ = index.remember(position, as: number)
            }
        }
        var foundCount = 0
        for (id, number) in numbers {
            let here = withBytes(id) { found($0, in: &index) }
            #expect(here == nil || here == number, "\(id)")
            if here != nil { foundCount += 1 }
        }
        // All of 2023's in order but the one before the first (0000); of 2024's, out of order,
        // those not before the first (most).
        #expect(foundCount > numbers.count * 3 / 4)
        #expect(withBytes("LX-2023-20000") { found($0, in: &index) } == numbers["LX-2023-20000"])
        #expect(withBytes("LX-2023-0000") { found($0, in: &index) } == nil)
        #expect(withBytes("LX-2023-20001") { found($0, in: &index) } == nil)

        // Ids far apart: the arrays stay within twice the ids they hold plus a little per series.
        var sparse = HazardSeriesIndex()
        for k in 1...1_000 {
            withBytes("LX-2023-\(String(format: "%04d", k * 3_000))") { id in
                _ = HazardSeriesIndex.position(of: id).flatMap { sparse.remember($0, as: Int32(k)) }
            }
        }
        #expect(sparse.elementCount <= 2 * 1_000 + 3 * 1_024)
    }

    @Test func aSupervisionsPartyKeysAreItsIdsHashedAsTheTablesHashThem() throws {
        var history = History()
        history.add("2025-03-01", History.supervise("LX-2025-0001", deadline: "2025-04-01"))
        let bytes = EventBinaryCodec.encode(try #require(history.events.first).event)
        try bytes.withUnsafeBytes { payload in
            // The keys a replay makes on its reading thread, and numbers the parties by: a key's
            // hash is made from its bytes, so it always agrees with them.
            let parties = EventFacts(try EventView(payload)).parties
            func id(_ key: HashedKey?) -> String? { key.map { String(decoding: $0.bytes, as: UTF8.self) } }
            #expect(id(parties.organization) == "lx-yjj" && id(parties.principal) == "ent-001" && parties.controller == nil)
            #expect(id(parties.officer) == "yjj-017" && id(parties.town) == "tlz-002")
            for key in [parties.organization, parties.principal, parties.officer, parties.town, parties.actor].compactMap({ $0 }) {
                #expect(key.hash == ByteTable.hash(key.bytes))
            }
        }
    }

    @Test func aKeyIsFoundByItsBytesHoweverItsHashWasMade() throws {
        // The same id in two events' bytes: one party, whichever key finds it.
        var numbering = KeyNumbering()
        let first = Array("yjj-017".utf8), second = Array("  yjj-017".utf8)
        let a = try first.withUnsafeBytes { try numbering.number(HashedKey($0)) }
        let b = try second.withUnsafeBytes { try numbering.number(HashedKey(UnsafeRawBufferPointer(rebasing: $0[2...]))) }
        #expect(a == b && numbering.count == 1)
    }

    @Test func penaltiesThatOverflowAreRefusedNamingTheirDepartment() {
        var total = PenaltyTotal(departmentName: "临湘市应急管理局")
        #expect(throws: Never.self) { try total.add(.max - 1) }
        #expect(total.amountFen == .max - 1 && total.count == 1)
        #expect(throws: EventDecodingError.fenOverflow(.penalties(of: "临湘市应急管理局"), total: .max - 1, adding: 2)) { try total.add(2) }
    }

    @Test func partyLinksKeepEachPartysHazardsInOrderWithoutRepeatsInARow() throws {
        var numbering = KeyNumbering()
        var links = PartyLinks()
        var expected: [String: [Int32]] = [:]
        let pairs: [(String, Int32)] = [("tlz-002", 0), ("yjj-004", 0), ("tlz-002", 0), ("tlz-002", 1), ("yjj-004", 2),
                                        ("tlz-002", 0), ("新-1", 5), ("yjj-004", 2)]
        for (party, hazard) in pairs {
            let number = try withBytes(party) { try numbering.number(HashedKey($0)) }
            try links.link(number, to: hazard)
            if expected[party]?.last != hazard { expected[party, default: []].append(hazard) }
        }
        #expect(numbering.count == expected.count)
        #expect((0..<Int32(numbering.count)).map(numbering.key(at:)) == ["tlz-002", "yjj-004", "新-1"])
        for (party, hazards) in expected { #expect(links.hazards(of: try #require(numbering.number(of: party))) == hazards) }
        #expect(numbering.number(of: "nobody") == nil)
        #expect(throws: EngineError.notUTF8) { try [UInt8]([0xFF, 0xFE]).withUnsafeBytes { try numbering.number(HashedKey($0)) } }
        #expect(numbering.count == expected.count)
    }

    @Test func aPartyMayBeLinkedBeforeThePartiesNumberedBeforeIt() throws {
        // The reading thread numbers a supervision's parties ahead of the fold: links may then
        // come for number 4 before 3 has any.
        var links = PartyLinks()
        try links.link(1, to: 7)
        try links.link(4, to: 7)
        #expect(links.hazards(of: 3).isEmpty && links.hazards(of: 0).isEmpty && links.hazards(of: 9).isEmpty)
        try links.link(3, to: 8)
        try links.link(4, to: 8)
        try links.link(3, to: 8)
        #expect(links.hazards(of: 1) == [7])
        #expect(links.hazards(of: 3) == [8])
        #expect(links.hazards(of: 4) == [7, 8])
    }

    @Test func hazardNumbersFollowReportsAndSkipUnknownAndRepeatedIds() throws {
        let actor = Actor(organization: OrganizationRef(kind: .town, id: "430682107", name: "桃林镇"), person: PersonRef(id: "tlz-002", name: "王芳"))
        func event(_ body: EventBody) -> Event {
            Event(eventId: UUID().uuidString, occurredAt: ShanghaiDateTime(microseconds: 1_700_000_000_000_000), actor: actor, body: body)
        }
        func report(_ id: String) -> Event {
            event(.hazardReported(HazardReported(hazardId: id, enterprise: nil, region: "桃林镇", industry: "烟花爆竹", criterionClause: "第三条",
                                                 description: "", source: .selfCheck, discoveredOn: CalendarDate(daysSinceEpoch: 19_700))))
        }
        var numbering = HazardNumbering()
        func numbers(_ event: Event) throws -> [Int32] {
            var numbers: [Int32] = []
            try EventBinaryCodec.encode(event).withUnsafeBytes { bytes in
                var facts = EventFacts(try EventView(bytes))
                try withUnsafePointer(to: &facts) { try numbering.number($0, into: &numbers) }
            }
            return numbers
        }
        #expect(try numbers(report("A")) == [0])
        #expect(try numbers(report("B")) == [1])
        #expect(try numbers(report("A")).isEmpty, "a second report of A is left out")
        #expect(try numbers(event(.hazardClosed(HazardClosed(hazardId: "B", note: "")))) == [1])
        #expect(try numbers(event(.hazardClosed(HazardClosed(hazardId: "C", note: "")))).isEmpty, "C was never reported")
        let escalation = EscalationIssued(level: .notice, target: actor.organization, hazardIds: ["B", "C", "A"])
        #expect(try numbers(event(.escalationIssued(escalation))) == [1, 0])
        #expect(numbering.number(of: "A") == 0 && numbering.number(of: "B") == 1 && numbering.number(of: "C") == nil)

        // An id of the workflow's form reported first beyond its series' range (kept in the
        // table), then again once the series has grown to cover its number: still refused.
        #expect(try numbers(report("LX-2023-0001")) == [2])
        #expect(try numbers(report("LX-2023-5000")) == [3])
        for n in 2...2_600 { #expect(try numbers(report("LX-2023-\(String(format: "%04d", n))")).count == 1) }
        #expect(try numbers(report("LX-2023-6000")) == [2_603], "in the series' range now: its array covers 5000")
        #expect(try numbers(report("LX-2023-5000")).isEmpty, "reported before, beyond the series' range then")
        #expect(try numbers(event(.hazardClosed(HazardClosed(hazardId: "LX-2023-5000", note: "")))) == [3])
        #expect(numbering.id(at: 3) == "LX-2023-5000" && numbering.id(at: 4) == "LX-2023-0002")
        // One reported before its series' first (kept in the table), then again; and its neighbour.
        #expect(try numbers(report("LX-2022-0500")) == [2_604])
        #expect(try numbers(report("LX-2022-0100")) == [2_605])
        #expect(try numbers(report("LX-2022-0100")).isEmpty, "reported before, before the series' first then")
        #expect(try numbers(report("LX-2022-0101")) == [2_606])
        #expect(try numbers(event(.hazardClosed(HazardClosed(hazardId: "LX-2022-0100", note: "")))) == [2_605])
        #expect(numbering.number(of: "LX-2022-0100") == 2_605 && numbering.number(of: "LX-2022-0099") == nil)
    }

    @Test func hazardIdsOfEveryFormAreNumberedOnceFoundAndWrittenBack() throws {
        // Ids in order with gaps, out of order, before a series' first, far beyond its range, of
        // other forms and not ASCII; numbered as a restored state's, then as a table's copy.
        var random = SystemRandomNumberGenerator()
        var ids = (1...3_000).filter { $0 % 7 != 0 }.map { "LX-2024-\(String(format: "%04d", $0))" }
        for _ in 0..<1_000 {
            let id = "LX-2025-\(String(format: "%05d", Int.random(in: 0...99_999, using: &random)))"
            ids.insert(id, at: Int.random(in: 0...ids.count, using: &random))
        }
        ids += ["LX-2024-0000", "LX-2024-999999", "LX-2024-9999", "QZ-2024-0001", "lx-2024-0001", "隐患-7", "LX-2024-0001-补", "A", ""]
        ids = ids.reduce(into: (seen: Set<String>(), list: [String]())) { if $0.seen.insert($1).inserted { $0.list.append($1) } }.list
        func number(_ id: String, in numbering: inout HazardNumbering) throws -> Int32? {
            var id = id
            return try id.withUTF8 { bytes in
                Result { () throws(EngineError) in
                    let bytes = UnsafeRawBufferPointer(bytes)
                    return try numbering.numberReported(bytes, at: HazardSeriesIndex.position(of: bytes))
                }
            }.get()
        }
        var numbering = HazardNumbering()
        for id in ids { #expect(try number(id, in: &numbering) != nil, "\(id)") }
        // As numbered, and as a checkpoint restores it.
        var out = BinaryWriter()
        numbering.write(to: &out)
        var input = CheckpointReader(testing: out.bytes)
        let restored = try HazardNumbering(checkpoint: &input)
        #expect(input.isAtEnd)
        for numbering in [numbering, restored] {
            #expect(numbering.count == ids.count)
            for (number, id) in ids.enumerated() {
                #expect(numbering.number(of: id) == Int32(number), "\(id)")
                #expect(numbering.id(at: Int32(number)) == id)
            }
            for id in ["LX-2024-0007", "LX-2024-3001", "LX-2025-100000", "LX-2026-0001", "lx-2024-0002", "隐患-8"] {
                #expect(numbering.number(of: id) == nil, "\(id) was never numbered")
            }
        }
        for id in ["LX-2024-0001", "LX-2024-999999", "隐患-7", ""] {
            var again = restored
            #expect(try number(id, in: &again) == nil, "\(id) numbered twice")
        }
    }
}
