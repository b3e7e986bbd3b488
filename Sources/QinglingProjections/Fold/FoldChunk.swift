import CPrefetch
import QinglingEvents
import QinglingLog
import QinglingWorkflow

/// Events passed from the reading thread to the folding one: each read once, in place in the
/// decompressed batch it came in (which the chunk holds), into its facts (`EventFacts`), with
/// the numbers of the parties it names (`PartyNumbering`, on the reading thread); then, on the
/// folding thread, the numbers of the hazards each names, back to back (`numbersEnds[i]`:
/// where event `i`'s numbers end: `numberHazards`), and of its names.
struct FoldChunk: ReplayChunk {
    /// The decompressed batches the events lie in (a batch spans several chunks): held until
    /// the chunk is emptied, so that the facts' bytes stay where they are, unchanged.
    var batches: [DecompressedBatch] = []
    /// Each event's facts, read on the reading thread.
    var facts: [EventFacts] = []
    var records: [Record] = []
    var numbers: [Int32] = []
    var numbersEnds: [Int] = []
    var parties: [EventNumbers] = []

    struct Record {
        var sequence: UInt64
        var recordedAt: Int64
    }

    init() {}

    static func reserved() -> FoldChunk {
        var chunk = FoldChunk()
        let capacity = EngineTuning.chunkCapacity
        chunk.facts.reserveCapacity(capacity)
        chunk.records.reserveCapacity(capacity)
        chunk.numbers.reserveCapacity(capacity + capacity / 4)
        chunk.numbersEnds.reserveCapacity(capacity)
        chunk.parties.reserveCapacity(capacity)
        return chunk
    }

    var isFull: Bool { records.count == EngineTuning.chunkCapacity }

    /// Adds an event read in place from `batch`.
    mutating func append(_ view: EventView, sequence: UInt64, recordedAt: Int64, batch: DecompressedBatch) {
        if batches.last !== batch { batches.append(batch) }
        facts.append(EventFacts(view))
        records.append(Record(sequence: sequence, recordedAt: recordedAt))
    }

    /// Numbers the parties of every event (on the reading thread), prefetching a few events
    /// ahead. On failure, returns the failing event's index and error; the events before it are
    /// numbered.
    mutating func numberParties(with numbering: inout PartyNumbering) -> (index: Int, error: StoreError)? {
        parties.removeAll(keepingCapacity: true)
        let records = records, distance = EngineTuning.numberingPrefetchDistance
        return facts.withUnsafeBufferPointer { facts in
            for index in records.indices {
                let ahead = index + distance, nearer = index + distance / 2
                if ahead < records.count { numbering.prefetch(facts[ahead].parties, longKey: false) }
                if nearer < records.count { numbering.prefetch(facts[nearer].parties, longKey: true) }
                do throws(EngineError) {
                    parties.append(try numbering.number(facts[index].parties))
                } catch {
                    return (index, .undecodable(sequence: records[index].sequence, EventDecodingError(.partyId, error)))
                }
            }
            return nil
        }
    }

    /// Numbers the hazards of every event and interns its names (on the folding thread, before
    /// it folds the chunk), prefetching a few events ahead. On failure, returns the failing
    /// event's index and error; the events before it are numbered.
    mutating func numberHazards(with numbering: inout HazardNumbering, names: inout KeyNumbering) -> (index: Int, error: StoreError)? {
        numbers.removeAll(keepingCapacity: true)
        numbersEnds.removeAll(keepingCapacity: true)
        let records = records
        return facts.withUnsafeBufferPointer { facts in
            guard let facts = facts.baseAddress else { return nil }
            for index in records.indices {
                let ahead = index + EngineTuning.numberingPrefetchDistance, nearer = index + EngineTuning.foldPrefetchDistance
                if ahead < records.count { Self.prefetchHazard(of: facts + ahead, in: &numbering) }
                if nearer < records.count { Self.prefetchText(of: facts + nearer) }  // the names' bytes, and the fold's
                do throws(EventDecodingError) {
                    try numbering.number(facts + index, into: &numbers)
                    do throws(EngineError) { try parties[index].internNames(of: facts + index, into: &names) } catch {
                        throw EventDecodingError(.name, error)
                    }
                } catch {
                    return (index, .undecodable(sequence: records[index].sequence, error))
                }
                numbersEnds.append(numbers.count)
            }
            return nil
        }
    }

    /// Keeps only the first `count` events (on the reading thread, when numbering a party failed).
    mutating func keepFirst(_ count: Int) {
        guard count < records.count else { return }
        facts.removeSubrange(count...)
        records.removeSubrange(count...)
        parties.removeSubrange(min(count, parties.count)...)
        // Hazards are numbered afterwards, on the folding thread, for the events kept.
        numbers.removeAll(keepingCapacity: true)
        numbersEnds.removeAll(keepingCapacity: true)
    }

    /// The last hazard event `index` names, else -1.
    static func hazard(of index: Int, _ numbersEnds: UnsafeBufferPointer<Int>, _ numbers: UnsafeBufferPointer<Int32>) -> Int32 {
        let start = index == 0 ? 0 : numbersEnds[index - 1]
        return numbersEnds[index] > start ? numbers[numbersEnds[index] - 1] : -1
    }

    /// Starts bringing into the cache the look-up of the one hazard a lifecycle event acts on,
    /// when its id has the workflow's form.
    private static func prefetchHazard(of facts: UnsafePointer<EventFacts>, in numbering: inout HazardNumbering) {
        switch facts.pointee.hazards {
        case .reports(let hazard), .actsOn(let hazard):
            if let position = hazard.position { numbering.prefetch(position) }
        case .none, .each:
            break
        }
    }

    /// Starts bringing into the cache the bytes the fold reads as text of an event (written on
    /// the reading thread's core): none for an event that only adds a step.
    private static func prefetchText(of facts: UnsafePointer<EventFacts>) {
        guard let lower = facts.pointee.textFrom, let base = facts.pointee.bytes.baseAddress else { return }
        let upper = facts.pointee.bytes.count
        for line in stride(from: Int(lower), to: upper, by: 64) { qingling_prefetch(base + line) }
        qingling_prefetch(base + upper - 1)
    }

    /// A copy of the last event's stored bytes.
    var lastPayload: [UInt8]? {
        facts.last.map { Array($0.bytes) }
    }

    mutating func releaseInputs() { batches.removeAll(keepingCapacity: true) }

    mutating func empty() {
        batches.removeAll(keepingCapacity: true)
        facts.removeAll(keepingCapacity: true)
        records.removeAll(keepingCapacity: true)
        numbers.removeAll(keepingCapacity: true)
        numbersEnds.removeAll(keepingCapacity: true)
        parties.removeAll(keepingCapacity: true)
    }
}
