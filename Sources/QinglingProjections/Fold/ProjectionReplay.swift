import Foundation
import QinglingEvents
import QinglingLog
import QinglingWorkflow

extension ProjectionState {
    /// Folds in every event of `store`'s log from `nextSequence` on, on two threads: a reading
    /// thread reads the segments, checks the batch checksums, decompresses, reads each event
    /// in place into its facts (`EventFacts`) and numbers the parties it names
    /// (`PartyNumbering`); the calling thread numbers the hazards (`HazardNumbering`), interns
    /// the names and folds the rest, a few thousand events behind.
    /// Calls `progress` now and then with the number of events folded. Returns the stored bytes of the last event folded, so that the caller
    /// can hash that one.
    ///
    /// On error the state is unusable. The error is that of the first event in log order that
    /// could not be folded, or the log's.
    mutating func foldLog(of store: EventStore, progress: (Int) -> Void) throws(StoreError) -> [UInt8]? {
        requireFoldable()
        // Moved, not copied: the reading thread's changes must not copy the whole table.
        var moving = PartyNumbering()
        swap(&moving, &partyNumbering)
        let reading = ReadingSide(reader: store.reader, numbering: consume moving, from: nextSequence)
        let handoff = Handoff()
        let thread = Thread { reading.run(handing: handoff) }
        thread.stackSize = EngineTuning.readingThreadStackBytes
        thread.start()
        var folded = 0
        var last: [UInt8]?
        while var chunk = handoff.take() {
            if let failure = fold(&chunk) {
                handoff.fail(failure.error, at: failure.sequence)
                break
            }
            folded += chunk.records.count
            progress(folded)
            last = chunk.lastPayload
            handoff.recycle(&chunk)
        }
        try handoff.outcome()
        partyNumbering = reading.takeNumbering()
        return last
    }

    /// Numbers the hazards of `chunk`'s events, then folds them, prefetching a few events ahead;
    /// stops at the first that does not number or fold. (A method of the state, not of the
    /// chunk: the state is then used in place, never copied, by the prefetches.)
    private mutating func fold(_ chunk: inout FoldChunk) -> (sequence: UInt64, error: StoreError)? {
        let numbering = chunk.numberHazards(with: &hazardNumbering, names: &names)
        let records = chunk.records, parties = chunk.parties
        // The events before one whose hazards could not be numbered are folded first, so that
        // an earlier event's own error is the one reported.
        let count = numbering?.index ?? records.count
        let failure = numbering.map { (records[$0.index].sequence, $0.error) }
        return chunk.numbers.withUnsafeBufferPointer { numbers in
            chunk.numbersEnds.withUnsafeBufferPointer { numbersEnds in
                chunk.facts.withUnsafeBufferPointer { facts in
                    guard let facts = facts.baseAddress else { return failure }  // no events
                    var numbersStart = 0
                    for index in 0..<count {
                        // The first stage of what folding an event a few ahead reads: its parties'
                        // newest links, its hazard's timeline entry; then, nearer, the steps that
                        // entry points to. (Its facts, record and bytes are in this core's cache:
                        // numbering the chunk's hazards has just read them.)
                        let ahead = index + EngineTuning.foldPrefetchDistance, nearer = index + EngineTuning.foldPrefetchDistance / 2
                        if ahead < count {
                            prefetch(parties: parties[ahead], hazard: FoldChunk.hazard(of: ahead, numbersEnds, numbers),
                                     followUp: false)
                        }
                        if nearer < count {
                            prefetch(parties: parties[nearer], hazard: FoldChunk.hazard(of: nearer, numbersEnds, numbers),
                                     followUp: true)
                        }
                        let record = records[index]
                        do throws(EventDecodingError) {
                            try fold(facts + index, numbered: UnsafeBufferPointer(rebasing: numbers[numbersStart..<numbersEnds[index]]),
                                     parties: parties[index], sequence: record.sequence, recordedAt: record.recordedAt)
                        } catch {
                            return (record.sequence, .undecodable(sequence: record.sequence, error))
                        }
                        numbersStart = numbersEnds[index]
                    }
                    return failure
                }
            }
        }
    }
}

/// The chunks and failures passed between a replay's two threads.
private typealias Handoff = ReplayHandoff<FoldChunk, StoreError>

/// What the reading thread owns while it runs: the log reader (the store is not used elsewhere
/// meanwhile) and the numbering, handed back once the thread has stopped.
private final class ReadingSide: @unchecked Sendable {
    let reader: LogReader
    var numbering: PartyNumbering
    let start: UInt64

    init(reader: LogReader, numbering: PartyNumbering, from start: UInt64) {
        self.reader = reader
        self.numbering = numbering
        self.start = start
    }

    /// The numbering, once the thread has stopped (leaving an empty one here).
    func takeNumbering() -> PartyNumbering {
        var taken = PartyNumbering()
        swap(&taken, &numbering)
        return taken
    }

    func run(handing handoff: Handoff) {
        var chunk = FoldChunk.reserved()
        var recycler = BatchRecycler()
        var next = start  // the first sequence not read yet
        var stopped = false  // set when this thread stops the reading itself
        do throws(LogError) {
            try reader.forEachPayload(from: start, recycling: &recycler) { sequence, recordedAt, payload, batch throws(LogError) in
                next = sequence + 1
                var failure: EventDecodingError?
                do throws(EventDecodingError) {
                    // The facts point into `batch`, which the chunk holds until the event is folded.
                    chunk.append(try EventView(payload), sequence: sequence, recordedAt: recordedAt, batch: batch)
                    // Numbering a chunk prefetches its look-ups a few events ahead, which leaves
                    // its first events' to be started here, a chunk ahead.
                    if chunk.records.count <= EngineTuning.numberingPrefetchDistance, let facts = chunk.facts.last {
                        numbering.prefetch(facts.parties, longKey: false)
                    }
                } catch {
                    failure = error
                }
                if let failure {
                    // What came before is folded; then the replay stops with this record's error.
                    hand(&chunk, to: handoff)
                    handoff.fail(.undecodable(sequence: sequence, failure), at: sequence)
                    stopped = true
                    throw .closed
                }
                if chunk.isFull {
                    // False once the fold failed (its error is the one reported): stop reading.
                    guard hand(&chunk, to: handoff) else {
                        stopped = true
                        throw .closed
                    }
                    chunk = handoff.spareChunk()
                }
            }
            hand(&chunk, to: handoff)
        } catch {
            // A batch's events before its damage were read: they are folded first, so that an
            // earlier event's own error is the one reported.
            if !stopped {
                hand(&chunk, to: handoff)
                handoff.fail(.log(error), at: next)
            }
        }
        handoff.endReading()
    }

    /// Numbers the parties of `chunk`'s events and hands it to the fold (leaving
    /// `chunk` empty: the fold thread then holds the only reference and changes it in place).
    /// `false` when the replay has failed, here or in the fold.
    @discardableResult
    private func hand(_ chunk: inout FoldChunk, to handoff: Handoff) -> Bool {
        var full = FoldChunk()
        swap(&full, &chunk)
        guard !full.records.isEmpty else { return true }
        if let failure = full.numberParties(with: &numbering) {
            // The events before the one that failed are folded first, so that an earlier
            // event's own error is the one reported.
            let sequence = full.records[failure.index].sequence
            full.keepFirst(failure.index)
            if !full.records.isEmpty { _ = handoff.put(consume full) }
            handoff.fail(failure.error, at: sequence)
            return false
        }
        return handoff.put(consume full)
    }
}
