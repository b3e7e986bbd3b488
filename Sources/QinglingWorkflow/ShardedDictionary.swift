/// A dictionary kept in 64 smaller ones, each key in the one its hash picks, so that growing
/// rehashes one shard at a time.
///
/// A Swift dictionary doubles all at once: the insertion that crosses its threshold moves every
/// entry. For the service's ledger, whose tables hold a record of every hazard and event id, that
/// was one append in thousands taking 22, 44, then 90 ms (at 25k, 49k and 98k hazards, growing
/// with the table), while every other append waited behind it. Shards fill evenly and each
/// grows on its own, so the same work comes in 64 pieces spread over many appends.
public struct ShardedDictionary<Key: Hashable, Value> {
    private var shards: [[Key: Value]]

    private static var shardCount: Int { 64 }

    public init() {
        shards = Array(repeating: [:], count: Self.shardCount)
    }

    /// The shard `key` belongs to. (A dictionary hashes with a seed of its own, so the keys of
    /// one shard still spread over all its buckets.)
    private static func shard(of key: Key) -> Int { key.hashValue & (shardCount - 1) }

    public subscript(key: Key) -> Value? {
        get { shards[Self.shard(of: key)][key] }
        _modify { yield &shards[Self.shard(of: key)][key] }
        set { shards[Self.shard(of: key)][key] = newValue }
    }

    /// The number of keys.
    public var count: Int { shards.reduce(0) { $0 + $1.count } }

    public var isEmpty: Bool { shards.allSatisfy(\.isEmpty) }

    /// Every value, shard after shard (in no meaningful order, as a dictionary's).
    public var values: [Value] { shards.flatMap(\.values) }

    /// Sets every key of `other` to its value there, replacing any value it had.
    public mutating func merge(_ other: [Key: Value]) {
        for (key, value) in other { self[key] = value }
    }

    /// The same with another sharded dictionary (its keys are in the same shards).
    public mutating func merge(_ other: ShardedDictionary) {
        for index in shards.indices { shards[index].merge(other.shards[index]) { _, new in new } }
    }
}

extension ShardedDictionary: Sendable where Key: Sendable, Value: Sendable {}

extension ShardedDictionary: Equatable where Value: Equatable {
    /// Equal when they hold the same keys with equal values. (In one process a key always picks
    /// the same shard, so the shards compare one by one.)
    public static func == (a: ShardedDictionary, b: ShardedDictionary) -> Bool { a.shards == b.shards }
}
