import CPrefetch
import QinglingEvents
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte strings numbered 0, 1, 2… in the order they were first added: how the fold finds a
/// hazard, a person, an organisation or a name from the bytes of a stored event. Keys are found
/// through an open-addressing hash table (linear probing, at most three quarters full) whose
/// slots hold keys of up to 24 bytes themselves, so that a look-up builds no string, allocates
/// nothing and, for such a key, reads one cache line; longer keys are kept back to back in
/// one array.
struct ByteTable: Sendable {
    /// Every key longer than a slot holds, back to back.
    private var keys: [UInt8] = []
    /// Where each key lies, by number: for a key in its slot, `inSlot` or-ed with the slot's
    /// place; else its offset in `keys` shifted left by 24, or-ed with its length (a key is
    /// part of one stored event, at most `LogLimits.maxRecordBytes` = 2^20 bytes: `add` takes
    /// nothing of 2^24 bytes or more).
    private var locations: [UInt64] = []
    private var slots = SlotStorage(capacity: 0)

    init() {}

    /// How many keys the table holds.
    var count: Int { locations.count }

    /// The number of `key`, if added.
    func index(of key: HashedKey) -> Int32? {
        probe(key.bytes, hash: key.hash).found
    }

    /// The number of the key `bytes`, if added.
    func index(of bytes: UnsafeRawBufferPointer) -> Int32? { index(of: HashedKey(bytes)) }

    /// The number of the key `bytes`, adding it (with the next number) when it is new.
    mutating func add(_ bytes: UnsafeRawBufferPointer) -> (index: Int32, isNew: Bool) { add(HashedKey(bytes)) }

    /// The number of `key`, adding it (with the next number) when it is new. Keys are at most
    /// `maxKeyBytes` long (the callers' keys come from stored events, far shorter).
    mutating func add(_ hashed: HashedKey) -> (index: Int32, isNew: Bool) {
        let key = hashed.bytes, hash = hashed.hash
        precondition(key.count <= Self.maxKeyBytes, "a key longer than any stored event")
        let load = EngineTuning.maxLoad
        if (count + 1) * load.denominator > slots.count * load.numerator {
            grow(to: max(EngineTuning.minimumSlots, slots.count * 2))
        } else if !isKnownUniquelyReferenced(&slots) {
            slots = slots.copy()  // a copy of the table shares its slots until one of them changes
        }
        let (found, empty) = probe(key, hash: hash)
        if let found { return (found, false) }
        let index = count
        let location: UInt64
        if key.count <= Slot.inlineBytes {
            location = Self.inSlot | UInt64(empty)
        } else {
            location = UInt64(keys.count) << Self.lengthBits | UInt64(key.count)
            keys.append(contentsOf: key)
        }
        locations.append(location)
        slots.base[empty] = Slot(key, hash: hash, index: index)
        return (Int32(index), true)
    }

    /// The number of the string `key`, if added.
    func index(of key: String) -> Int32? {
        var key = key
        return key.withUTF8 { index(of: UnsafeRawBufferPointer($0)) }
    }

    /// Starts bringing the look-up of `key` into the cache, in two stages a few look-ups
    /// apart: its slot; then, once the slot has arrived (`longKey`), where a key too long for
    /// its slot lies. This hides most of the memory latency of a table larger than the cache.
    @inline(__always)
    func prefetch(_ key: HashedKey, longKey stage: Bool) {
        let hash = key.hash
        guard stage else { return qingling_prefetch(firstSlot(hash)) }
        guard let index = longKey(hash) else { return }
        locations.withUnsafeBufferPointer { locations in
            qingling_prefetch(locations.baseAddress.map { $0 + Int(index) })
        }
    }

    /// The first slot a key with `hash` is looked for in (`nil` in an empty table).
    @inline(__always)
    private func firstSlot(_ hash: UInt64) -> UnsafeMutablePointer<Slot>? {
        guard slots.count > 0 else { return nil }
        return slots.base.baseAddress.map { $0 + Self.home(hash, slots.count) }
    }

    /// The number of the key in the first slot for `hash`, if that key has the hash's tag and is
    /// too long for its slot: what the prefetch's later stages follow. Only a table holding such
    /// a key reads the slot (the read would stall when the first stage has not yet brought it).
    @inline(__always)
    private func longKey(_ hash: UInt64) -> Int32? {
        guard !keys.isEmpty, let header = firstSlot(hash)?.pointee.header, header != 0, header & Slot.tagMask == Self.tag(hash),
              header & Slot.lengthMask > Slot.length(Slot.inlineBytes) else { return nil }
        return Slot.index(header)
    }

