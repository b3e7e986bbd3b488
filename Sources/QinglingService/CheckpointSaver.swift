import Dispatch
import Logging
import QinglingProjections
import ServiceLifecycle

/// Saves the projections' checkpoint every `interval` while the log grows, so that a restart
/// after a crash folds only the events since the last save. The state is taken from the ledger
/// as a copy (appends go on while it is written) and written on a thread outside Swift's
/// cooperative pool, which serves the requests. Stops at graceful shutdown, after the save in
/// progress, if any; `LiveLedger.close` saves the last state.
struct CheckpointSaver: Service {
    let ledger: LiveLedger
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
            guard let state = await ledger.projectionsToSave() else { continue }
            let file = ledger.checkpoint
            let clock = ContinuousClock()
            let start = clock.now
            let failure = await withCheckedContinuation { saved in
                DispatchQueue.global(qos: .utility).async { saved.resume(returning: file.save(state)) }
            }
            if let failure {
                logger.error("saving the projections checkpoint failed", metadata: ["error": "\(failure)"])
            } else {
                logger.info("projections checkpoint saved", metadata: ["events": "\(state.nextSequence)", "took": "\(clock.now - start)"])
            }
        }
    }
}
