import QinglingEvents

extension Report {
    /// `knownAt` (µs since the Unix epoch; `--known-at`) as a fact of a report (none when not given).
    public static func knownAtFacts(_ knownAt: Int64?) -> [Fact] {
        [.init(key: "knownAt", zh: "记录截止", en: "Known at", value: knownAt.map { .text(ShanghaiDateTime(microseconds: $0).description) } ?? .none)]
    }
}