    /// The bytes of key `index`, as a string. (Every key a state keeps was checked as UTF-8
    /// when first added.)
    func key(at index: Int32) -> String {
        let location = locations[Int(index)]
        guard location & Self.inSlot == 0 else {
            return Self.withKey(inSlot: slots.base[Int(location & ~Self.inSlot)]) { String(decoding: $0, as: UTF8.self) }
        }
        return keys.withUnsafeBytes { String(decoding: UnsafeRawBufferPointer(rebasing: $0[Self.range(location)]), as: UTF8.self) }
    }

    /// Calls `body` with the bytes of the key `slot` holds itself.
    private static func withKey<Result>(inSlot slot: Slot, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        withUnsafeBytes(of: slot.inline) { words in
            body(UnsafeRawBufferPointer(rebasing: words[..<Int((slot.header & Slot.lengthMask) >> 32)]))
        }
    }

    /// Marks a location in a slot (`locations`): offsets in `keys` stay far below 2^39.
    private static let inSlot: UInt64 = 1 << 63

    private static let lengthBits: UInt64 = 24
    private static let lengthMask: UInt64 = 1 << lengthBits - 1
    /// The longest key a table takes.
    static let maxKeyBytes = Int(lengthMask)

    private static func range(_ location: UInt64) -> Range<Int> {
        let start = Int(location >> lengthBits)
        return start..<start + Int(location & lengthMask)
    }

    private static func tag(_ hash: UInt64) -> UInt64 { hash & Slot.tagMask }

    /// How many slots finding `key` (added) reads: one when it is in its first slot. What keeps
    /// a look-up to a cache line or two, as long as the keys spread over the whole table.
    func slotsRead(finding key: UnsafeRawBufferPointer) -> Int? {
        let hash = Self.hash(key)
        let (found, position) = probe(key, hash: hash)
        guard found != nil else { return nil }
        return (position - Self.home(hash, slots.count) + slots.count) % slots.count + 1
    }

    /// The number of `key` if found (and the slot it is in), else the empty slot where it belongs.
    private func probe(_ key: UnsafeRawBufferPointer, hash: UInt64) -> (found: Int32?, empty: Int) {
        guard slots.count > 0 else { return (nil, 0) }
        let slots = slots.base, capacity = slots.count
        let header = Self.tag(hash) | Slot.length(key.count)
        let short = key.count <= Slot.inlineBytes
        let words = short ? Slot.words(key) : (UInt64(0), UInt64(0), UInt64(0))
        var position = Self.home(hash, capacity)
        while true {
            let slot = slots[position]
            if slot.header == 0 { return (nil, position) }
            if slot.header & ~Slot.indexMask == header {
                let index = Slot.index(slot.header)
                if short ? slot.inline.0 == words.0 && slot.inline.1 == words.1 && slot.inline.2 == words.2 : hasLongKey(index, key) {
                    return (index, position)
                }
            }
            position = Self.next(position, capacity)
        }
    }

    /// The first slot, of `capacity`, where a key with `hash` is looked for: the hash's low 32
    /// bits scaled to the capacity (any capacity, not only a power of two, so that a table
    /// reserved for a number of keys is no larger than needed; the slot's tag is the hash's
    /// top bits, independent of these).
    @inline(__always)
    private static func home(_ hash: UInt64, _ capacity: Int) -> Int {
        Int(truncatingIfNeeded: ((hash & 0xFFFF_FFFF) &* UInt64(truncatingIfNeeded: capacity)) >> 32)
    }

    /// The slot after `position`, of `capacity`, wrapping around.
    @inline(__always)
    private static func next(_ position: Int, _ capacity: Int) -> Int {
        position + 1 == capacity ? 0 : position + 1
    }

