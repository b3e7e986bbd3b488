import QinglingWorkflow
import Synchronization

/// Group commit of the requests that append events: requests arriving while an append is being
/// written and synced wait together, and are appended as one (`LiveLedger.append(requests:hiding:)`),
/// so that many clients share each `fdatasync`. Each request is still all or nothing, and answered
/// as if the requests before it had been appended first; requests are taken in arrival order.
final class GroupCommit: Sendable {
    private let ledger: LiveLedger

    private struct Waiting: Sendable {
        var inputs: [EventStore.Input]
        var hidden: Set<String>
        var answer: CheckedContinuation<Result<RequestAppended, StoreError>, Never>
    }

    private struct Queue: Sendable {
        var waiting: [Waiting] = []
        /// Whether a drain is running (it takes every waiting request until none is left).
        var draining = false
    }

    private let queue = Mutex(Queue())

    init(ledger: LiveLedger) {
        self.ledger = ledger
    }

    /// Appends `inputs` all or nothing with the requests that wait with it.
    func append(_ inputs: [EventStore.Input], hiding hidden: Set<String>) async -> Result<RequestAppended, StoreError> {
        await withCheckedContinuation { answer in
            let startDrain = queue.withLock { queue in
                queue.waiting.append(Waiting(inputs: inputs, hidden: hidden, answer: answer))
                guard !queue.draining else { return false }
                queue.draining = true
                return true
            }
            if startDrain { Task { await self.drain() } }
        }
    }

    /// Appends what waits, group after group, until nothing does.
    private func drain() async {
        while true {
            let group = queue.withLock { queue -> [Waiting] in
                let taken = queue.waiting
                queue.waiting = []
                if taken.isEmpty { queue.draining = false }
                return taken
            }
            guard !group.isEmpty else { return }
            // Requests that hide the same hazards (most hide none) go together, in order.
            var start = 0
            while start < group.count {
                var end = start + 1
                while end < group.count, group[end].hidden == group[start].hidden { end += 1 }
                let run = group[start..<end]
                let results = await ledger.append(requests: run.map(\.inputs), hiding: group[start].hidden)
                for (waiting, result) in zip(run, results) { waiting.answer.resume(returning: result) }
                start = end
            }
        }
    }
}
