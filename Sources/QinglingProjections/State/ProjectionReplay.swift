import Foundation
import QinglingEvents
import QinglingLog
import QinglingWorkflow

extension ProjectionState {
    /// Folds in every event of `store`'s log from `nextSequence` on, on two threads: a reading
    /// thread reads the segments, checks the batch checksums, decompresses, reads each event
    /// in place and numbers the hazards it names (`HazardNumbering`); the calling thread folds
    /// the rest, a few thousand events behind. Calls `progress` now and then with the number
    /// of events folded. Returns the stored bytes of the last event folded, so that the caller
    /// can hash that one.
    ///
    /// On error the state is unusable. The error is that of the first event in log order that
    /// could not be folded, or the log's.
    mutating func foldLog(of store: EventStore, progress: (Int) -> Void) throws(StoreError) -> [UInt8]? {
        // Moved, not copied: the reading thread's changes must not copy the whole table.
        var moving = HazardNumbering()
        swap(&moving, &numbering)
        let reading = ReadingSide(reader: store.reader, numbering: consume moving, from: nextSequence)
        let handoff = Handoff()
        let thread = Thread { reading.run(handing: handoff) }
        thread.stackSize = 8 << 20
        thread.start()
        var folded = 0
        var last: [UInt8]?
        while var chunk = handoff.take() {
            let failure = chunk.fold(into: &self)
            folded += chunk.records.count
            progress(folded)
            if let failure {
                handoff.fail(failure.error, at: failure.sequence)
                break
            }
            last = chunk.lastPayload
            handoff.recycle(&chunk)
        }
        try handoff.outcome()
        numbering = reading.takeNumbering()
        return last
    }
}

/// What the reading thread owns while it runs: the log reader (the store is not used elsewhere
/// meanwhile) and the hazard numbering, handed back once the thread has stopped.
private final class ReadingSide: @unchecked Sendable {
    let reader: LogReader
    var numbering: HazardNumbering
    let start: UInt64

    init(reader: LogReader, numbering: HazardNumbering, from start: UInt64) {
        self.reader = reader
        self.numbering = numbering
        self.start = start
    }

    /// The numbering, once the thread has stopped (leaving an empty one here).
    func takeNumbering() -> HazardNumbering {
        var taken = HazardNumbering()
        swap(&taken, &numbering)
        return taken
    }

    func run(handing handoff: Handoff) {
        var chunk = FoldChunk()
        var next = start  // the first sequence not read yet
        do throws(LogError) {
            try reader.forEachPayload(from: start) { sequence, recordedAt, payload throws(LogError) in
                next = sequence + 1
                let failure = payload.withUnsafeBytes { bytes -> EventDecodingError? in
                    do throws(EventDecodingError) {
                        try numbering.number(try EventView(bytes), into: &chunk.numbers)
                        return nil
                    } catch {
                        return error
                    }
                }
                if let failure {
                    if !chunk.records.isEmpty { _ = handoff.put(chunk) }
                    handoff.fail(.undecodable(sequence: sequence, failure), at: sequence)
                    throw .closed  // stops the reading; the error reported is the one above
                }
                chunk.append(sequence: sequence, recordedAt: recordedAt, payload: payload)
                if chunk.isFull {
                    // The fold failed: stop reading (the fold's error is the one reported).
                    guard handoff.put(chunk) else { throw .closed }
                    chunk = handoff.spareChunk()
                }
            }
            if !chunk.records.isEmpty { _ = handoff.put(chunk) }
            handoff.endReading()
        } catch {
            handoff.fail(.log(error), at: next)
            handoff.endReading()
        }
    }
}

/// Events passed from the reading thread to the folding one: their stored bytes back to back,
/// the numbers of the hazards each names back to back, and where each event's end.
private struct FoldChunk {
    static let capacity = 4_096
    var bytes: [UInt8] = []
    var numbers: [Int32] = []
    var records: [(sequence: UInt64, recordedAt: Int64, end: Int, numbersEnd: Int)] = []

    init(reserving: Bool = true) {
        guard reserving else { return }
        bytes.reserveCapacity(Self.capacity * 320)
        numbers.reserveCapacity(Self.capacity + Self.capacity / 4)
        records.reserveCapacity(Self.capacity)
    }

    var isFull: Bool { records.count == Self.capacity }

    /// Adds an event whose hazard numbers were just appended to `numbers`.
    mutating func append(sequence: UInt64, recordedAt: Int64, payload: ArraySlice<UInt8>) {
        bytes.append(contentsOf: payload)
        records.append((sequence, recordedAt, bytes.count, numbers.count))
    }

    /// Folds every event into `state`; stops at the first that does not fold.
    func fold(into state: inout ProjectionState) -> (sequence: UInt64, error: StoreError)? {
        bytes.withUnsafeBytes { bytes in
            numbers.withUnsafeBufferPointer { numbers in
                var start = 0, numbersStart = 0
                for record in records {
                    do throws(EventDecodingError) {
                        let view = try EventView(UnsafeRawBufferPointer(rebasing: bytes[start..<record.end]))
                        try state.fold(view, numbered: UnsafeBufferPointer(rebasing: numbers[numbersStart..<record.numbersEnd]),
                                       sequence: record.sequence, recordedAt: record.recordedAt)
                    } catch {
                        return (record.sequence, .undecodable(sequence: record.sequence, error))
                    }
                    start = record.end
                    numbersStart = record.numbersEnd
                }
                return nil
            }
        }
    }

    /// A copy of the last event's stored bytes.
    var lastPayload: [UInt8]? {
        guard let last = records.last else { return nil }
        return Array(bytes[(records.count > 1 ? records[records.count - 2].end : 0)..<last.end])
    }

    mutating func empty() {
        bytes.removeAll(keepingCapacity: true)
        numbers.removeAll(keepingCapacity: true)
        records.removeAll(keepingCapacity: true)
    }
}

/// Chunks passed from the reading thread to the folding one, at most a few ahead, and the
/// first failure (in log order) of either.
private final class Handoff: @unchecked Sendable {
    private static let maxQueued = 4
    private let condition = NSCondition()
    private var queue: [FoldChunk] = []
    /// Chunks the fold is done with, for the reading thread to empty and fill again.
    private var spare: [FoldChunk] = []
    /// Set when the reading thread has stopped.
    private var readingEnded = false
    private var failure: (sequence: UInt64, error: StoreError)?

    /// Queues `chunk`, waiting while the queue is full; `false` once the replay has failed
    /// (the reading thread then stops).
    func put(_ chunk: FoldChunk) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= Self.maxQueued && failure == nil { condition.wait() }
        guard failure == nil else { return false }
        queue.append(chunk)
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

    /// Hands a folded chunk back (leaving `chunk` empty) for the reading thread to refill.
    func recycle(_ chunk: inout FoldChunk) {
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
