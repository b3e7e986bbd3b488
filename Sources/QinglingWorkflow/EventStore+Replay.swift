import Foundation
import QinglingEvents
import QinglingLog

extension EventStore {
    /// Calls `body` with the stored bytes of every event from `sequence` on, in log order, for
    /// replaying a whole log fast (projections): a second thread reads the segments, checks the
    /// batch checksums and decompresses, and hands over the payloads in chunks ahead of `body`,
    /// which runs on the calling thread and reads them in place (`EventView`). Returns the
    /// stored bytes of the last event, so that the caller can hash that one.
    ///
    /// A `body` that throws stops the replay: the error is reported as that event's
    /// (`StoreError.undecodable`). The store must not be used for anything else until this returns.
    @discardableResult
    public func replay(from sequence: UInt64 = 0,
                       _ body: (_ sequence: UInt64, _ recordedAt: Int64, _ payload: UnsafeRawBufferPointer) throws(EventDecodingError) -> Void)
        throws(StoreError) -> [UInt8]? {
        let handoff = Handoff()
        let reader = UncheckedReader(reader: reader)
        let producer = Thread {
            var chunk = PayloadChunk()
            do throws(LogError) {
                try reader.reader.forEachPayload(from: sequence) { recordSequence, recordedAt, payload throws(LogError) in
                    chunk.append(sequence: recordSequence, recordedAt: recordedAt, payload: payload)
                    if chunk.isFull {
                        // The fold failed: stop reading (the fold's error is the one reported).
                        guard handoff.put(chunk) else { throw .closed }
                        chunk = handoff.spareChunk()
                    }
                }
                if !chunk.records.isEmpty { _ = handoff.put(chunk) }
                handoff.endReading(nil)
            } catch {
                handoff.endReading(.log(error))
            }
        }
        producer.stackSize = 8 << 20
        producer.start()
        var last: [UInt8]?
        while var chunk = handoff.take() {
            let failure = chunk.bytes.withUnsafeBytes { bytes -> StoreError? in
                var start = 0
                for record in chunk.records {
                    do throws(EventDecodingError) {
                        try body(record.sequence, record.recordedAt, UnsafeRawBufferPointer(rebasing: bytes[start..<record.end]))
                    } catch {
                        return .undecodable(sequence: record.sequence, error)
                    }
                    start = record.end
                }
                return nil
            }
            if let failure {
                handoff.fail(failure)
                break
            }
            last = chunk.lastPayload
            handoff.recycle(&chunk)
        }
        try handoff.outcome()
        return last
    }
}

/// Stored events passed from the reading thread to the folding one: their payloads back to
/// back in one array, and where each ends.
private struct PayloadChunk {
    static let capacity = 4_096
    var bytes: [UInt8] = []
    var records: [(sequence: UInt64, recordedAt: Int64, end: Int)] = []

    init(reserving: Bool = true) {
        guard reserving else { return }
        bytes.reserveCapacity(Self.capacity * 320)
        records.reserveCapacity(Self.capacity)
    }

    var isFull: Bool { records.count == Self.capacity }

    mutating func append(sequence: UInt64, recordedAt: Int64, payload: ArraySlice<UInt8>) {
        bytes.append(contentsOf: payload)
        records.append((sequence, recordedAt, bytes.count))
    }

    /// A copy of the last payload.
    var lastPayload: [UInt8]? {
        guard let last = records.last else { return nil }
        return Array(bytes[(records.count > 1 ? records[records.count - 2].end : 0)..<last.end])
    }

    mutating func empty() {
        bytes.removeAll(keepingCapacity: true)
        records.removeAll(keepingCapacity: true)
    }
}

/// The log reader handed to the decoding thread; the store is not used elsewhere meanwhile.
private struct UncheckedReader: @unchecked Sendable {
    let reader: LogReader
}

/// Chunks passed from the reading thread to the folding one, at most a few chunks ahead, and
/// how the reading ended.
private final class Handoff: @unchecked Sendable {
    private static let maxQueued = 4
    private let condition = NSCondition()
    private var queue: [PayloadChunk] = []
    /// Chunks the fold is done with, for the reading thread to empty and fill again.
    private var spare: [PayloadChunk] = []
    /// Set when the reading thread has stopped.
    private var readingEnded = false
    private var failure: StoreError?

    /// Queues `chunk`, waiting while the queue is full; `false` once the replay has failed
    /// (the reading thread then stops).
    func put(_ chunk: PayloadChunk) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= Self.maxQueued && failure == nil { condition.wait() }
        guard failure == nil else { return false }
        queue.append(chunk)
        condition.broadcast()
        return true
    }

    /// Called by the reading thread when it stops, with its error if any.
    func endReading(_ error: StoreError?) {
        condition.lock()
        if failure == nil { failure = error }
        readingEnded = true
        condition.broadcast()
        condition.unlock()
    }

    /// Called by the folding thread when the fold failed: the reading thread stops.
    func fail(_ error: StoreError) {
        condition.lock()
        if failure == nil { failure = error }
        condition.broadcast()
        condition.unlock()
    }

    /// The next chunk, or `nil` when the reading has ended (successfully or not).
    func take() -> PayloadChunk? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !readingEnded && failure == nil { condition.wait() }
        guard failure == nil, !queue.isEmpty else { return nil }
        let chunk = queue.removeFirst()
        condition.broadcast()
        return chunk
    }

    /// Hands a folded chunk back (leaving `chunk` empty) for the reading thread to refill.
    func recycle(_ chunk: inout PayloadChunk) {
        condition.lock()
        if spare.count < Self.maxQueued { spare.append(chunk) }
        chunk = PayloadChunk(reserving: false)  // before unlocking: the spare list then holds the only reference
        condition.unlock()
    }

    /// An emptied folded chunk, or a new one.
    func spareChunk() -> PayloadChunk {
        condition.lock()
        let folded = spare.popLast()
        condition.unlock()
        guard var chunk = folded else { return PayloadChunk() }
        chunk.empty()
        return chunk
    }

    /// Waits for the reading thread to stop; throws the replay's error, if any.
    func outcome() throws(StoreError) {
        condition.lock()
        defer { condition.unlock() }
        while !readingEnded { condition.wait() }
        if let failure { throw failure }
    }
}
