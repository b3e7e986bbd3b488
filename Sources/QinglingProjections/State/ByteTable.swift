import CPrefetch
import QinglingEvents

/// Byte strings numbered 0, 1, 2… in the order they were first added: how the fold finds a
/// hazard, a person, an organisation or a name from the bytes of a stored event. Keys are kept
/// back to back in one array and found through an open-addressing hash table (linear probing,
/// at most half full), so a look-up builds no string and allocates nothing.
struct ByteTable: Sendable {
    /// Every key, back to back.
    private var keys: [UInt8] = []
    /// Where each key lies in `keys` (`Slot.location`), by number.
    private var locations: [UInt64] = []
    private var slots: [Slot] = []

    /// One place of the hash table: everything a look-up needs but the key's bytes, so that
    /// finding a key touches its slot and its bytes only.
    private struct Slot {
        /// 0 when empty; else the key's hash in the upper 32 bits and its number + 1 in the lower.
        var hashAndIndex: UInt64 = 0
        /// The key's offset in `keys` shifted left by 24, or-ed with its length (a key is part
        /// of one stored event, at most `LogLimits.maxRecordBytes` = 2^20 bytes, or a label
        /// made of two of its strings: `add` takes nothing of 2^24 bytes or more).
        var location: UInt64 = 0
    }

    init() {}

    /// How many keys the table holds.
    var count: Int { locations.count }

    /// The number of `key`, if added. `hash` is `ByteTable.hash(key)`, when already known.
    func index(of key: UnsafeRawBufferPointer, hash: UInt64? = nil) -> Int32? {
        probe(key, hash: hash ?? Self.hash(key)).found
    }

    /// The number of `key`, adding it (with the next number) when it is new. `hash` is
    /// `ByteTable.hash(key)`, when already known. Keys are at most `maxKeyBytes` long (the
    /// callers' keys come from stored events, far shorter).
    mutating func add(_ key: UnsafeRawBufferPointer, hash: UInt64? = nil) -> (index: Int32, isNew: Bool) {
        precondition(key.count <= Self.maxKeyBytes, "a key longer than any stored event")
        let hash = hash ?? Self.hash(key)
        if (count + 1) * 2 > slots.count { grow() }
        let (found, empty) = probe(key, hash: hash)
        if let found { return (found, false) }
        let index = count
        let location = UInt64(keys.count) << Self.lengthBits | UInt64(key.count)
        keys.makeRoomInHugePages(for: key.count)
        keys.append(contentsOf: key)
        locations.makeRoomInHugePages(for: 1)
        locations.append(location)
        slots[empty] = Slot(hashAndIndex: Self.tag(hash) | UInt64(index + 1), location: location)
        return (Int32(index), true)
    }

    /// The number of the string `key`, if added.
    func index(of key: String) -> Int32? {
        var key = key
        return key.withUTF8 { index(of: UnsafeRawBufferPointer($0)) }
    }

    /// Adds the string `key`, one of a saved state's (`what` names it in the error): throws
    /// when it is longer than a table takes.
    mutating func add(restoring key: String, what: String) throws(EventDecodingError) -> (index: Int32, isNew: Bool) {
        try Self.check(key, what: what)
        var key = key
        return key.withUTF8 { add(UnsafeRawBufferPointer($0)) }
    }

    /// Throws when the string `key` is longer than a table takes (`what` names it).
    static func check(_ key: String, what: String) throws(EventDecodingError) {
        guard key.utf8.count <= maxKeyBytes else { throw EventDecodingError(reason: "\(what) of \(key.utf8.count) bytes") }
    }

    /// Starts bringing the look-up of a key with `hash` into the cache, in two stages a few
    /// look-ups apart: its slot; then, once the slot has arrived (`key`), the key it holds.
    /// This hides most of the memory latency of a table larger than the cache. The second
    /// stage returns the number the slot holds, when it probably is the key's.
    @discardableResult @inline(__always)
    func prefetch(hash: UInt64, key: Bool) -> Int32? {
        guard key else {
            prefetchSlot(hash: hash)
            return nil
        }
        return prefetchKey(hash: hash)
    }

    private func prefetchSlot(hash: UInt64) {
        guard !slots.isEmpty else { return }
        slots.withUnsafeBufferPointer { slots in
            qingling_prefetch(slots.baseAddress.map { $0 + (Int(truncatingIfNeeded: hash) & (slots.count - 1)) })
        }
    }

    private func prefetchKey(hash: UInt64) -> Int32? {
        guard !slots.isEmpty else { return nil }
        let slot = slots[Int(truncatingIfNeeded: hash) & (slots.count - 1)]
        guard slot.hashAndIndex != 0, Self.tag(slot.hashAndIndex) == Self.tag(hash) else { return nil }
        keys.withUnsafeBytes { keys in qingling_prefetch(keys.baseAddress.map { $0 + Int(slot.location >> Self.lengthBits) }) }
        return Int32(truncatingIfNeeded: slot.hashAndIndex & 0xFFFF_FFFF) - 1
    }

