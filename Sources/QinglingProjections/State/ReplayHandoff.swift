import Foundation
import QinglingWorkflow

/// Chunks passed from the reading thread to the folding one, at most 32 ahead, and the first
/// failure (in log order) of either.
final class ReplayHandoff: @unchecked Sendable {
    /// How many chunks may wait: enough to cover the reading thread's bursts (it decompresses
    /// and numbers a whole batch, up to a day's events, before handing on its chunks), so that
    /// neither thread waits for the other when both do about the same work, and to cover the
    /// folding thread's stalls on fresh pages (32 waited 6.13 s against 6.59 s with 16, median
    /// of ten interleaved 16M rebuilds). (About 20 MiB.)
    private static let maxQueued = 32
    private let condition = NSCondition()
    private var queue: [FoldChunk] = []
    /// Chunks the fold is done with, for the reading thread to empty and fill again.
    private var spare: [FoldChunk] = []
    /// Set when the reading thread has stopped.
    private var readingEnded = false
    private var failure: (sequence: UInt64, error: StoreError)?

    /// Queues `chunk`, waiting while the queue is full; `false` once the replay has failed
    /// (the reading thread then stops).
    func put(_ chunk: consuming FoldChunk) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= Self.maxQueued && failure == nil { condition.wait() }
        guard failure == nil else { return false }
        queue.append(consume chunk)  // the queue holds the only reference
        condition.broadcast()
        return true
    }

    /// Records a failure at `sequence`; of several, the earliest in the log is kept.
    func fail(_ error: StoreError, at sequence: UInt64) {
        condition.lock()
        if failure.map({ sequence < $0.sequence }) ?? true { failure = (sequence, error) }
        condition.broadcast()
        condition.unlock()
    }

    /// Called by the reading thread when it stops.
    func endReading() {
        condition.lock()
        readingEnded = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next chunk, or `nil` when there is none left to fold: the reading has ended or
    /// failed. (Chunks read before a reading failure are still handed over.)
    func take() -> FoldChunk? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !readingEnded { condition.wait() }
        guard !queue.isEmpty else { return nil }
        let chunk = queue.removeFirst()
        condition.broadcast()
        return chunk
    }

    /// Hands a folded chunk back (leaving `chunk` empty) for the reading thread to refill. Lets
    /// its batches go first, so that the reader can decompress into them again (`BatchRecycler`).
    func recycle(_ chunk: inout FoldChunk) {
        chunk.batches.removeAll(keepingCapacity: true)
        condition.lock()
        if spare.count < Self.maxQueued { spare.append(chunk) }
        chunk = FoldChunk(reserving: false)  // before unlocking: the spare list then holds the only reference
        condition.unlock()
    }

    /// An emptied folded chunk, or a new one.
    func spareChunk() -> FoldChunk {
        condition.lock()
        let folded = spare.popLast()
        condition.unlock()
        guard var chunk = folded else { return FoldChunk() }
        chunk.empty()
        return chunk
    }

    /// Waits for the reading thread to stop; throws the first failure, if any.
    func outcome() throws(StoreError) {
        condition.lock()
        defer { condition.unlock() }
        while !readingEnded { condition.wait() }
        if let failure { throw failure.error }
    }
}
