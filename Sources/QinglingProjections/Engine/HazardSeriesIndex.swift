import CPrefetch
import QinglingEvents

/// The numbers of hazards whose ids have the form the workflow gives them (`PREFIX-YYYY-NNNN`:
/// two to eight capital letters, a year, four to six digits; `Syntax.isHazardId`), by the id's
/// own number: for each series (prefix, year and digit count) an array whose element `n` holds
/// the number of hazard `n` + 1, 0 for none.
///
/// A look-up in a hash table (`ByteTable`) reads a slot at random among millions, nearly
/// always a cache miss; ids of the same series are reported in order, and most events act on
/// recent hazards, so here they read a few neighbouring lines of a small array, mostly in
/// cache. An id kept here is kept nowhere else: `HazardNumbering` writes it back from its
/// spot (`id(at:)`), and keeps in a table only the ids this index does not take (of another
/// form, out of their series' range).
struct HazardSeriesIndex: Sendable {
    /// Where an id of the workflow's form is looked for: its series and its own number
    /// (`position(of:)`; a replay finds it on its reading thread, where the id's bytes are in
    /// cache).
    struct Position {
        fileprivate var key: Key
        fileprivate var number: Int
    }

    /// A series: the prefix's letters (at most 8, in a word), the year and the digit count
    /// (`LX-2024-0031` and `LX-2024-00031` are two ids).
    fileprivate struct Key: Hashable {
        var prefix: UInt64
        var year: UInt16
        var digits: UInt8
    }

    private struct Series {
        var key: Key
        /// The id number of `numbers[0]`: the first id of the series met (earlier numbers are
        /// left to the table).
        var base: Int
        var numbers: [Int32] = []
        /// How many elements of `numbers` are not 0.
        var filled = 0
    }

    private var places: [Key: Int] = [:]
    private var series: [Series] = []
    /// For each series, the least and greatest number of its ids kept elsewhere (`noteElsewhere`).
    private var elsewhere: [ClosedRange<Int>?] = []
    /// The place of the series looked up last.
    private var last = 0

    /// At most this many series are kept; a series' array grows to at most twice its filled
    /// elements plus `slack` (`EngineTuning`).
    private static let maxSeries = EngineTuning.maxSeries
    private static let slack = EngineTuning.seriesSlack

    init() {}

    /// The number of the hazard whose id is at `position`, if it is here.
    @inline(__always)
    mutating func number(at position: Position) -> Int32? {
        guard let (place, offset) = element(at: position), offset < series[place].numbers.count else { return nil }
        let stored = series[place].numbers[offset]
        return stored > 0 ? stored - 1 : nil
    }

    /// Starts bringing the element for `position` into the cache.
    @inline(__always)
    mutating func prefetch(_ position: Position) {
        guard let (place, offset) = element(at: position), offset < series[place].numbers.count else { return }
        series[place].numbers.withUnsafeBufferPointer { numbers in qingling_prefetch(numbers.baseAddress.map { $0 + offset }) }
    }

    /// The place of `position`'s series and its offset in the series' array, if the series is
    /// kept and the number not before its first.
    @inline(__always)
    private mutating func element(at position: Position) -> (place: Int, offset: Int)? {
        guard let place = place(of: position.key) else { return nil }
        let offset = position.number - series[place].base
        return offset >= 0 ? (place, offset) : nil
    }

    /// Notes that the hazard whose id is at `position`, not yet here, has number `hazard`; returns
    /// where the id is kept (`id(at:)`), or `nil` when it is left to the caller (its series not
    /// kept, or the number before the series' first or too far beyond its range).
    mutating func remember(_ position: Position, as hazard: Int32) -> Spot? {
        let (key, n) = (position.key, position.number)
        var found = place(of: key)
        if found == nil, series.count < Self.maxSeries {
            places[key] = series.count
            series.append(Series(key: key, base: n))
            elsewhere.append(nil)
            found = series.count - 1
        }
        guard let place = found else { return nil }
        let offset = n - series[place].base
        guard offset >= 0, offset < 2 * series[place].filled + Self.slack else { return nil }
        if offset >= series[place].numbers.count {
            series[place].numbers.append(contentsOf: repeatElement(0, count: offset + 1 - series[place].numbers.count))
        }
        precondition(series[place].numbers[offset] == 0, "a hazard id remembered twice")
        series[place].numbers[offset] = hazard + 1
        series[place].filled += 1
        return Spot(bits: UInt32(place) << Spot.numberBits | UInt32(n))
    }

