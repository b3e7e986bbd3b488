import Foundation
import QinglingWorkflow

/// What `qingling verify` finds of the projection checkpoint beside a log.
///
/// The analysts' commands trust a checkpoint that passes its checks (intact, this log's, not
/// ahead of it). Whoever can edit the file can also fix its checksum, and no key the program
/// could read beside the log would be out of their reach; so `verify` brings the checkpoint up
/// to date as a command would and compares it, figure by figure, with a full rebuild.
public enum CheckpointAudit {
    public enum Finding: Equatable, Sendable {
        /// There is no checkpoint beside the log.
        case absent
        /// The commands do not use it (they rebuild it), for this reason.
        case unused(CheckpointError)
        /// Brought up to date from the events it covers, it equals a full rebuild.
        case matches(coveredEvents: UInt64)
        /// Brought up to date from the events it covers, it differs from a full rebuild in these
        /// figures: what the commands would have answered from it.
        case differs(coveredEvents: UInt64, differences: [ProjectionDifference])
    }

    /// Checks the checkpoint of the log read by `store`. Throws when the log or its events cannot
    /// be read, and when the checkpoint covers more events than the log holds.
    public static func run(_ store: EventStore) throws(ProjectionError) -> Finding {
        let path = ProjectionStore.checkpointPath(forLog: store.reader.layout.directory)
        guard FileManager.default.fileExists(atPath: path) else { return .absent }
        let end = try ProjectionStore.logEnd(store)
        var resumed: ProjectionState
        switch ProjectionStore.checkedCheckpoint(at: path, store: store, logEnd: end, parts: { _ in .all }) {
        case .success(let saved): resumed = saved
        case .failure(let error):
            if case .coversMoreThanTheLog = error { throw .checkpoint(error) }
            return .unused(error)
        }
        let covered = resumed.nextSequence
        _ = try ProjectionStore.bringUpToDate(&resumed, store: store)
        let (rebuilt, _) = try ProjectionStore.load(store, rebuild: true, save: false)
        var differences = resumed.differences(from: rebuilt)
        // The figures kept for calendar periods are read only from a checkpoint that covers the
        // whole log, and then compared too.
        if covered == end, let kept = try? ProjectionStore.keptClearanceFigures(store) {
            differences += kept.periodsDiffering(from: rebuilt).map { .keptClearanceFigures(period: $0) }
        }
        return differences.isEmpty ? .matches(coveredEvents: covered) : .differs(coveredEvents: covered, differences: differences)
    }
}
