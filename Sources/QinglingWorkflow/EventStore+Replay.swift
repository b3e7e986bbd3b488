import Foundation
import QinglingEvents
import QinglingLog

extension EventStore {
    /// Calls `body` with every event from `sequence` on, in log order, for replaying a whole log
    /// fast (projections): a second thread reads, checks and decodes the records in chunks ahead
    /// of `body`, which runs on the calling thread. Unlike `forEachEvent`, the events' free-text
    /// fields are left empty (`EventBinaryCodec.decode(_:skippingFreeText:)`) and their `hash`
    /// too; the stored bytes of the last event are returned so that the caller can hash that one.
    ///
    /// The store must not be used for anything else until this returns.
    @discardableResult
    public func replay(from sequence: UInt64 = 0, _ body: (StoredEvent) -> Void) throws(StoreError) -> [UInt8]? {
        let handoff = Handoff()
        let reader = UncheckedReader(reader: reader)
        let producer = Thread {
            var chunk: [StoredEvent] = []
            chunk.reserveCapacity(Handoff.chunkSize)
            var lastSequence: UInt64?
            do throws(StoreError) {
                do throws(LogError) {
                    try reader.reader.forEachPayload(from: sequence) { recordSequence, recordedAt, payload throws(LogError) in
                        guard !handoff.isCancelled else { return }
                        do throws(EventDecodingError) {
                            let event = try EventBinaryCodec.decode(payload, skippingFreeText: true)
                            chunk.append(StoredEvent(sequence: recordSequence, recordedAt: ShanghaiDateTime(microseconds: recordedAt),
                                                     event: event, hash: []))
                        } catch {
                            handoff.finish(.undecodable(sequence: recordSequence, error))
                            return
                        }
                        lastSequence = recordSequence
                        if chunk.count == Handoff.chunkSize {
                            handoff.put(chunk)
                            // A chunk the fold is done with, emptied here: its events are
                            // destroyed on this thread, not on the folding one.
                            chunk = handoff.spareChunk()
                            chunk.removeAll(keepingCapacity: true)
                        }
                    }
                } catch {
                    throw .log(error)
                }
                if !chunk.isEmpty { handoff.put(chunk) }
                // Read again rather than kept: holding a payload slice would keep the reader
                // from reusing its decompression buffer.
                var last: [UInt8]?
                do throws(LogError) {
                    last = try lastSequence.map { sequence throws(LogError) in try reader.reader.record(at: sequence).payload }
                } catch {
                    throw .log(error)
                }
                handoff.finish(nil, last: last)
            } catch {
                handoff.finish(error)
            }
        }
        producer.stackSize = 8 << 20
        producer.start()
        while var chunk = handoff.take() {
            // Each event lent to `body` in place, not copied out of the chunk.
            chunk.withUnsafeBufferPointer { events in
                for index in events.indices { body(events[index]) }
            }
            handoff.recycle(&chunk)
        }
        return try handoff.outcome()
    }
}

/// The log reader handed to the decoding thread; the store is not used elsewhere meanwhile.
private struct UncheckedReader: @unchecked Sendable {
    let reader: LogReader
}

/// Chunks of decoded events passed from the decoding thread to the folding one, at most a few
/// chunks ahead, and how the decoding ended.
private final class Handoff: @unchecked Sendable {
    static let chunkSize = 2_048
    private static let maxQueued = 4
    private let condition = NSCondition()
    private var queue: [[StoredEvent]] = []
    /// Chunks the fold is done with, for the decoding thread to empty and fill again.
    private var spare: [[StoredEvent]] = []
    private var finished = false
    private var failure: StoreError?
    private var lastBytes: [UInt8]?

    /// Set once the decoding failed: the producer stops handing over chunks.
    var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return failure != nil
    }

    func put(_ chunk: [StoredEvent]) {
        condition.lock()
        while queue.count >= Self.maxQueued && failure == nil { condition.wait() }
        if failure == nil { queue.append(chunk) }
        condition.broadcast()
        condition.unlock()
    }

    func finish(_ error: StoreError?, last: [UInt8]? = nil) {
        condition.lock()
        if failure == nil, !finished {
            failure = error
            lastBytes = last
        }
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next chunk, or `nil` when the decoding has ended (successfully or not).
    func take() -> [StoredEvent]? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !finished { condition.wait() }
        guard failure == nil, !queue.isEmpty else { return nil }
        let chunk = queue.removeFirst()
        condition.broadcast()
        return chunk
    }

    /// Hands a folded chunk back (leaving `chunk` empty), so that the decoding thread releases
    /// its events and reuses its storage.
    func recycle(_ chunk: inout [StoredEvent]) {
        condition.lock()
        if spare.count < Self.maxQueued { spare.append(chunk) }
        chunk = []  // before unlocking: the spare list then holds the only reference
        condition.unlock()
    }

    /// A folded chunk to refill (still holding its old events), or a new one.
    func spareChunk() -> [StoredEvent] {
        condition.lock()
        defer { condition.unlock() }
        return spare.popLast() ?? []
    }

    /// After `take()` returned `nil`: the last event's stored bytes, or the error.
    func outcome() throws(StoreError) -> [UInt8]? {
        condition.lock()
        defer { condition.unlock() }
        while !finished { condition.wait() }
        if let failure { throw failure }
        return lastBytes
    }
}
