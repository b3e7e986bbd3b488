import Crypto

/// The Merkle tree of RFC 6962 §2.1 (Certificate Transparency): leaf hash
/// `SHA-256(0x00 || leaf)`, node hash `SHA-256(0x01 || left || right)`, a tree of n leaves
/// split at the largest power of two below n. Inclusion proofs are audit paths (§2.1.1),
/// checked as in RFC 9162 §2.1.3.2.
public enum MerkleTree {
    public static func leafHash(_ leaf: [UInt8]) -> [UInt8] {
        leaf.withUnsafeBytes { leafHash([], $0) }
    }

    /// The leaf hash of the leaf `head || rest`, `rest` hashed where it lies.
    public static func leafHash(_ head: [UInt8], _ rest: UnsafeRawBufferPointer) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: [0x00])
        hasher.update(data: head)
        hasher.update(bufferPointer: rest)
        return Array(hasher.finalize())
    }

    public static func nodeHash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: [0x01])
        hasher.update(data: left)
        hasher.update(data: right)
        return Array(hasher.finalize())
    }

    /// The root over leaf hashes (MTH); the hash of the empty string for no leaves.
    public static func root(_ leaves: [[UInt8]]) -> [UInt8] {
        root(leaves[...])
    }

    private static func root(_ leaves: ArraySlice<[UInt8]>) -> [UInt8] {
        var accumulator = Accumulator()
        for leaf in leaves { accumulator.append(leaf) }
        return accumulator.root
    }

    /// The root over leaf hashes given one at a time, in memory for about log2(n) hashes: for
    /// a tree as large as a whole log.
    ///
    /// It keeps the roots of the complete subtrees the leaves so far make, one per bit set in
    /// their count, largest (leftmost) first; a new leaf merges with the subtrees of equal size.
    /// The root joins them from the right, which is RFC 6962's split at the largest power of two.
    public struct Accumulator: Sendable {
        /// The number of leaves appended.
        public private(set) var count: UInt64 = 0
        private var subtrees: [[UInt8]] = []

        public init() {}

        /// Appends the next leaf hash.
        public mutating func append(_ leafHash: [UInt8]) {
            var hash = leafHash
            var merged = count
            while merged & 1 == 1 {
                hash = MerkleTree.nodeHash(subtrees.removeLast(), hash)
                merged >>= 1
            }
            subtrees.append(hash)
            count += 1
        }

        /// The root over the leaves appended so far (MTH); the hash of the empty string for none.
        public var root: [UInt8] {
            guard var hash = subtrees.last else { return Array(SHA256.hash(data: [UInt8]())) }
            for subtree in subtrees.dropLast().reversed() { hash = MerkleTree.nodeHash(subtree, hash) }
            return hash
        }
    }

    /// The audit path of leaf `index` (PATH(m, D[n])), from the leaf up.
    public static func auditPath(of index: Int, in leaves: [[UInt8]]) -> [[UInt8]] {
        path(index, leaves[...])
    }

    private static func path(_ index: Int, _ leaves: ArraySlice<[UInt8]>) -> [[UInt8]] {
        guard leaves.count > 1 else { return [] }
        let k = largestPowerOfTwo(below: leaves.count)
        let split = leaves.startIndex + k
        if index < k {
            return path(index, leaves[..<split]) + [root(leaves[split...])]
        }
        return path(index - k, leaves[split...]) + [root(leaves[..<split])]
    }

    /// The root that `path` proves for leaf hash `leaf` at `index` in a tree of `size` leaves,
    /// or `nil` when the path has the wrong length for that position (RFC 9162 §2.1.3.2).
    public static func root(fromPath path: [[UInt8]], leaf: [UInt8], index: Int, size: Int) -> [UInt8]? {
        guard index >= 0, index < size else { return nil }
        var fn = index, sn = size - 1
        var r = leaf
        for p in path {
            guard p.count == 32, sn != 0 else { return nil }
            if fn & 1 == 1 || fn == sn {
                r = nodeHash(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = nodeHash(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 ? r : nil
    }

    /// The largest power of two strictly below `n` (n ≥ 2).
    static func largestPowerOfTwo(below n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }
}

/// What a leaf of a sealed year's tree is: the event's sequence number (u64, big-endian), its
/// recorded time (i64 µs, big-endian) and its stored bytes.
public enum ArchiveLeaf {
    public static func bytes(sequence: UInt64, recordedAt: Int64, stored: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16 + stored.count)
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: sequence >> UInt64(shift))) }
        let time = UInt64(bitPattern: recordedAt)
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: time >> UInt64(shift))) }
        bytes += stored
        return bytes
    }

    public static func hash(sequence: UInt64, recordedAt: Int64, stored: [UInt8]) -> [UInt8] {
        stored.withUnsafeBytes { hash(sequence: sequence, recordedAt: recordedAt, stored: $0) }
    }

    /// The leaf hash of a record whose stored bytes are read where they lie (no copy).
    public static func hash(sequence: UInt64, recordedAt: Int64, stored: UnsafeRawBufferPointer) -> [UInt8] {
        MerkleTree.leafHash(bytes(sequence: sequence, recordedAt: recordedAt, stored: []), stored)
    }
}
