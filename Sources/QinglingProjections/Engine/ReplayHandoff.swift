import Foundation

/// What a two-thread replay passes from its reading thread to its folding thread: a batch of
/// records read and prepared, reused once folded.
protocol ReplayChunk {
    /// An empty chunk with nothing reserved: a placeholder, never filled.
    init()
    /// An empty chunk with room for a full chunk.
    static func reserved() -> Self
    /// Lets go of what the chunk's records point into (read buffers), once folded.
    mutating func releaseInputs()
    /// Empties the chunk, keeping its room.
    mutating func empty()
}

/// Chunks passed from the reading thread to the folding one, at most
/// `EngineTuning.maxQueuedChunks` ahead, and the first failure (in log order) of either.
final class ReplayHandoff<Chunk: ReplayChunk, Failure: Error>: @unchecked Sendable {
    private static var maxQueued: Int { EngineTuning.maxQueuedChunks }
    private let condition = NSCondition()
    private var queue: [Chunk] = []
    /// Chunks the fold is done with, for the reading thread to empty and fill again.
    private var spare: [Chunk] = []
    /// Set when the reading thread has stopped.
    private var readingEnded = false
    private var failure: (sequence: UInt64, error: Failure)?

    /// Queues `chunk`, waiting while the queue is full; `false` once the replay has failed
    /// (the reading thread then stops).
    func put(_ chunk: consuming Chunk) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= Self.maxQueued && failure == nil { condition.wait() }
        guard failure == nil else { return false }
        queue.append(consume chunk)  // the queue holds the only reference
        condition.broadcast()
        return true
    }

    /// Records a failure at `sequence`; of several, the earliest in the log is kept.
    func fail(_ error: Failure, at sequence: UInt64) {
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
    func take() -> Chunk? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !readingEnded { condition.wait() }
        guard !queue.isEmpty else { return nil }
        let chunk = queue.removeFirst()
        condition.broadcast()
        return chunk
    }

    /// Hands a folded chunk back (leaving `chunk` empty) for the reading thread to refill. Lets
    /// its inputs go first, so that the reader can read into them again.
    func recycle(_ chunk: inout Chunk) {
        chunk.releaseInputs()
        condition.lock()
        if spare.count < Self.maxQueued { spare.append(chunk) }
        chunk = Chunk()  // before unlocking: the spare list then holds the only reference
        condition.unlock()
    }

    /// An emptied folded chunk, or a new one.
    func spareChunk() -> Chunk {
        condition.lock()
        let folded = spare.popLast()
        condition.unlock()
        guard var chunk = folded else { return Chunk.reserved() }
        chunk.empty()
        return chunk
    }

    /// Waits for the reading thread to stop; throws the first failure, if any.
    func outcome() throws(Failure) {
        condition.lock()
        defer { condition.unlock() }
        while !readingEnded { condition.wait() }
        if let failure { throw failure.error }
    }
}
