import QinglingEvents
import QinglingLog
import QinglingProjections
import QinglingWorkflow

/// The log as the service holds it: the one writer, and every projection kept current in
/// memory (each append is folded in as it is acknowledged). Appends run one at a time.
actor LiveLedger {
    private let store: EventStore
    private var projections: ProjectionState
    private let checkpointPath: String

    /// Opens the log in `directory` for appending and brings its projections up to date from
    /// the checkpoint beside it.
    init(directory: String, reference: ReferenceData, options: LogOptions = LogOptions()) throws(ProjectionError) {
        do throws(StoreError) {
            store = try EventStore(appendingTo: directory, reference: reference, options: options)
        } catch {
            throw .store(error)
        }
        (projections, _) = try ProjectionStore.load(store)
        checkpointPath = ProjectionStore.checkpointPath(forLog: directory)
    }

    /// Checks and appends `inputs` all or nothing, then folds what was written into the
    /// projections.
    /// (A `Result`, not typed throws: the compiler mishandles typed errors across actors.)
    func append(_ inputs: [EventStore.Input]) -> Result<EventStore.AppendReport, StoreError> {
        do throws(StoreError) {
            let report = try store.append(inputs)
            do throws(ProjectionError) {
                _ = try ProjectionStore.bringUpToDate(&projections, store: store)
            } catch {
                if case .store(let storeError) = error { throw storeError }
            }
            return .success(report)
        } catch {
            return .failure(error)
        }
    }

    /// The state of hazard `id` as the rules see it (`nil` if it was never reported) and every
    /// event that names it, in log order.
    func hazard(_ id: String) -> Result<(HazardRecord, [StoredEvent])?, StoreError> {
        do throws(StoreError) {
            guard let record = try store.hazard(id) else { return .success(nil) }
            return .success((record, try store.history(ofHazard: id)))
        } catch {
            return .failure(error)
        }
    }

    /// The number of events in the log.
    var eventCount: UInt64 { projections.nextSequence }

    /// Saves the projections' checkpoint; returns why it failed, if it did.
    func saveCheckpoint() -> String? {
        ProjectionStore.write(projections, to: checkpointPath)
    }

    /// Syncs and closes the writer after saving the checkpoint.
    func close() throws(StoreError) {
        _ = saveCheckpoint()
        try store.close()
    }
}
