import Foundation
import QinglingEvents
import QinglingLog
import QinglingWorkflow

/// Keeps the projection state of a log up to date: loads the checkpoint saved beside the log,
/// checks it against the log, folds in only the newer events, and saves a new checkpoint.
public enum ProjectionStore {
    /// `DIR/projections/state.qlproj`: the checkpoint of the log in `DIR`.
    public static func checkpointPath(forLog directory: String) -> String {
        LogLayout(directory: directory).directory + "/projections/state.qlproj"
    }

    /// What loading did.
    public struct LoadReport: Sendable, Equatable {
        /// The sequence the checkpoint covered, when one was used.
        public var checkpointCovered: UInt64?
        /// Why a checkpoint present was not used.
        public var discarded: String?
        /// Events folded in by this run.
        public var applied: Int = 0
        /// Why the new checkpoint could not be saved (the results are still right).
        public var saveFailure: String?
    }

    /// The projection state of the log read by `store`, brought up to its last event.
    ///
    /// - Parameters:
    ///   - rebuild: ignore any checkpoint and fold the whole log.
    ///   - save: write the new checkpoint when anything changed.
    ///   - progress: called now and then with (events folded, events to fold).
    public static func load(_ store: EventStore, rebuild: Bool = false, save: Bool = true,
                            progress: ((UInt64, UInt64) -> Void)? = nil) throws(StoreError) -> (ProjectionState, LoadReport) {
        let directory = store.reader.layout.directory
        let path = checkpointPath(forLog: directory)
        var report = LoadReport()
        let end: UInt64
        do throws(LogError) { end = try store.reader.nextSequence() } catch { throw .log(error) }
        var state = ProjectionState()
        if !rebuild, FileManager.default.fileExists(atPath: path) {
            switch checkedCheckpoint(at: path, store: store, logEnd: end) {
            case .success(let saved):
                state = saved
                report.checkpointCovered = saved.nextSequence
            case .failure(let reason):
                report.discarded = reason.reason
            }
        }
        let start = state.nextSequence
        // Room for what a rebuild will fold, within reason: `end` is read from the log's files.
        if start == 0 { state.reserveCapacity(forEvents: min(Int(clamping: end), 1 << 26)) }
        var reported = 0
        let lastBytes = try state.foldLog(of: store) { folded in
            report.applied = folded
            if folded - reported >= 65_536 {
                reported = folded
                progress?(UInt64(folded), end - start)
            }
        }
        // The fold leaves events unhashed; only the last one's hash is kept (checkpoint check).
        if let lastBytes { state.coverLastEvent(hash: Ledger.digest(ofStoredBytes: lastBytes)) }
        if save, report.applied > 0 || report.discarded != nil || (rebuild && FileManager.default.fileExists(atPath: path)) {
            report.saveFailure = write(state, to: path)
        }
        return (state, report)
    }

    /// The checkpoint at `path`, if it reads back intact and matches the log.
    static func checkedCheckpoint(at path: String, store: EventStore, logEnd: UInt64) -> Result<ProjectionState, EventDecodingError> {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(EventDecodingError(reason: "\(path) cannot be read"))
        }
        let state: ProjectionState
        do throws(EventDecodingError) { state = try ProjectionCheckpoint.decode(Array(data)) } catch {
            return .failure(EventDecodingError(reason: "\(path): \(error.reason)"))
        }
        guard state.nextSequence <= logEnd else {
            return .failure(EventDecodingError(reason: "\(path) covers \(state.nextSequence) events but the log has \(logEnd)"))
        }
        guard state.nextSequence > 0 else { return .success(state) }
        do throws(LogError) {
            let last = try store.reader.record(at: state.nextSequence - 1)
            guard Ledger.digest(ofStoredBytes: last.payload) == state.lastEventHash, last.recordedAt == state.lastRecordedAt else {
                return .failure(EventDecodingError(reason: "\(path) does not match the log's event \(state.nextSequence - 1)"))
            }
        } catch {
            return .failure(EventDecodingError(reason: "\(path) cannot be checked: \(error)"))
        }
        return .success(state)
    }

    /// Writes `state` as a checkpoint: a temporary file renamed into place, so a reader never
    /// sees half a checkpoint. Returns why it failed, if it did.
    static func write(_ state: ProjectionState, to path: String) -> String? {
        let url = URL(fileURLWithPath: path)
        // A name of this process's own: two analysts' commands may save at the same moment.
        let temporary = url.appendingPathExtension("tmp-\(getpid())")
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(ProjectionCheckpoint.encode(state)).write(to: temporary)
            guard rename(temporary.path, path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
            return nil
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            return "cannot save the projection checkpoint \(path): \(error.localizedDescription)"
        }
    }
}
