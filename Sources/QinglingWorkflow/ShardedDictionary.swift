/// A dictionary kept in 64 smaller ones, each key in the one its hash picks, so that growing
/// rehashes one shard at a time.
///
/// A Swift dictionary doubles all at once: the insertion that crosses its threshold moves every
/// entry, and a service appending into a table of every hazard waits for all of it. Shards fill
/// evenly and each grows on its own, so the same work comes in 64 pieces spread over many
/// appends (the figures: `docs/performance-service.md`). The shards of two tables with the same
/// keys (a hazard's record and its directory entry) grow in the same append, each a 64th.
///
/// Inlinable, so that a module using it specialises it for its keys and values.
public struct ShardedDictionary<Key: Hashable, Value> {
    @usableFromInline var shards: [[Key: Value]]

    /// How many shards: a power of two, since a key's shard is its hash's low bits.
    @usableFromInline static var shardCount: Int { 64 }

    /// An empty dictionary.
    @inlinable
    public init() {
        shards = Array(repeating: [:], count: Self.shardCount)
    }

    /// The shard `key` belongs to. (A dictionary hashes with a seed of its own, so the keys of
    /// one shard still spread over all its buckets.)
    @inlinable
    static func shard(of key: Key) -> Int { key.hashValue & (shardCount - 1) }

    /// The value of `key`, `nil` when it has none; set to `nil` to remove it.
    @inlinable
    public subscript(key: Key) -> Value? {
        get { shards[Self.shard(of: key)][key] }
        set { shards[Self.shard(of: key)][key] = newValue }
    }

    /// The number of keys.
    @inlinable
    public var count: Int { shards.reduce(0) { $0 + $1.count } }

    /// Whether it holds no key.
    @inlinable
    public var isEmpty: Bool { shards.allSatisfy(\.isEmpty) }

    /// Every value, shard after shard (in no meaningful order, as a dictionary's).
    @inlinable
    public var values: [Value] { shards.flatMap(\.values) }

    /// Sets every key of `other` to its value there, replacing any value it had.
    @inlinable
    public mutating func merge(_ other: [Key: Value]) {
        for (key, value) in other { self[key] = value }
    }

    /// The same with another sharded dictionary (its keys are in the same shards).
    @inlinable
    public mutating func merge(_ other: ShardedDictionary) {
        for index in shards.indices { shards[index].merge(other.shards[index]) { _, new in new } }
    }
}

extension ShardedDictionary: Sendable where Key: Sendable, Value: Sendable {}

extension ShardedDictionary: Equatable where Value: Equatable {
    /// Equal when they hold the same keys with equal values. (In one process a key always picks
    /// the same shard, so the shards compare one by one.)
    @inlinable
    public static func == (a: ShardedDictionary, b: ShardedDictionary) -> Bool { a.shards == b.shards }
}
