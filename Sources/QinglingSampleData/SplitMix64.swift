#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// SplitMix64 (Steele, Lea and Flood, 2014): a small, fast, seedable generator. The sample data
/// depends only on it and on the seed — never on the standard library's random algorithms,
/// which may change between toolchains — so a seed gives the same events everywhere.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A generator for one keyed sub-stream (e.g. one hazard), independent of the others.
    init(seed: UInt64, stream: UInt64) {
        state = SplitMix64.mix(seed ^ SplitMix64.mix(stream &+ 0x632B_E59B_D9B4_E019))
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// The SplitMix64 finaliser: a bijective 64-bit mix.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// FNV-1a of a text, for stable per-name streams (Swift's `Hasher` is seeded per process).
    static func hash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }

    /// A uniform integer in `range` (multiply-high mapping; the bias is below 2^-40 here).
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound) &+ 1
        guard span != 0 else { return Int(bitPattern: UInt(next())) }
        return range.lowerBound + Int(next().multipliedFullWidth(by: span).high)
    }

    /// A uniform index into a collection of `count` elements (`count` > 0).
    mutating func index(_ count: Int) -> Int { int(0...max(0, count - 1)) }

    /// A uniform double in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// An element of a non-empty array (the first for an empty one is never asked for).
    mutating func pick<T>(_ items: [T]) -> T { items[index(items.count)] }

    /// An index drawn with the given non-negative weights.
    mutating func weighted(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        guard total > 0 else { return 0 }
        var target = unit() * total
        for (index, weight) in weights.enumerated() {
            if target < weight { return index }
            target -= weight
        }
        return weights.count - 1
    }

    /// A Poisson-distributed count with mean `lambda` (Knuth's method for small means, a
    /// rounded normal approximation above 30).
    mutating func poisson(_ lambda: Double) -> Int {
        guard lambda > 0 else { return 0 }
        if lambda < 30 {
            let limit = exp(-lambda)
            var product = unit()
            var count = 0
            while product > limit {
                count += 1
                product *= unit()
            }
            return count
        }
        let u1 = max(unit(), 0x1p-53)
        let normal = sqrt(-2 * log(u1)) * cos(2 * Double.pi * unit())
        return max(0, Int((lambda + sqrt(lambda) * normal).rounded()))
    }

    /// A log-uniform integer in `low...high` (both > 0): small amounts more often than large.
    mutating func logUniform(_ low: Int, _ high: Int) -> Int {
        guard low > 0, high > low else { return max(low, 0) }
        return min(high, Int(exp(log(Double(low)) + unit() * (log(Double(high)) - log(Double(low))))))
    }
}
