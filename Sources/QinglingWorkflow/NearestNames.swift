/// The valid values nearest a refused one, for "did you mean …?" in refusals. Nearness is the
/// edit distance (insertions, deletions, substitutions and swaps of two neighbours, over Unicode
/// scalars, so that one wrong Chinese character or digit counts 1; letters in either case)
/// relative to the longer length (`烟花` is nearer `烟花爆竹` than `燃气`); ties go to the longer
/// common prefix (codes that share their leading digits), then to reference order. Simple and
/// deterministic: the same input gives the same suggestions everywhere.
enum NearestNames {
    /// A valid value: the strings it may be written as (a code, a name) and how to show it.
    struct Candidate {
        var keys: [String]
        var label: String
    }

    /// How near a key is: its edit distance over the longer length, and the common prefix.
    private struct Nearness {
        var distance: Int
        var length: Int
        var prefix: Int

        /// Nearer: a smaller relative distance (compared exactly, as fractions), or a longer prefix.
        func isNearer(than other: Nearness) -> Bool {
            let mine = distance * other.length, theirs = other.distance * length
            return mine != theirs ? mine < theirs : prefix > other.prefix
        }

        func isAsNear(as other: Nearness) -> Bool { distance * other.length == other.distance * length }
    }

    /// The labels of the candidates nearest `value` (all equally near), at most `limit`.
    static func labels(near value: String, in candidates: [Candidate], limit: Int = 3) -> [String] {
        let query = Array(value.lowercased().unicodeScalars)
        let ranked = candidates.map { candidate in
            let scores = candidate.keys.map { key in
                let scalars = Array(key.lowercased().unicodeScalars)
                return Nearness(distance: distance(query, scalars), length: max(query.count, scalars.count, 1),
                                prefix: zip(query, scalars).prefix { $0 == $1 }.count)
            }
            return (nearness: scores.min { $0.isNearer(than: $1) }, label: candidate.label)
        }.enumerated().compactMap { index, entry in entry.nearness.map { (nearness: $0, index: index, label: entry.label) } }
        let sorted = ranked.sorted { $0.nearness.isNearer(than: $1.nearness) || (!$1.nearness.isNearer(than: $0.nearness) && $0.index < $1.index) }
        guard let nearest = sorted.first?.nearness else { return [] }
        return sorted.prefix { $0.nearness.isAsNear(as: nearest) }.prefix(limit).map(\.label)
    }

    /// The optimal-string-alignment distance: insertions, deletions, substitutions and swaps of
    /// two neighbouring scalars, each counting 1.
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
