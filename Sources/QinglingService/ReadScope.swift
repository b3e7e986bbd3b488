import QinglingAccounts
import QinglingEvents
import QinglingReports
import QinglingWorkflow

// The scope of reads, and what a write may reveal of hazards outside it.

/// What an account may read (`docs/api.md`): an enterprise its own hazards, a town its
/// region's, everyone else every hazard. Outside its scope a hazard does not exist (404).
struct ReadScope {
    let account: Account
    let reference: ReferenceData

    /// Whether the account's scope is narrower than the county (an enterprise's, a town's).
    var isNarrow: Bool { account.role == .enterprise || account.role == .town }

    func sees(_ hazard: HazardRecord) -> Bool {
        switch account.role {
        case .enterprise:
            return hazard.report.enterprise?.creditCode == account.organization.id
        case .town:
            return reference.region(named: hazard.report.region)?.code == account.organization.id
        case .department, .committee, .analyst, .archivist:
            return true
        }
    }

    /// The hazards the account's ledger lists (`GET /hazards`); `nil` for a town account whose
    /// organisation is no region of the reference data (it sees none).
    var ledgerScope: HazardLedgerScope? {
        switch account.role {
        case .enterprise: return .enterprise(account.organization.id)
        case .town: return reference.region(code: account.organization.id).map { .region($0.name) }
        case .department, .committee, .analyst, .archivist: return .county
        }
    }
}
