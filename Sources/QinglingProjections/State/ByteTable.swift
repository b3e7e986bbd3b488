#if canImport(Glibc)
import Glibc
#endif

/// Byte strings numbered 0, 1, 2… in the order they were first added: how the fold finds a
/// hazard, a person, an organisation or a name from the bytes of a stored event. Keys are kept
/// back to back in one array and found through an open-addressing hash table (linear probing,
/// at most half full), so a look-up builds no string and allocates nothing.
struct ByteTable: Sendable {
    /// Every key, back to back.
    private var keys: [UInt8] = []
    /// Where each key ends in `keys` (it starts where the one before ends).
    private var ends: [Int] = []
    /// 0 for an empty slot; else the key's hash in the upper 32 bits and its number + 1 in the lower.
    private var slots: [UInt64] = []

    init() {}

    /// How many keys the table holds.
    var count: Int { ends.count }

    /// The number of `key`, if added.
    func index(of key: UnsafeRawBufferPointer) -> Int32? {
        let hash = Self.hash(key)
        let (found, _) = probe(key, hash: hash)
        return found
    }

    /// The number of `key`, adding it (with the next number) when it is new.
    mutating func add(_ key: UnsafeRawBufferPointer) -> (index: Int32, isNew: Bool) {
        let hash = Self.hash(key)
        if (ends.count + 1) * 2 > slots.count { grow() }
        let (found, empty) = probe(key, hash: hash)
        if let found { return (found, false) }
        let index = ends.count
        keys.append(contentsOf: key)
        ends.append(keys.count)
        slots[empty] = Self.slot(hash: hash, index: index)
        return (Int32(index), true)
    }

    /// The bytes of key `index`, as a string (keys are added only once checked as UTF-8).
    func key(at index: Int32) -> String {
        let range = self.range(of: Int(index))
        return keys.withUnsafeBytes { String(decoding: UnsafeRawBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    private func range(of index: Int) -> Range<Int> { (index == 0 ? 0 : ends[index - 1])..<ends[index] }

    /// The number of `key` if found, else the empty slot where it belongs.
    private func probe(_ key: UnsafeRawBufferPointer, hash: UInt64) -> (found: Int32?, empty: Int) {
        guard !slots.isEmpty else { return (nil, 0) }
        let mask = slots.count - 1, tag = hash >> 32
        return slots.withUnsafeBufferPointer { slots in
            keys.withUnsafeBytes { keys in
                ends.withUnsafeBufferPointer { ends in
                    var position = Int(truncatingIfNeeded: hash) & mask
                    while true {
                        let slot = slots[position]
                        if slot == 0 { return (nil, position) }
                        if slot >> 32 == tag {
                            let index = Int(slot & 0xFFFF_FFFF) - 1
                            let start = index == 0 ? 0 : ends[index - 1]
                            if ends[index] - start == key.count, Self.equal(keys.baseAddress.map { $0 + start }, key) {
                                return (Int32(index), position)
                            }
                        }
                        position = (position + 1) & mask
                    }
                }
            }
        }
    }

    private static func equal(_ stored: UnsafeRawPointer?, _ key: UnsafeRawBufferPointer) -> Bool {
        guard let stored, let base = key.baseAddress else { return key.isEmpty }
        return memcmp(stored, base, key.count) == 0
    }

    /// Doubles the slots (16 at first) and puts every key back.
    private mutating func grow() {
        let capacity = max(16, slots.count * 2)
        var fresh = [UInt64](repeating: 0, count: capacity)
        let mask = capacity - 1
        keys.withUnsafeBytes { keys in
            for index in ends.indices {
                let hash = Self.hash(UnsafeRawBufferPointer(rebasing: keys[range(of: index)]))
                var position = Int(truncatingIfNeeded: hash) & mask
                while fresh[position] != 0 { position = (position + 1) & mask }
                fresh[position] = Self.slot(hash: hash, index: index)
            }
        }
        slots = fresh
    }

    private static func slot(hash: UInt64, index: Int) -> UInt64 { (hash & 0xFFFF_FFFF_0000_0000) | UInt64(index + 1) }

    /// A 64-bit hash of short byte strings: eight bytes at a time, each word mixed in by a
    /// multiply and a shift, then the SplitMix64 finaliser. (Not keyed: the keys come from the
    /// log, which the workflow wrote.)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var offset = 0
        while offset + 8 <= bytes.count {
            h = mix(h ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        if offset < bytes.count {
            var tail: UInt64 = 0
            for shift in 0..<(bytes.count - offset) { tail |= UInt64(bytes[offset + shift]) << (8 * shift) }
            h = mix(h ^ tail)
        }
        h ^= h >> 30
        h &*= 0xBF58_476D_1CE4_E5B9
        h ^= h >> 27
        h &*= 0x94D0_49BB_1331_11EB
        return h ^ (h >> 31)
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        let product = value &* 0x9FB2_1C65_1E98_DF25
        return product ^ (product >> 29)
    }
}
