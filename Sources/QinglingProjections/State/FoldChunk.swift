import CPrefetch
import QinglingEvents
import QinglingWorkflow

/// Events passed from the reading thread to the folding one: their stored bytes back to back,
/// each read once (`EventView`) with the hashes of the ids it is looked up by and the numbers
/// of the parties it names (`EventNumbering`, on the reading thread); then, on the folding
/// thread, the numbers of the hazards each names, back to back (`numbersEnds[i]`: where event
/// `i`'s numbers end: `numberHazards`).
struct FoldChunk {
    /// Events per chunk: few enough that a chunk (about 600 KiB) is still in a core's cache when
    /// it numbers the chunk's parties (reading thread) or hazards (folding thread).
    static let capacity = 1_024
    /// How many events ahead the fold prefetches what it reads.
    static let prefetchDistance = 8
    /// How many events ahead numbering prefetches its look-ups' slots (where long keys lie at
    /// half that):
    /// numbering an event takes a few dozen nanoseconds, a random read from memory over 300 here,
    /// so it must start much further ahead than the fold.
    static let numberingPrefetchDistance = 32
    var bytes: [UInt8] = []
    /// Each event as the reading thread read it. Its `bytes` are first the reader's buffer, soon
    /// reused: `numberParties(with:)` points each at the copy in `bytes` (`EventView.read`)
    /// before any use, and the folding thread does again within its own access to `bytes`.
    var views: [EventView] = []
    var records: [Record] = []
    var numbers: [Int32] = []
    var numbersEnds: [Int] = []
    var parties: [EventNumbers] = []

    struct Record {
        var sequence: UInt64
        var recordedAt: Int64
        /// Where the event's bytes end in `bytes`.
        var end: Int
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
        bytes.reserveCapacity(Self.capacity * 320)
        views.reserveCapacity(Self.capacity)
        records.reserveCapacity(Self.capacity)
        hashes.reserveCapacity(Self.capacity)
        numbers.reserveCapacity(Self.capacity + Self.capacity / 4)
        numbersEnds.reserveCapacity(Self.capacity)
        parties.reserveCapacity(Self.capacity)
    }

    var isFull: Bool { records.count == Self.capacity }

    mutating func append(_ view: EventView, sequence: UInt64, recordedAt: Int64, payload: ArraySlice<UInt8>) {
        views.append(view)
        bytes.append(contentsOf: payload)
        let hazardPosition = view.hazardId.flatMap { HazardSeriesIndex.position(of: view[$0]) }
        records.append(Record(sequence: sequence, recordedAt: recordedAt, end: bytes.count, hazardPosition: hazardPosition))
        hashes.append(LookupHashes(view))
    }

    /// Numbers the parties of every event (on the reading thread), prefetching a few events
    /// ahead. On failure, returns the failing event's index and error; the events before it are
    /// numbered.
    mutating func numberParties(with numbering: inout EventNumbering) -> (index: Int, error: StoreError)? {
        parties.removeAll(keepingCapacity: true)
        let records = records
        return bytes.withUnsafeBytes { bytes -> (index: Int, error: StoreError)? in
            views.withUnsafeMutableBufferPointer { views in
                guard let views = views.baseAddress else { return nil }
                var start = 0
                for index in records.indices {
                    let ahead = index + Self.numberingPrefetchDistance, nearer = index + Self.numberingPrefetchDistance / 2
                    if ahead < records.count { numbering.prefetch(hashes[ahead], key: false) }
                    if nearer < records.count { numbering.prefetch(hashes[nearer], key: true) }
                    let record = records[index]
                    // From now on each view reads the copy (in place: a view is too large to copy about).
                    views[index].read(UnsafeRawBufferPointer(rebasing: bytes[start..<record.end]))
                    do throws(EventDecodingError) {
                        parties.append(try numbering.number(views + index, hashes: hashes[index]))
                    } catch {
                        return (index, .undecodable(sequence: record.sequence, error))
                    }
                    start = record.end
                }
                return nil
            }
        }
    }

    /// Numbers the hazards of every event (on the folding thread, before it folds the chunk),
    /// prefetching a few events ahead. On failure, returns the failing event's index and error;
    /// the events before it are numbered.
    mutating func numberHazards(with numbering: inout HazardNumbering) -> (index: Int, error: StoreError)? {
        numbers.removeAll(keepingCapacity: true)
        numbersEnds.removeAll(keepingCapacity: true)
        let records = records
        return bytes.withUnsafeBytes { bytes -> (index: Int, error: StoreError)? in
            views.withUnsafeMutableBufferPointer { views in
                guard let views = views.baseAddress else { return nil }
                var start = 0
                for index in records.indices {
                    let ahead = index + Self.numberingPrefetchDistance
                    if ahead < records.count, let position = records[ahead].hazardPosition { numbering.prefetch(position) }
                    let record = records[index]
                    views[index].read(UnsafeRawBufferPointer(rebasing: bytes[start..<record.end]))
                    do throws(EventDecodingError) {
                        try numbering.number(views + index, position: record.hazardPosition, into: &numbers)
                    } catch {
                        return (index, .undecodable(sequence: record.sequence, error))
                    }
                    numbersEnds.append(numbers.count)
                    start = record.end
                }
                return nil
            }
        }
    }

    /// Keeps only the first `count` events (on the reading thread, when numbering a party failed).
    mutating func keepFirst(_ count: Int) {
        guard count < records.count else { return }
        bytes.removeSubrange((count == 0 ? 0 : records[count - 1].end)...)
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

    /// Starts bringing into the cache the bytes the fold reads of `view`, an event stored at
    /// `start` in `bytes` (written on the reading thread's core): none for an event that only
    /// adds a step, else the event from its organisation's id on.
    static func prefetch(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ view: UnsafePointer<EventView>) {
        guard let base = bytes.baseAddress else { return }
        switch view.pointee.body {
        case .deadlineExtended, .hazardRectified, .hazardVerified, .hazardClosed, .hazardReopened, .hazardWithdrawn, .escalationIssued:
            return
        case .hazardReported, .hazardSupervised, .penaltyImposed, .tipOffReceived, .rewardPaid:
            break
        }
        let lower = Int(view.pointee.organizationId.start), upper = view.pointee.bytes.count
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
        hashes.removeAll(keepingCapacity: true)
        numbers.removeAll(keepingCapacity: true)
        numbersEnds.removeAll(keepingCapacity: true)
        parties.removeAll(keepingCapacity: true)
    }
}
