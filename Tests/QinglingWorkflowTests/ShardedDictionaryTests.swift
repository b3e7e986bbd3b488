import Testing
import QinglingTestSupport
@testable import QinglingWorkflow

/// The ledger's sharded tables answer as one dictionary would, whatever mix of reads, writes,
/// in-place changes, removals and merges they see.
@Suite struct ShardedDictionaryTests {
    @Test func answersAsADictionaryUnderRandomChanges() {
        var generator = SplitMix(state: 23)
        var sharded = ShardedDictionary<String, Int>()
        var model: [String: Int] = [:]
        for step in 0..<20_000 {
            let key = "LX-\(generator.below(3_000))"
            switch generator.below(5) {
            case 0, 1:
                sharded[key] = step
                model[key] = step
            case 2:
                sharded[key]? += 1  // read and written back
                model[key]? += 1
            case 3:
                sharded[key] = nil
                model[key] = nil
            default:
                var batch: [String: Int] = [:]
                for offset in 0..<8 { batch["LX-\(generator.below(3_000))"] = step * 10 + offset }
                sharded.merge(batch)
                model.merge(batch) { _, new in new }
            }
            #expect(sharded[key] == model[key])
        }
        #expect(sharded.count == model.count && sharded.count > 500)
        #expect(sharded.values.sorted() == model.values.sorted())
        for (key, value) in model { #expect(sharded[key] == value) }
        #expect(sharded["LX-unknown"] == nil)
    }

    /// The keys spread over every shard, so that no shard's growth is much of the whole's.
    @Test func keysSpreadEvenlyOverTheShards() {
        var sharded = ShardedDictionary<String, Int>()
        for number in 0..<6_400 { sharded["LX-2025-\(number)"] = number }
        let sizes = sharded.shards.map(\.count), mean = 6_400 / sizes.count
        #expect(sizes.count == 64)
        #expect(sizes.allSatisfy { $0 >= mean / 2 && $0 <= mean * 2 }, "shard sizes \(sizes)")
    }

    @Test func mergingAnotherShardedDictionaryKeepsTheLaterValues() {
        var earlier = ShardedDictionary<String, String>(), later = ShardedDictionary<String, String>()
        for index in 0..<1_000 { earlier["\(index)"] = "earlier" }
        for index in 500..<1_500 { later["\(index)"] = "later" }
        earlier.merge(later)
        #expect(earlier.count == 1_500)
        #expect(earlier["499"] == "earlier" && earlier["500"] == "later" && earlier["1499"] == "later")
    }

    @Test func equalWhenTheSameKeysHoldEqualValues() {
        var a = ShardedDictionary<String, Int>(), b = ShardedDictionary<String, Int>()
        #expect(a == b && a.isEmpty)
        for index in 0..<300 { a["\(index)"] = index }
        for index in (0..<300).reversed() { b["\(index)"] = index }
        #expect(a == b && !a.isEmpty)
        b["7"] = 8
        #expect(a != b)
        b["7"] = 7
        b["300"] = 300
        #expect(a != b)
    }
}