    /// Notes that the id at `position` is kept elsewhere (`remember` left it to the caller).
    mutating func noteElsewhere(_ position: Position) {
        // A series not kept is never kept later (there are as many as are kept): all its ids
        // may be elsewhere.
        guard let place = place(of: position.key) else { return }
        let n = position.number
        elsewhere[place] = elsewhere[place].map { min($0.lowerBound, n)...max($0.upperBound, n) } ?? n...n
    }

    /// Whether the id at `position`, not found here, may be kept elsewhere: when its series is
    /// not kept, or its number is within those noted (`noteElsewhere`). Most ids looked up and
    /// not found here are new ones, which the caller then need not look for.
    @inline(__always)
    mutating func mayBeElsewhere(_ position: Position) -> Bool {
        guard let place = place(of: position.key) else { return true }
        return elsewhere[place]?.contains(position.number) ?? false
    }

    /// Where an id is kept: its series' place and its own number, in 30 bits (at most 1,024
    /// series, numbers of at most six digits).
    struct Spot: Equatable {
        static let numberBits: UInt32 = 20
        let bits: UInt32
    }

    /// The id kept at `spot`, written back: `PREFIX-YYYY-NNNN`, its number with the series' digit count.
    func id(at spot: Spot) -> String {
        let key = series[Int(spot.bits >> Spot.numberBits)].key
        var bytes: [UInt8] = []
        var prefix = key.prefix
        while prefix != 0 {
            bytes.append(UInt8(truncatingIfNeeded: prefix))
            prefix >>= 8
        }
        bytes.append(UInt8(ascii: "-"))
        Self.appendDigits(Int(key.year), count: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        Self.appendDigits(Int(spot.bits & (1 << Spot.numberBits - 1)), count: Int(key.digits), to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `value` in `count` decimal digits, with leading zeros.
    private static func appendDigits(_ value: Int, count: Int, to bytes: inout [UInt8]) {
        let start = bytes.count
        var value = value
        for _ in 0..<count {
            bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
            value /= 10
        }
        bytes[start...].reverse()
    }

    /// How many elements the series' arrays hold: what their memory is.
    var elementCount: Int { series.reduce(0) { $0 + $1.numbers.count } }

    /// Where the series `key` is in `series`: most events act on hazards of the last series
    /// looked up or of the few newest, found without hashing.
    @inline(__always)
    private mutating func place(of key: Key) -> Int? {
        if last < series.count, series[last].key == key { return last }
        for place in series.indices.reversed().prefix(4) where series[place].key == key {
            last = place
            return place
        }
        guard let place = places[key] else { return nil }
        last = place
        return place
    }

    /// The series and number of an id of the form `PREFIX-YYYY-NNNN`, else `nil`. Exact: two
    /// different ids never give the same position.
    static func position(of id: UnsafeRawBufferPointer) -> Position? {
        let count = id.count
        guard count >= 12, count <= 20 else { return nil }  // 2 + 1 + 4 + 1 + 4 to 8 + 1 + 4 + 1 + 6
        var prefix: UInt64 = 0, at = 0
        while at < count, id[at] != UInt8(ascii: "-") {
            let letter = id[at]
            guard at < 8, letter >= UInt8(ascii: "A"), letter <= UInt8(ascii: "Z") else { return nil }
            prefix |= UInt64(letter) << (8 * UInt64(at))
            at += 1
        }
        guard at >= 2, count - at - 6 >= 4, count - at - 6 <= 6 else { return nil }  // "-YYYY-" and 4 to 6 digits after
        guard let year = digits(id, from: at + 1, count: 4), id[at + 5] == UInt8(ascii: "-"),
              let n = digits(id, from: at + 6, count: count - at - 6) else { return nil }
        return Position(key: Key(prefix: prefix, year: UInt16(year), digits: UInt8(count - at - 6)), number: n)
    }

    /// The decimal value of the `count` bytes of `id` from `start`, if all are digits.
    @inline(__always)
    private static func digits(_ id: UnsafeRawBufferPointer, from start: Int, count: Int) -> Int? {
        var value = 0
        for at in start..<start + count {
            let digit = Int(id[at]) &- Int(UInt8(ascii: "0"))
            guard digit >= 0, digit <= 9 else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    // MARK: - In a checkpoint

    /// How many ids the series keep.
    var filledCount: Int { series.reduce(0) { $0 + $1.filled } }

    /// Whether an id at `position`, kept elsewhere, is looked for there: its series is kept,
    /// has no id at its number and notes it as elsewhere; or its series is not kept and no more
    /// series can be (so no later report makes it one that hides the id).
    mutating func leavesElsewhere(_ position: Position) -> Bool {
        guard place(of: position.key) != nil else { return series.count == Self.maxSeries }
        return number(at: position) == nil && mayBeElsewhere(position)
    }

    /// The number of the hazard kept at `spot`, if `spot` is a place of these series that holds one.
    func number(atSpot spot: Spot) -> Int32? {
        let place = Int(spot.bits >> Spot.numberBits)
        guard place < series.count else { return nil }
        let offset = Int(spot.bits & (1 << Spot.numberBits - 1)) - series[place].base
        guard offset >= 0, offset < series[place].numbers.count, series[place].numbers[offset] > 0 else { return nil }
        return series[place].numbers[offset] - 1
    }

    /// Writes every series: its key, its first number, its array, and the range of its numbers
    /// kept elsewhere.
    func write(to out: inout BinaryWriter) {
        out.unsigned(UInt64(series.count))
        for (place, kept) in series.enumerated() {
            out.unsigned(kept.key.prefix)
            out.unsigned(UInt64(kept.key.year))
            out.byte(kept.key.digits)
            out.unsigned(UInt64(kept.base))
            out.array(kept.numbers)
            out.optional(elsewhere[place]) { out, range in
                out.unsigned(UInt64(range.lowerBound))
                out.unsigned(UInt64(range.upperBound))
            }
        }
    }

    /// The series `write(to:)` wrote, checked (else the checkpoint's damage): each of the
    /// workflow's form (two to eight capital letters, a four-digit year, four to six digits) and
    /// listed once, its numbers within its digits, each element a hazard of `hazards` or 0.
    init(checkpoint input: inout CheckpointReader, hazards: Int) throws(CheckpointDamage) {
        let count = try input.count()
        guard count <= Self.maxSeries else { throw .inconsistent(.hazardSeries, at: count, .wrongCount) }
        for place in 0..<count {
            let prefix = try input.unsigned(), year = try input.unsigned(), digits = try input.byte(), base = try input.unsigned()
            let numbers = try input.array(of: Int32.self)
            let range = try input.optional { (r: inout CheckpointReader) throws(CheckpointDamage) in (try r.unsigned(), try r.unsigned()) }
            let limit = [4: 10_000, 5: 100_000, 6: 1_000_000][Int(digits)] ?? 0
            guard Self.isPrefix(prefix), year <= 9_999, base < UInt64(limit), UInt64(numbers.count) <= UInt64(limit) - base,
                  range.map({ $0.0 <= $0.1 && $0.1 < UInt64(limit) }) ?? true else {
                throw .inconsistent(.hazardSeries, at: place, .malformedSeries)
            }
            let key = Key(prefix: prefix, year: UInt16(year), digits: digits)
            guard places.updateValue(place, forKey: key) == nil else { throw .inconsistent(.hazardSeries, at: place, .malformedSeries) }
            var kept = Series(key: key, base: Int(base), numbers: numbers)
            for number in numbers where number != 0 {
                guard number > 0, Int(number) <= hazards else { throw .inconsistent(.hazardSeries, at: place, .indexOutOfRange) }
                kept.filled += 1
            }
            series.append(kept)
            elsewhere.append(range.map { Int($0.0)...Int($0.1) })
        }
    }

    /// Whether `prefix` holds two to eight capital letters from its lowest byte up, then zeros.
    private static func isPrefix(_ prefix: UInt64) -> Bool {
        var rest = prefix, letters = 0
        while rest != 0 {
            let letter = UInt8(truncatingIfNeeded: rest)
            guard letter >= UInt8(ascii: "A"), letter <= UInt8(ascii: "Z") else { return false }
            letters += 1
            rest >>= 8
        }
        return letters >= 2
    }
}
