import CPrefetch
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
            let failure = fold(&chunk)
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

    /// Folds every event of `chunk`, prefetching a few events ahead; stops at the first that
    /// does not fold. (A method of the state, not of the chunk: the state is then used in place,
    /// never copied, by the prefetches.)
    private mutating func fold(_ chunk: inout FoldChunk) -> (sequence: UInt64, error: StoreError)? {
        let records = chunk.records
        return chunk.bytes.withUnsafeBytes { bytes in
            chunk.numbers.withUnsafeBufferPointer { numbers in
                chunk.views.withUnsafeMutableBufferPointer { views in
                    var start = 0, numbersStart = 0
                    for index in records.indices {
                        // The first stage of what folding an event a few ahead reads: its bytes (written
                        // on the reading thread's core), its actor's slots, its hazard's timeline
                        // entry; then, nearer, what those slots and that entry point to.
                        let ahead = index + FoldChunk.prefetchDistance, nearer = index + FoldChunk.prefetchDistance / 2
                        if ahead < records.count {
                            FoldChunk.prefetch(bytes, records[ahead - 1].end, views[ahead])
                            prefetch(records[ahead].hashes, hazard: FoldChunk.hazard(of: ahead, records, numbers), followUp: false)
                        }
                        if nearer < records.count {
                            prefetch(records[nearer].hashes, hazard: FoldChunk.hazard(of: nearer, records, numbers), followUp: true)
                        }
                        let record = records[index]
                        // Read in place from the copy: an event view is too large to copy about.
                        views[index].read(UnsafeRawBufferPointer(rebasing: bytes[start..<record.end]))
                        do throws(EventDecodingError) {
                            try fold(views[index], numbered: UnsafeBufferPointer(rebasing: numbers[numbersStart..<record.numbersEnd]),
                                     hashes: record.hashes, sequence: record.sequence, recordedAt: record.recordedAt)
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
                let read = payload.withUnsafeBytes { bytes -> Result<EventView, EventDecodingError> in
                    do throws(EventDecodingError) { return .success(try EventView(bytes)) } catch { return .failure(error) }
                }
                switch read {
                case .success(let view):
                    chunk.append(view, sequence: sequence, recordedAt: recordedAt, payload: payload)
                case .failure(let failure):
                    // What came before is folded; then the replay stops with this record's error.
                    if let numberingFailure = chunk.number(with: &numbering) {
                        handoff.fail(numberingFailure.error, at: numberingFailure.sequence)
                    } else if !chunk.records.isEmpty {
                        _ = handoff.put(chunk)
                    }
                    handoff.fail(.undecodable(sequence: sequence, failure), at: sequence)
                    throw .closed  // stops the reading; the error reported is the one above
                }
                if chunk.isFull {
                    if let failure = chunk.number(with: &numbering) {
                        handoff.fail(failure.error, at: failure.sequence)
                        throw .closed
                    }
                    // The fold failed: stop reading (the fold's error is the one reported).
                    guard handoff.put(chunk) else { throw .closed }
                    chunk = handoff.spareChunk()
                }
            }
            if let failure = chunk.number(with: &numbering) {
                handoff.fail(failure.error, at: failure.sequence)
            } else if !chunk.records.isEmpty {
                _ = handoff.put(chunk)
            }
            handoff.endReading()
        } catch {
            handoff.fail(.log(error), at: next)
            handoff.endReading()
        }
    }
}

/// Events passed from the reading thread to the folding one: their stored bytes back to back,
/// each read once (`EventView`) with the hashes of the ids it is looked up by, and the numbers
/// of the hazards each names, back to back.
private struct FoldChunk {
    static let capacity = 4_096
    /// How many events ahead the look-ups' slots are prefetched.
    static let prefetchDistance = 8
    var bytes: [UInt8] = []
    /// Each event as the reading thread read it. Its `bytes` are the reader's buffer, soon
    /// reused: every use goes through the copy in `bytes` (`EventView.reading`).
    var views: [EventView] = []
    var records: [Record] = []
    var numbers: [Int32] = []

    struct Record {
        var sequence: UInt64
        var recordedAt: Int64
        /// Where the event's bytes end in `bytes`, and its hazard numbers in `numbers`.
        var end: Int
        var numbersEnd = 0
        /// The hash of the one hazard id of a lifecycle event, else 0.
        var hazardHash: UInt64
        var hashes: LookupHashes
    }

    init(reserving: Bool = true) {
        guard reserving else { return }
        bytes.reserveCapacity(Self.capacity * 320)
        views.reserveCapacity(Self.capacity)
        records.reserveCapacity(Self.capacity)
        numbers.reserveCapacity(Self.capacity + Self.capacity / 4)
    }

    var isFull: Bool { records.count == Self.capacity }

    /// Where labels are put together to be hashed.
    private var scratch: [UInt8] = []

    mutating func append(_ view: EventView, sequence: UInt64, recordedAt: Int64, payload: ArraySlice<UInt8>) {
        views.append(view)
        bytes.append(contentsOf: payload)
        records.append(Record(sequence: sequence, recordedAt: recordedAt, end: bytes.count,
                              hazardHash: view.hazardId.map { ByteTable.hash(view[$0]) } ?? 0, hashes: LookupHashes(view, scratch: &scratch)))
    }

    /// Numbers the hazards of every event, prefetching a few events ahead.
    mutating func number(with numbering: inout HazardNumbering) -> (sequence: UInt64, error: StoreError)? {
        numbers.removeAll(keepingCapacity: true)
        let records = records, views = views
        var ends: [Int] = []
        ends.reserveCapacity(records.count)
        let failure = bytes.withUnsafeBytes { bytes -> (sequence: UInt64, error: StoreError)? in
            var start = 0
            for index in records.indices {
                let ahead = index + Self.prefetchDistance, nearer = index + Self.prefetchDistance / 2
                if ahead < records.count, views[ahead].hazardId != nil { numbering.prefetch(hash: records[ahead].hazardHash, key: false) }
                if nearer < records.count, views[nearer].hazardId != nil { numbering.prefetch(hash: records[nearer].hazardHash, key: true) }
                let record = records[index]
                let view = views[index].reading(UnsafeRawBufferPointer(rebasing: bytes[start..<record.end]))
                do throws(EventDecodingError) {
                    try numbering.number(view, hazardHash: view.hazardId == nil ? nil : record.hazardHash, into: &numbers)
                } catch {
                    return (record.sequence, .undecodable(sequence: record.sequence, error))
                }
                ends.append(numbers.count)
                start = record.end
            }
            return nil
        }
        for (index, end) in ends.enumerated() { self.records[index].numbersEnd = end }
        return failure
    }

    /// The last hazard event `index` names, else -1.
    static func hazard(of index: Int, _ records: [Record], _ numbers: UnsafeBufferPointer<Int32>) -> Int32 {
        let start = index == 0 ? 0 : records[index - 1].numbersEnd
        return records[index].numbersEnd > start ? numbers[records[index].numbersEnd - 1] : -1
    }

    /// Starts bringing into the cache the bytes the fold reads of `view`, an event stored at
    /// `start` in `bytes` (written on the reading thread's core): its actor's ids, and the
    /// whole event when the fold keeps more of it than the hazard it names.
    static func prefetch(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ view: EventView) {
        guard let base = bytes.baseAddress else { return }
        let lower = Int(view.organizationId.start), upper: Int
        switch view.body {
        case .deadlineExtended, .hazardRectified, .hazardVerified, .hazardClosed, .hazardReopened, .hazardWithdrawn:
            upper = Int(view.personId.start + view.personId.count)
        case .hazardReported, .hazardSupervised, .escalationIssued, .penaltyImposed, .tipOffReceived, .rewardPaid:
            upper = view.bytes.count
        }
        for line in stride(from: start + lower, to: start + upper, by: 64) { qingling_prefetch(base + line) }
        qingling_prefetch(base + start + upper - 1)
    }

    /// A copy of the last event's stored bytes.
    var lastPayload: [UInt8]? {
        guard let last = records.last else { return nil }
        return Array(bytes[(records.count > 1 ? records[records.count - 2].end : 0)..<last.end])
    }

    mutating func empty() {
        bytes.removeAll(keepingCapacity: true)
        views.removeAll(keepingCapacity: true)
        records.removeAll(keepingCapacity: true)
        numbers.removeAll(keepingCapacity: true)
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
