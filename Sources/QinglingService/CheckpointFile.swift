import QinglingProjections
import Synchronization

/// The service's projections checkpoint file (`ProjectionStore.checkpointPath`): saved by the
/// periodic `CheckpointSaver` off the ledger's actor and by `LiveLedger.close` at shutdown, one
/// save at a time, and never a state older than the one saved before it.
final class CheckpointFile: Sendable {
    private let path: String
    /// The log length the file covers as far as this process knows (0 when unknown).
    private let covered: Mutex<UInt64>

    /// `covered`: the log length of the checkpoint on disk when the service started.
    init(path: String, covered: UInt64) {
        self.path = path
        self.covered = Mutex(covered)
    }

    /// Whether `state` covers events the file does not.
    func isBehind(_ state: ProjectionState) -> Bool { covered.withLock { $0 < state.nextSequence } }

    /// Writes `state` when it covers more of the log than the file does (blocking: the write
    /// runs under the lock, so that a second save waits for the first); returns why it failed,
    /// if it did, and `nil` when it was saved or had nothing new to save.
    func save(_ state: ProjectionState) -> String? {
        covered.withLock { covered in
            guard covered < state.nextSequence else { return nil }
            if let failure = ProjectionStore.write(state, to: path) { return failure }
            covered = state.nextSequence
            return nil
        }
    }
}