    /// The bytes of key `index`, as a string. (Every key a state keeps is checked as UTF-8 by
    /// the fold, which builds a string of it the first time it meets it.)
    func key(at index: Int32) -> String {
        let range = Self.range(locations[Int(index)])
        return keys.withUnsafeBytes { String(decoding: UnsafeRawBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    private static let lengthBits: UInt64 = 24
    private static let lengthMask: UInt64 = 1 << lengthBits - 1
    /// The longest key a table takes.
    static let maxKeyBytes = Int(lengthMask)

    private static func range(_ location: UInt64) -> Range<Int> {
        let start = Int(location >> lengthBits)
        return start..<start + Int(location & lengthMask)
    }

    private static func tag(_ hash: UInt64) -> UInt64 { hash & 0xFFFF_FFFF_0000_0000 }

    /// The number of `key` if found, else the empty slot where it belongs.
    private func probe(_ key: UnsafeRawBufferPointer, hash: UInt64) -> (found: Int32?, empty: Int) {
        guard !slots.isEmpty else { return (nil, 0) }
        let mask = slots.count - 1, tag = Self.tag(hash), length = UInt64(key.count)
        return slots.withUnsafeBufferPointer { slots in
            keys.withUnsafeBytes { keys in
                var position = Int(truncatingIfNeeded: hash) & mask
                while true {
                    let slot = slots[position]
                    if slot.hashAndIndex == 0 { return (nil, position) }
                    if Self.tag(slot.hashAndIndex) == tag, slot.location & Self.lengthMask == length,
                       Self.equal(UnsafeRawBufferPointer(rebasing: keys[Self.range(slot.location)]), key) {
                        return (Int32(truncatingIfNeeded: slot.hashAndIndex & 0xFFFF_FFFF) - 1, position)
                    }
                    position = (position + 1) & mask
                }
            }
        }
    }

    /// Byte-for-byte equality of two keys of the same length, eight bytes at a time, the last
    /// eight (overlapping the one before) or the short tail in one go (keys are short: a call
    /// to `memcmp` costs more than the comparison).
    @inline(__always)
    private static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        let count = a.count
        guard count >= 8 else { return count == 0 || tail(a, from: 0) == tail(b, from: 0) }
        var offset = 0
        while offset + 8 < count {
            guard a.loadUnaligned(fromByteOffset: offset, as: UInt64.self) == b.loadUnaligned(fromByteOffset: offset, as: UInt64.self) else { return false }
            offset += 8
        }
        return a.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
    }

    /// Makes room for `count` keys in all, so that adding them does not rehash.
    mutating func reserveCapacity(_ count: Int) {
        var capacity = max(16, slots.count)
        while capacity < count * 2 { capacity *= 2 }
        if capacity > slots.count { grow(to: capacity) }
        locations.reserveCapacityInHugePages(count)
    }

    /// Doubles the slots (16 at first) and puts every key back.
    private mutating func grow() { grow(to: max(16, slots.count * 2)) }

    private mutating func grow(to capacity: Int) {
        var fresh: [Slot] = []
        fresh.reserveCapacityInHugePages(capacity)
        fresh.append(contentsOf: repeatElement(Slot(), count: capacity))
        let mask = capacity - 1
        keys.withUnsafeBytes { keys in
            for (index, location) in locations.enumerated() {
                let hash = Self.hash(UnsafeRawBufferPointer(rebasing: keys[Self.range(location)]))
                var position = Int(truncatingIfNeeded: hash) & mask
                while fresh[position].hashAndIndex != 0 { position = (position + 1) & mask }
                fresh[position] = Slot(hashAndIndex: Self.tag(hash) | UInt64(index + 1), location: location)
            }
        }
        slots = fresh
    }

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
        if offset < bytes.count { h = mix(h ^ tail(bytes, from: offset)) }
        h ^= h >> 30
        h &*= 0xBF58_476D_1CE4_E5B9
        h ^= h >> 27
        h &*= 0x94D0_49BB_1331_11EB
        return h ^ (h >> 31)
    }

    /// The last 0 to 7 bytes of `bytes`, from `offset`, zero-padded: at most three loads (of
    /// 4, 2 and 1 bytes), never past the end.
    @inline(__always)
    private static func tail(_ bytes: UnsafeRawBufferPointer, from offset: Int) -> UInt64 {
        let remaining = bytes.count - offset
        var word: UInt64 = 0, at = offset, shift: UInt64 = 0
        if remaining & 4 != 0 {
            word = UInt64(bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self))
            at += 4
            shift = 32
        }
        if remaining & 2 != 0 {
            word |= UInt64(bytes.loadUnaligned(fromByteOffset: at, as: UInt16.self)) &<< shift
            at += 2
            shift += 16
        }
        if remaining & 1 != 0 { word |= UInt64(bytes.load(fromByteOffset: at, as: UInt8.self)) &<< shift }
        return word
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        let product = value &* 0x9FB2_1C65_1E98_DF25
        return product ^ (product >> 29)
    }
}
