import Dispatch
import QinglingEvents
import QinglingLog
import Synchronization

extension EventStore {
    /// Writes the events in `range` (those of `types`; all when it is empty) as JSON Lines: each
    /// the document `EventJSONEncoder` writes for a stored event, then a line feed. `write` is
    /// given the bytes in log order, a piece at a time, on the calling thread; returns how many
    /// events were written. No batch after the range is read.
    ///
    /// The calling thread reads and decompresses the log and calls `write`; the events are
    /// decoded, hashed and written as JSON in chunks on other threads (`JSONLinesChunk`), at
    /// most `chunksInFlight` chunks ahead. A record that is not an event, or damage in the log,
    /// is thrown after every event before it was given to `write`, as a sequential scan would.
    public func writeJSONLines(in range: ClosedRange<UInt64>, types: Set<EventType> = [],
                               _ write: ([UInt8]) -> Void) throws(StoreError) -> Int {
        let workers = DispatchQueue(label: "qingling.json-lines", qos: .userInitiated, attributes: .concurrent)
        var inFlight: [JSONLinesChunk] = []
        var written = 0
        var failure: StoreError?
        /// Waits for the oldest chunk and hands its bytes to `write`.
        func writeOldest() {
            let chunk = inFlight.removeFirst()
            chunk.encoded.wait()
            write(chunk.output)
            written += chunk.count
            if failure == nil { failure = chunk.failure }
        }
        func submit(_ chunk: JSONLinesChunk) {
            inFlight.append(chunk)
            workers.async { chunk.encode(types: types) }
            while inFlight.count > Self.chunksInFlight || inFlight.first?.isEncoded == true { writeOldest() }
        }
        var chunk = JSONLinesChunk()
        var recycler = BatchRecycler()
        let end = range.upperBound == .max ? UInt64.max : range.upperBound + 1
        do throws(LogError) {
            try reader.forEachPayload(in: range.lowerBound..<end, recycling: &recycler) { sequence, recordedAt, payload, batch in
                guard failure == nil else { return }
                chunk.add(sequence: sequence, recordedAt: recordedAt, payload: payload, in: batch)
                if chunk.records.count == Self.eventsPerChunk {
                    submit(chunk)
                    chunk = JSONLinesChunk()
                }
            }
        } catch {
            if failure == nil { failure = .log(error) }  // after the chunks before it are written
        }
        if !chunk.records.isEmpty { submit(chunk) }
        while !inFlight.isEmpty { writeOldest() }
        if let failure { throw failure }
        return written
    }

    /// Events decoded and written as JSON together, on one thread.
    private static let eventsPerChunk = 1_024
    /// Chunks read ahead of the one being written (bytes held: about a megabyte each).
    private static let chunksInFlight = 8
}

/// Events read from the log, waiting to be decoded and written as JSON Lines on another thread,
/// then their bytes. The chunk holds the decompressed batches its payloads lie in until it is
/// let go.
private final class JSONLinesChunk: @unchecked Sendable {
    private(set) var records: [(sequence: UInt64, recordedAt: Int64, payload: UnsafeRawBufferPointer)] = []
    /// The batches the payloads point into.
    private var batches: [DecompressedBatch] = []
    /// The JSON Lines, once encoded.
    private(set) var output: [UInt8] = []
    /// How many events `output` holds.
    private(set) var count = 0
    /// A record that is not an event: `output` holds the events before it.
    private(set) var failure: StoreError?
    /// Signalled once `output` is complete.
    let encoded = DispatchSemaphore(value: 0)
    private let encodedFlag = Atomic<Bool>(false)

    func add(sequence: UInt64, recordedAt: Int64, payload: UnsafeRawBufferPointer, in batch: DecompressedBatch) {
        if batches.last !== batch { batches.append(batch) }
        records.append((sequence, recordedAt, payload))
    }

    /// Whether `encode` has finished (without waiting).
    var isEncoded: Bool { encodedFlag.load(ordering: .acquiring) }

    /// Decodes each record, keeps those of `types` (all when empty), and writes them.
    func encode(types: Set<EventType>) {
        var bytes: [UInt8] = []
        var output: [UInt8] = []  // a local, not the property: no exclusivity check per byte
        output.reserveCapacity(records.count * 700)
        for record in records {
            bytes.removeAll(keepingCapacity: true)
            bytes.append(contentsOf: record.payload.assumingMemoryBound(to: UInt8.self))
            let event: Event
            do throws(EventDecodingError) {
                event = try EventBinaryCodec.decode(bytes)
            } catch {
                failure = .undecodable(sequence: record.sequence, error)
                break
            }
            guard types.isEmpty || types.contains(event.type) else { continue }
            let stored: EventJSONEncoder.Stored = (record.sequence, ShanghaiDateTime(microseconds: record.recordedAt),
                                                   Ledger.digest(ofStoredBytes: bytes))
            EventJSONEncoder.write(event, stored: stored, to: &output)
            output.append(UInt8(ascii: "\n"))
            count += 1
        }
        self.output = output
        records = []
        batches = []  // the reader may decompress into them again
        encodedFlag.store(true, ordering: .releasing)
        encoded.signal()
    }
}
