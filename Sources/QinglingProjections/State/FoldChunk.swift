import CPrefetch
import QinglingEvents
import QinglingLog
import QinglingWorkflow

/// Events passed from the reading thread to the folding one: each read once (`EventView`), in
/// place in the decompressed batch it came in (which the chunk holds), with the hashes of the
/// ids it is looked up by and the numbers of the parties it names (`EventNumbering`, on the
/// reading thread); then, on the folding thread, the numbers of the hazards each names, back
/// to back (`numbersEnds[i]`: where event `i`'s numbers end: `numberHazards`).
struct FoldChunk {
    /// Events per chunk: few enough that a chunk (its events' bytes and views, about 600 KiB) is
    /// still in a core's cache when it numbers the chunk's parties (reading thread) or hazards
    /// (folding thread).
    static let capacity = 1_024
    /// How many events ahead the fold prefetches what it reads.
    static let prefetchDistance = 8
    /// How many events ahead numbering prefetches its look-ups' slots (where long keys lie at
    /// half that):
    /// numbering an event takes a few dozen nanoseconds, a random read from memory over 300 here,
    /// so it must start much further ahead than the fold.
    static let numberingPrefetchDistance = 32
    /// The decompressed batches the events lie in (a batch spans several chunks): held until
    /// the chunk is emptied, so that the views' bytes stay where they are, unchanged.
    var batches: [DecompressedBatch] = []
    /// Each event as the reading thread read it, in place in its batch.
    var views: [EventView] = []
    var records: [Record] = []
    var numbers: [Int32] = []
    var numbersEnds: [Int] = []
    var parties: [EventNumbers] = []

    struct Record {
        var sequence: UInt64
        var recordedAt: Int64
        /// For a lifecycle event, where its hazard's id is found by its own number
        /// (`HazardSeriesIndex`), when it has the workflow's form.
        var hazardPosition: HazardSeriesIndex.Position?
    }
    /// The hashes of each event's ids (`LookupHashes`), for the reading thread's numbering: an
    /// array of their own, so that the folding thread, which reads the records, does not bring
    /// them over from the other core's cache.
    var hashes: [LookupHashes] = []

    init(reserving: Bool = true) {
        guard reserving else { return }
        views.reserveCapacity(Self.capacity)
        records.reserveCapacity(Self.capacity)
        hashes.reserveCapacity(Self.capacity)
        numbers.reserveCapacity(Self.capacity + Self.capacity / 4)
        numbersEnds.reserveCapacity(Self.capacity)
        parties.reserveCapacity(Self.capacity)
    }

    var isFull: Bool { records.count == Self.capacity }

    /// Adds an event read in place from `batch`.
    mutating func append(_ view: EventView, sequence: UInt64, recordedAt: Int64, batch: DecompressedBatch) {
        if batches.last !== batch { batches.append(batch) }
        views.append(view)
        let hazardPosition = view.hazardId.flatMap { HazardSeriesIndex.position(of: view[$0]) }
        records.append(Record(sequence: sequence, recordedAt: recordedAt, hazardPosition: hazardPosition))
        hashes.append(LookupHashes(view))
    }

    /// Numbers the parties of every event (on the reading thread), prefetching a few events
    /// ahead. On failure, returns the failing event's index and error; the events before it are
    /// numbered.
    mutating func numberParties(with numbering: inout EventNumbering) -> (index: Int, error: StoreError)? {
        parties.removeAll(keepingCapacity: true)
        let records = records
        return views.withUnsafeBufferPointer { views in
            guard let views = views.baseAddress else { return nil }
            for index in records.indices {
                let ahead = index + Self.numberingPrefetchDistance, nearer = index + Self.numberingPrefetchDistance / 2
                if ahead < records.count { numbering.prefetch(hashes[ahead], key: false) }
                if nearer < records.count { numbering.prefetch(hashes[nearer], key: true) }
                do throws(EventDecodingError) {
                    parties.append(try numbering.number(views + index, hashes: hashes[index]))
                } catch {
                    return (index, .undecodable(sequence: records[index].sequence, error))
                }
            }
            return nil
        }
    }

    /// Numbers the hazards of every event and interns its names (on the folding thread, before
    /// it folds the chunk), prefetching a few events ahead. On failure, returns the failing
    /// event's index and error; the events before it are numbered.
    mutating func numberHazards(with numbering: inout HazardNumbering, names: inout NameNumbering) -> (index: Int, error: StoreError)? {
        numbers.removeAll(keepingCapacity: true)
        numbersEnds.removeAll(keepingCapacity: true)
        let records = records
        return views.withUnsafeBufferPointer { views in
            guard let views = views.baseAddress else { return nil }
            for index in records.indices {
                let ahead = index + Self.numberingPrefetchDistance, nearer = index + Self.prefetchDistance
                if ahead < records.count, let position = records[ahead].hazardPosition { numbering.prefetch(position) }
                if nearer < records.count { Self.prefetch(views + nearer) }  // the names' bytes, and the fold's
                do throws(EventDecodingError) {
                    try numbering.number(views + index, position: records[index].hazardPosition, into: &numbers)
                    try names.number(views + index, into: &parties[index])
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
        views.removeSubrange(count...)
        records.removeSubrange(count...)
        hashes.removeSubrange(count...)
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

    /// Starts bringing into the cache the bytes the fold reads of `view` (written on the reading
    /// thread's core): none for an event that only adds a step, else the event from its
    /// organisation's id on.
    static func prefetch(_ view: UnsafePointer<EventView>) {
        guard let base = view.pointee.bytes.baseAddress else { return }
        switch view.pointee.body {
        case .deadlineExtended, .hazardRectified, .hazardVerified, .hazardClosed, .hazardReopened, .hazardWithdrawn, .escalationIssued:
            return
        case .hazardReported, .hazardSupervised, .penaltyImposed, .tipOffReceived, .rewardPaid:
            break
        }
        let lower = Int(view.pointee.organizationId.start), upper = view.pointee.bytes.count
        for line in stride(from: lower, to: upper, by: 64) { qingling_prefetch(base + line) }
        qingling_prefetch(base + upper - 1)
    }

    /// A copy of the last event's stored bytes.
    var lastPayload: [UInt8]? {
        views.last.map { Array($0.bytes) }
    }

    mutating func empty() {
        batches.removeAll(keepingCapacity: true)
        views.removeAll(keepingCapacity: true)
        records.removeAll(keepingCapacity: true)
        hashes.removeAll(keepingCapacity: true)
        numbers.removeAll(keepingCapacity: true)
        numbersEnds.removeAll(keepingCapacity: true)
        parties.removeAll(keepingCapacity: true)
    }
}
