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
    func loadProjectionsAsKnown() throws -> (EventStore, ProjectionState) {
        guard let knownAt = try knownAt() else { return try loadProjections() }
        do throws(ProjectionError) {
            let store: EventStore
            do throws(StoreError) { store = try EventStore(readingFrom: log.directory) } catch { throw .store(error) }
            return (store, try ProjectionStore.state(of: store, knownAt: knownAt))
        } catch {
            throw ExitCodes.report(error)
        }
    }

    /// The business date of the last event recorded by `knownAt`, found by bisecting the
    /// recorded times (which increase with the sequence); `nil` when every event or none was
    /// recorded by then.
    func businessDateOfLastEvent(_ store: EventStore, recordedBy knownAt: Int64) throws -> CalendarDate? {
        var known: UInt64 = 0  // recorded by knownAt
        let record: LogRecord
        do throws(LogError) {
            let next = try store.reader.nextSequence()
            guard next > 0, try store.reader.record(at: 0).recordedAt <= knownAt,
                  try store.reader.record(at: next - 1).recordedAt > knownAt else { return nil }
            var unknown = next - 1  // recorded after knownAt
            while unknown - known > 1 {
                let middle = known + (unknown - known) / 2
                if try store.reader.record(at: middle).recordedAt <= knownAt { known = middle } else { unknown = middle }
            }
            record = try store.reader.record(at: known)
        } catch {
            throw ExitCodes.report(error)
        }
        do throws(EventDecodingError) {
            return try EventBinaryCodec.decode(record.payload).occurredAt.date
        } catch {
            throw ExitCodes.report(StoreError.undecodable(sequence: known, error))
        }
    }
}
