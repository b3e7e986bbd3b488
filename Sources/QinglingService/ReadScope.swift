import QinglingAccounts
import QinglingEvents
import QinglingWorkflow

/// What an account may read (`docs/api.md`): an enterprise its own hazards, a town its
/// region's, everyone else every hazard. Outside its scope a hazard does not exist (404).
struct ReadScope {
    let account: Account
    let reference: ReferenceData

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
}
