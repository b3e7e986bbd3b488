import QinglingEvents
import QinglingLog
import QinglingProjections
import QinglingWorkflow

extension AnalystOptions {
    /// The projections as the ledger held them at `--known-at`: the events recorded by then,
    /// folded afresh (`ProjectionStore.state(of:knownAt:)`), so that every figure is of them,
    /// penalties and tip-offs included; without `--known-at`, brought up to date as
    /// `loadProjections` does. For the commands whose figures are not all hazards' steps
    /// (`ranking`, `penalties`, `rewards`).
    func loadProjectionsAsKnown(_ parts: ProjectionParts = .all) throws -> (EventStore, ProjectionState) {
        guard let knownAt = try knownAt() else { return try loadProjections(parts) }
        do throws(ProjectionError) {
            let store: EventStore
            do throws(StoreError) { store = try EventStore(readingFrom: log.directory) } catch { throw .store(error) }
            return (store, try ProjectionStore.state(of: store, knownAt: knownAt))
        } catch {
            throw ExitCodes.report(error)
        }
    }
}
