import QinglingEvents
import QinglingLog
import QinglingWorkflow

/// What the hazard ledger lists of each hazard that the projections do not keep: the enterprise
/// and description its report gives, and the lead department its supervision names (at most one
/// supervision a hazard: only a reported hazard is supervised). Folded from reports and
/// supervisions, in any order (each sets fields of its own), so a directory read from the log
/// up to a sequence merges with one folded from the appends after it.
public struct HazardDirectory: Sendable {
    /// A report's facts.
    public struct Report: Sendable, Equatable {
        /// `nil` for a hazard with no operator.
        public var enterprise: EnterpriseRef?
        public var description: String
        /// The hazard id, the enterprise's name and credit code and the description, lowercased,
        /// as UTF-8, each after a `separator`: what `contains(_:in:)` searches.
        let searchText: [UInt8]

        init(_ report: HazardReported) {
            enterprise = report.enterprise
            description = report.description
            let fields = [report.hazardId, report.enterprise?.name ?? "", report.enterprise?.creditCode ?? "", report.description]
            searchText = fields.flatMap { [HazardDirectory.separator] + Array($0.lowercased().utf8) }
        }
    }

    /// Comes before each field of a report's search text, so that no search (which never holds
    /// it) matches across two fields.
    static let separator: UInt8 = 0x1F

    /// Sharded, as the ledger's tables: the service folds every append into them.
    private var reports = ShardedDictionary<String, Report>()
    private var leads = ShardedDictionary<String, DepartmentRef>()

    public init() {}

    /// The report of hazard `id`, once folded in.
    public func report(of id: String) -> Report? { reports[id] }

    /// The lead department of hazard `id`'s supervision, once folded in.
    public func leadDepartment(of id: String) -> DepartmentRef? { leads[id] }

    /// A text searched for in the reports, ignoring case: lowercased once for every report.
    public struct Search: Sendable {
        let needle: [UInt8]

        public init(_ text: String) { needle = Array(text.lowercased().utf8) }
    }

    /// Whether hazard `id`'s id, enterprise name, credit code or description contains `search`,
    /// ignoring case (both lowercased; a hazard whose report is not folded in: its id only).
    public func contains(_ search: Search, in id: String) -> Bool {
        guard !search.needle.contains(Self.separator) else { return false }
        return Self.bytes(reports[id]?.searchText ?? [Self.separator] + Array(id.lowercased().utf8), contain: search.needle)
    }

    /// Whether `needle` occurs in `haystack` (UTF-8 of whole characters on both sides: a match
    /// starts and ends on a scalar's boundary).
    private static func bytes(_ haystack: [UInt8], contain needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        guard haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == first {
            if haystack[start..<start + needle.count].elementsEqual(needle) { return true }
        }
        return false
    }

    /// Folds in one stored event (its bytes as the log keeps them); only reports and supervisions
    /// are decoded whole.
    public mutating func fold(_ payload: UnsafeRawBufferPointer) throws(EventDecodingError) {
        switch try EventView(payload).body {
        case .hazardReported, .hazardSupervised: break
        default: return
        }
        switch try EventBinaryCodec.decode(Array(payload)).body {
        case .hazardReported(let report): reports[report.hazardId] = Report(report)
        case .hazardSupervised(let supervision): leads[supervision.hazardId] = supervision.leadDepartment
        default: break
        }
    }

    /// Takes in `later`'s facts over these (a directory folded from the events after these).
    public mutating func merge(_ later: HazardDirectory) {
        reports.merge(later.reports)
        leads.merge(later.leads)
    }

    /// The directory of the events `range` of the log in `directory`, read in order.
    public static func read(logDirectory directory: String, _ range: Range<UInt64>) throws(StoreError) -> HazardDirectory {
        var found = HazardDirectory()
        var undecodable: (UInt64, EventDecodingError)?
        do throws(LogError) {
            try LogReader(directory: directory).forEachPayload(in: range) { sequence, _, payload throws(LogError) in
                guard undecodable == nil else { return }
                do throws(EventDecodingError) { try found.fold(payload) } catch { undecodable = (sequence, error) }
            }
        } catch {
            throw .log(error)
        }
        if let (sequence, error) = undecodable { throw .undecodable(sequence: sequence, error) }
        return found
    }
}
