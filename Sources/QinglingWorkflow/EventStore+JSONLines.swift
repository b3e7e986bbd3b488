import QinglingEvents
import QinglingLog

extension EventStore {
    /// Writes the events in `range` (those of `types`; all when it is empty) as JSON Lines: each
    /// the document `EventJSONEncoder` writes for a stored event, then a line feed. `write` is
    /// given the bytes in log order, a piece at a time, on the calling thread; returns how many
    /// events were written. No batch after the range is read.
    ///
    /// The calling thread reads and decompresses the log and calls `write`; the events are
    /// decoded, hashed and written as JSON in chunks of `eventsPerChunk` on worker threads
    /// (`OrderedWork`), at most `chunksAhead` chunks ahead. The first record that is not an
    /// event, or damage in the log (a batch is read whole or not at all), is thrown after every
    /// event before it was given to `write`, and none after it, as a scan one event at a time
    /// would.
    public func writeJSONLines(in range: ClosedRange<UInt64>, types: Set<EventType> = [],
                               _ write: ([UInt8]) -> Void) throws(StoreError) -> Int {
        let work = OrderedWork<JSONLinesChunk.Written>(label: "qingling.json-lines", ahead: Self.chunksAhead)
        var written = 0
        /// The first record that is not an event, in log order: nothing after it is written.
        var undecodable: StoreError?
        /// Writes a chunk's events, unless an earlier chunk held a record that is not an event.
        func hand(_ chunk: JSONLinesChunk.Written) {
            guard undecodable == nil else { return }
            write(chunk.bytes)
            written += chunk.count
            undecodable = chunk.failure
        }
        var chunk = JSONLinesChunk()
        func submit() {
            let full = chunk
            chunk = JSONLinesChunk()
            work.submit { full.encode(types: types) }
            while let done = work.takeReady() { hand(done) }
        }
        var recycler = BatchRecycler()
        let end = range.upperBound == .max ? UInt64.max : range.upperBound + 1
        var damage: StoreError?
        do throws(LogError) {
            try reader.forEachPayload(in: range.lowerBound..<end, recycling: &recycler) { sequence, recordedAt, payload, batch in
                guard undecodable == nil else { return }  // nothing more will be written
                chunk.add(sequence: sequence, recordedAt: recordedAt, payload: payload, in: batch)
                if chunk.count == Self.eventsPerChunk { submit() }
            }
        } catch {
            damage = .log(error)  // reported after the events before it, unless one of them is not an event
        }
        if chunk.count > 0, undecodable == nil { submit() }
        while let done = work.take() { hand(done) }
        if let failure = undecodable ?? damage { throw failure }
        return written
    }

    /// Events decoded and written as JSON together, on one thread (about 700 KB of JSON).
    private static let eventsPerChunk = 1_024
    /// Chunks done and waiting to be written, at most.
    private static let chunksAhead = 8
}

/// Events read from the log, to be decoded and written as JSON Lines on a worker thread. The
/// chunk holds the decompressed batches its payloads lie in, so that they stay put until it is
/// encoded; it is handed to one worker and not touched again by the reading thread.
private final class JSONLinesChunk: @unchecked Sendable {
    private var records: [(sequence: UInt64, recordedAt: Int64, payload: UnsafeRawBufferPointer)] = []
    /// The batches the payloads point into.
    private var batches: [DecompressedBatch] = []

    /// What a chunk wrote.
    struct Written: Sendable {
        /// The JSON Lines.
        var bytes: [UInt8] = []
        /// How many events `bytes` holds.
        var count = 0
        /// A record that is not an event: `bytes` holds the events before it.
        var failure: StoreError?
    }

    var count: Int { records.count }

    func add(sequence: UInt64, recordedAt: Int64, payload: UnsafeRawBufferPointer, in batch: DecompressedBatch) {
        if batches.last !== batch { batches.append(batch) }
        records.append((sequence, recordedAt, payload))
    }

    /// Decodes each record, and writes those of `types` (all when empty).
    func encode(types: Set<EventType>) -> Written {
        var written = Written()
        written.bytes.reserveCapacity(records.count * 700)
        var stored: [UInt8] = []
        for record in records {
            stored.removeAll(keepingCapacity: true)
            stored.append(contentsOf: record.payload.assumingMemoryBound(to: UInt8.self))
            let event: StoredEvent
            do throws(StoreError) {
                event = try EventStore.decode(sequence: record.sequence, recordedAt: record.recordedAt, payload: stored)
            } catch {
                written.failure = error
                break
            }
            guard types.isEmpty || types.contains(event.event.type) else { continue }
            EventJSONEncoder.write(event, to: &written.bytes)
            written.bytes.append(UInt8(ascii: "\n"))
            written.count += 1
        }
        records = []
        batches = []  // the reader may decompress into them again
        return written
    }
}
