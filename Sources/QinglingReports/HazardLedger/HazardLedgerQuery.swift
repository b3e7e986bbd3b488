import QinglingEvents
import QinglingWorkflow

/// What a reader asks of the hazard ledger (隐患台账): which hazards (filters), in which order,
/// which page, as of which date. Shared by `GET /api/v1/hazards` and whatever else lists the
/// ledger, so that every list answers the same question the same way (`HazardLedger.page`).
public struct HazardLedgerQuery: Sendable, Equatable {
    /// What a list may be sorted by.
    public enum SortKey: String, Sendable, CaseIterable {
        case hazardId, discoveredOn, deadline, status
    }

    /// Only hazards reported in this region (its name, as the reports give it).
    public var region: String?
    /// Only hazards of this industry.
    public var industry: String?
    /// Only hazards in one of these statuses; every status when empty.
    public var statuses: Set<HazardStatus> = []
    /// Only hazards overdue (`true`) or not overdue (`false`) as of the date.
    public var overdue: Bool?
    /// Only hazards whose supervision in view names this lead department (its id).
    public var department: String?
    /// Only hazards whose id, enterprise name, credit code or description contains this text,
    /// ignoring case.
    public var text: String?
    public var sort: SortKey = .hazardId
    public var descending = false
    /// From 1.
    public var page = 1
    public var pageSize = Self.defaultPageSize
    /// The business date the ledger is read at; `nil`: the date the figures default to
    /// (`QueryDates.defaultDate`).
    public var asOf: CalendarDate?

    public static let defaultPageSize = 50
    public static let maximumPageSize = 500

    /// Every hazard in scope, sorted by id, the first page.
    public init() {}
}

/// Whose hazards a ledger lists (the reader's scope, `docs/api.md`): the county's, one
/// region's (a town), or one enterprise's (its credit code).
public enum HazardLedgerScope: Sendable, Equatable {
    case county
    /// A region's name.
    case region(String)
    /// An enterprise's credit code.
    case enterprise(String)
}