    /// Whether key `index`, too long for its slot, is `key`.
    private func hasLongKey(_ index: Int32, _ key: UnsafeRawBufferPointer) -> Bool {
        let range = Self.range(locations[Int(index)])
        guard range.count == key.count else { return false }
        return keys.withUnsafeBytes { keys in Self.equal(UnsafeRawBufferPointer(rebasing: keys[range]), key) }
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

    /// Makes room for `count` keys in all, so that adding them does not rehash (nor copy the
    /// keys too long for their slots: room for 32 bytes a key, only address space until used).
    /// The slots, read at random, are in huge pages; the keys and locations, appended in order,
    /// in ordinary ones (`adviseHugePages`).
    mutating func reserveCapacity(_ count: Int) {
        keys.reserveCapacity(count * EngineTuning.reservedLongKeyBytes)
        let load = EngineTuning.maxLoad  // the least that holds `count` keys:
        let capacity = max(EngineTuning.minimumSlots, (count * load.denominator + load.numerator - 1) / load.numerator)
        if capacity > slots.count { grow(to: capacity) }
        locations.reserveCapacity(count)
    }

    /// Puts every key into `capacity` fresh slots (noting the new places of keys in slots).
    private mutating func grow(to capacity: Int) {
        let fresh = SlotStorage(capacity: capacity), old = slots
        func place(_ key: UnsafeRawBufferPointer, index: Int) -> Int {
            let hash = Self.hash(key)
            var position = Self.home(hash, capacity)
            while fresh.base[position].header != 0 { position = Self.next(position, capacity) }
            fresh.base[position] = Slot(key, hash: hash, index: index)
            return position
        }
        keys.withUnsafeBytes { keys in
            locations.withUnsafeMutableBufferPointer { locations in
                for index in locations.indices {
                    let location = locations[index]
                    if location & Self.inSlot == 0 {
                        _ = place(UnsafeRawBufferPointer(rebasing: keys[Self.range(location)]), index: index)
                    } else {
                        let position = Self.withKey(inSlot: old.base[Int(location & ~Self.inSlot)]) { place($0, index: index) }
                        locations[index] = Self.inSlot | UInt64(position)
                    }
                }
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
    fileprivate static func tail(_ bytes: UnsafeRawBufferPointer, from offset: Int) -> UInt64 {
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

// MARK: - In a checkpoint

extension ByteTable {
    /// Writes the table as it is laid out (the long keys, the locations, the slots), so that
    /// restoring it copies memory and hashes no key into place.
    func write(to out: inout BinaryWriter) {
        out.array(keys)
        out.array(locations)
        out.array(UnsafeBufferPointer(slots.base))
    }

    /// The table `write(to:)` wrote, checked to be one that adding keys makes (else the
    /// checkpoint's damage, naming `part`): every key valid UTF-8, numbered once, in the slot its
    /// own hash leads a look-up to, and the table no fuller than `EngineTuning.maxLoad`. So a
    /// look-up finds every key the table lists, and nothing read from the file can make a
    /// look-up trap or loop.
    init(checkpoint input: inout CheckpointReader, part: CheckpointDamage.Part) throws(CheckpointDamage) {
        keys = try input.array(of: UInt8.self)
        locations = try input.array(of: UInt64.self)
        let capacity = try input.arrayCount(of: Slot.self)
        slots = SlotStorage(capacity: capacity)
        try input.copy(capacity, of: Slot.self, into: slots.base)
        let load = EngineTuning.maxLoad
        guard locations.count < Int(Int32.max),
              capacity == 0 ? locations.isEmpty : capacity >= EngineTuning.minimumSlots && locations.count * load.denominator <= capacity * load.numerator
        else { throw .inconsistent(part, at: locations.count, .wrongCount) }
        try checkLocations(part)
        try checkSlots(part)
    }

    /// Each key's location lies within the table: a slot naming that key, or bytes of `keys`.
    private func checkLocations(_ part: CheckpointDamage.Part) throws(CheckpointDamage) {
        for (index, location) in locations.enumerated() {
            if location & Self.inSlot != 0 {
                let position = location & ~Self.inSlot
                guard position < UInt64(slots.count) else { throw .inconsistent(part, at: index, .indexOutOfRange) }
                let header = slots.base[Int(position)].header
                guard header != 0, Int(header & Slot.indexMask) - 1 == index, header & Slot.lengthMask <= Slot.length(Slot.inlineBytes) else {
                    throw .inconsistent(part, at: index, .misplacedKey)
                }
            } else {
                let start = location >> Self.lengthBits, length = location & Self.lengthMask
                guard length > UInt64(Slot.inlineBytes), start <= UInt64(keys.count), length <= UInt64(keys.count) - start else {
                    throw .inconsistent(part, at: index, .indexOutOfRange)
                }
            }
        }
    }

    /// Each full slot names a key once and holds its length (and, for a short key, its bytes
    /// zero-padded); every key is valid UTF-8; then a look-up of each key finds its number.
    /// That last pass checks each key's tag, its place on the probe path from its home slot
    /// (no empty slot between) and that no other slot on that path holds the same key. It goes
    /// through the slots in order: a key's home is at or just before its slot, so the look-ups
    /// read slots in the cache.
    private func checkSlots(_ part: CheckpointDamage.Part) throws(CheckpointDamage) {
        let capacity = slots.count
        guard capacity > 0 else { return }
        var named = [Bool](repeating: false, count: locations.count)
        for position in 0..<capacity {
            let slot = slots.base[position]
            guard slot.header != 0 else { continue }
            let index = Int(slot.header & Slot.indexMask) - 1  // not `Slot.index`: any bits may be here
            guard index >= 0, index < locations.count, !named[index] else { throw .inconsistent(part, at: position, .misplacedKey) }
            named[index] = true
            let location = locations[index]
            let consistent = location & Self.inSlot != 0
                ? location & ~Self.inSlot == UInt64(position) && Self.withKey(inSlot: slot) { Slot.words($0) == slot.inline }
                : slot.inline == (0, 0, 0) && slot.header & Slot.lengthMask == Slot.length(Self.range(location).count)
            guard consistent else { throw .inconsistent(part, at: position, .misplacedKey) }
        }
        if let missing = named.firstIndex(of: false) { throw .inconsistent(part, at: missing, .misplacedKey) }
        try keys.withUnsafeBytes { keys in Result { () throws(CheckpointDamage) in
            for position in 0..<capacity where slots.base[position].header != 0 {
                let slot = slots.base[position]
                let index = Int(slot.header & Slot.indexMask) - 1
                let location = locations[index]
                let found: (valid: Bool, number: Int32?) = location & Self.inSlot != 0
                    ? Self.withKey(inSlot: slot) { key in (String.isValidUTF8(key), probe(key, hash: Self.hash(key)).found) }
                    : { key in (String.isValidUTF8(key), probe(key, hash: Self.hash(key)).found) }(UnsafeRawBufferPointer(rebasing: keys[Self.range(location)]))
                guard found.valid else { throw .inconsistent(part, at: index, .notUTF8) }
                guard found.number == Int32(index) else { throw .inconsistent(part, at: position, .misplacedKey) }
            }
        } }.get()
    }
}

/// One place of a `ByteTable`'s hash table, 32 bytes: its header and, for a key of at most 24
/// bytes, the key itself, so that finding such a key reads this slot only.
private struct Slot {
    /// 0 when empty; else the top 24 bits of the key's hash, its length (`lengthMask` for 255
    /// bytes or more) in the 8 bits below, and its number + 1 in the lower 32.
    var header: UInt64 = 0
    /// A key of at most `inlineBytes`, zero-padded; zeros for a longer key (read from the
    /// table's `keys`).
    var inline: (UInt64, UInt64, UInt64) = (0, 0, 0)

    static let inlineBytes = 24
    static let tagMask: UInt64 = 0xFFFF_FF00_0000_0000
    static let lengthMask: UInt64 = 0xFF_0000_0000
    static let indexMask: UInt64 = 0xFFFF_FFFF

    init() {}

    init(_ key: UnsafeRawBufferPointer, hash: UInt64, index: Int) {
        header = hash & Self.tagMask | Self.length(key.count) | UInt64(index + 1)
        if key.count <= Self.inlineBytes { inline = Self.words(key) }
    }

    /// A key's length as the header holds it.
    @inline(__always)
    static func length(_ count: Int) -> UInt64 { UInt64(min(count, 255)) << 32 }

    /// The number a non-empty slot's `header` holds.
    @inline(__always)
    static func index(_ header: UInt64) -> Int32 { Int32(truncatingIfNeeded: header & indexMask) - 1 }

    /// A key of at most `inlineBytes` as three words, zero-padded.
    @inline(__always)
    static func words(_ key: UnsafeRawBufferPointer) -> (UInt64, UInt64, UInt64) {
        (word(key, 0), word(key, 8), word(key, 16))
    }

    /// The eight bytes of `key` from `offset`, zero-padded past its end.
    @inline(__always)
    private static func word(_ key: UnsafeRawBufferPointer, _ offset: Int) -> UInt64 {
        if offset + 8 <= key.count { return key.loadUnaligned(fromByteOffset: offset, as: UInt64.self) }
        return offset < key.count ? ByteTable.tail(key, from: offset) : 0
    }
}

/// A `ByteTable`'s slots, in memory mapped for them alone: zero (empty) until touched, aligned
/// to pages so that no slot straddles two cache lines (an array's elements start 32 bytes into
/// its buffer), and in huge pages where large (`adviseHugePages`). Shared by copies of a table
/// until one of them changes (`ByteTable.add`).
private final class SlotStorage: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<Slot>
    var count: Int { base.count }

    /// `capacity` empty slots.
    init(capacity: Int) {
        guard capacity > 0 else {
            base = UnsafeMutableBufferPointer(start: nil, count: 0)
            return
        }
        let bytes = capacity * MemoryLayout<Slot>.stride
        guard let memory = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), memory != MAP_FAILED else {
            fatalError("out of memory: \(bytes) bytes for a look-up table")
        }
        adviseHugePages(memory, bytes: bytes)
        base = UnsafeMutableBufferPointer(start: memory.bindMemory(to: Slot.self, capacity: capacity), count: capacity)
    }

    /// Fresh storage holding the same slots.
    func copy() -> SlotStorage {
        let copy = SlotStorage(capacity: count)
        if let from = base.baseAddress, let to = copy.base.baseAddress { to.update(from: from, count: count) }
        return copy
    }

    deinit {
        if let memory = base.baseAddress { munmap(memory, count * MemoryLayout<Slot>.stride) }
    }
}
