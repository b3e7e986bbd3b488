import QinglingEvents

/// Keys numbered 0, 1, 2… in the order first met, each kept once as text: what the
/// projections number persons, organisations and names by. A new key is checked as UTF-8
/// before it is kept.
struct KeyNumbering: Sendable {
    private var keys = ByteTable()

    init() {}

    /// How many keys are numbered.
    var count: Int { keys.count }

    /// The number of `key`, numbering it when new.
    mutating func number(_ key: HashedKey) throws(EngineError) -> Int32 {
        if let index = keys.index(of: key) { return index }
        guard String.isValidUTF8(key.bytes) else { throw .notUTF8 }
        return keys.add(key).index
    }

    /// Starts bringing the look-up of `key` into the cache (`ByteTable.prefetch`).
    /// (Mutating only so that the numbering loop, which holds the numbering in place, does not
    /// copy it to call this.)
    mutating func prefetch(_ key: HashedKey, longKey: Bool) { keys.prefetch(key, longKey: longKey) }

    /// The number of `key`, if numbered.
    func number(of key: String) -> Int32? {
        var key = key
        return key.withUTF8 { keys.index(of: UnsafeRawBufferPointer($0)) }
    }

    /// The key numbered `index` (`0..<count`).
    func key(at index: Int32) -> String { keys.key(at: index) }

    /// Writes the keys as their table lies (`ByteTable.write(to:)`).
    func write(to out: inout BinaryWriter) { keys.write(to: &out) }

    /// The keys `write(to:)` wrote, checked (`ByteTable.init(checkpoint:part:)`).
    init(checkpoint input: inout CheckpointReader, part: CheckpointDamage.Part) throws(CheckpointDamage) {
        keys = try ByteTable(checkpoint: &input, part: part)
    }

    /// Makes room for `count` keys in all.
    mutating func reserveCapacity(_ count: Int) { keys.reserveCapacity(count) }
}
