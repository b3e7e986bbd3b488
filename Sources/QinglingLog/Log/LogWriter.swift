import Crypto
import Dispatch
import Synchronization

/// The one writer of a log directory.
///
/// Each `append` writes one batch, or one multi-batch append (`append(batches:)`), atomically:
/// every batch of a multi-batch append but the last says the append goes on, and readers see
/// none of them until the last is there. Appends from many threads or tasks are coalesced
/// by group commit: the first caller to find the writer idle becomes the leader and writes (on
/// its own thread, or for async callers on the writer's queue) every batch queued until the
/// queue is empty; while it writes and syncs, the
/// next group accumulates. A synced group costs one `write` per segment and two `fdatasync`s:
/// one for its batches, one for the sync mark appended after them (`SyncMark`), which proves
/// they were synced. An append returns only once its batches and that mark are durable (or,
/// with `.deferred`, written).
///
/// Repairs that opening found (a torn tail to cut, `LogRepairs`) are made just before the
/// first write, so a writer that writes nothing changes no segment.
///
/// After a failed `fdatasync` the writer stops: the kernel may have dropped the dirty pages, so
/// it accepts no more appends and every call reports the failure. Reopening the log recovers.
public final class LogWriter: Sendable {
    /// The log's files.
    public let layout: LogLayout
    /// What opening found and repaired.
    public let recovery: RecoveryReport
    /// The log's identity, as read or created on open.
    public let metadata: LogMetadata

    let options: LogOptions
    private let shared: Mutex<Shared>
    private let leaderQueue = DispatchQueue(label: "qingling.log.writer")
    /// Touched only by the leader: the one thread that set `Shared.draining`.
    nonisolated(unsafe) var state: WriterState
    private nonisolated(unsafe) var lock: (any DirectoryLock)?

    private struct Shared {
        var pending: [Request] = []
        var draining = false
        var closed = false
        var nextSequence: UInt64
    }

    private struct Request {
        /// The batches of one append: all or nothing. Empty for a sync or close.
        var batches: [[Record]] = []
        /// The records of one append gathered in a spool (instead of `batches`).
        var spool: AppendSpool?
        let durability: Durability
        let isClose: Bool
        /// Only the last segment's index written (`indexLastSegment()`); no batch.
        var indexesOnly = false
        let complete: @Sendable (Result<AppendResult, LogError>) -> Void
    }

    /// Opens the log in `directory` for writing, creating it if allowed, and recovers its tail.
    public init(directory: String, options: LogOptions = LogOptions()) throws(LogError) {
        let layout = LogLayout(directory: directory)
        let opened = try LogOpener(layout: layout, options: options).open()
        self.layout = layout
        self.options = options
        self.metadata = opened.metadata
        self.recovery = opened.report
        self.state = opened.state
        self.state.repairs = opened.repairs
        self.state.needsPreparation = true
        self.lock = opened.lock
        self.shared = Mutex(Shared(nextSequence: opened.state.nextSequence))
    }

    deinit {
        state.active?.file.close()
        lock?.release()
    }

    /// Whether an append is in flight or queued (sealing needs the writer idle).
    var isBusy: Bool { shared.withLock { $0.draining || !$0.pending.isEmpty || $0.closed } }

    /// The sequence number the next appended record will get.
    public var nextSequence: UInt64 { shared.withLock { $0.nextSequence } }

    /// Appends `records` as one batch and waits until it is durable (or written, if deferred).
    @discardableResult
    public func append(_ records: [Record], durability: Durability = .synced) throws(LogError) -> AppendResult {
        try append(batches: records.isEmpty ? [] : [records], durability: durability)
    }

    /// Appends several batches as one append, all or nothing, and waits until they are durable
    /// (or written, if deferred). For an append larger than one batch may hold
    /// (`LogLimits.maxRecordsPerBatch` records, `LogLimits.maxBatchRawBytes` bytes): the
    /// batches go into one segment, and readers see them only once the last one is written.
    @discardableResult
    public func append(batches: [[Record]], durability: Durability = .synced) throws(LogError) -> AppendResult {
        try Self.check(batches)
        return try submitAndWait { Request(batches: batches, durability: durability, isClose: false, complete: $0) }
    }

    /// A new spool to gather the records of one append in, for `append(spool:durability:)`.
    public func makeSpool() throws(LogError) -> AppendSpool {
        try AppendSpool(layout: layout, fileSystem: options.fileSystem)
    }

    /// Appends the records gathered in `spool` as one append, all or nothing, like
    /// `append(batches:durability:)`, holding one batch of records in memory at a time (and,
    /// per record, its recorded time and index entries); waits until they are durable (or
    /// written, if deferred). An empty spool appends nothing. The spool is not to be used again.
    @discardableResult
    public func append(spool: AppendSpool, durability: Durability = .synced) throws(LogError) -> AppendResult {
        try spool.storeGathered()
        guard spool.count > 0 else {
            if shared.withLock({ $0.closed }) { throw .closed }
            return AppendResult(sequences: nextSequence..<nextSequence, recordedAt: [])
        }
        return try submitAndWait { Request(spool: spool, durability: durability, isClose: false, complete: $0) }
    }

    /// Appends `records` as one batch from an async context; see `append(_:durability:)`.
    ///
    /// The task suspends while it waits; when it finds the writer idle, the group is written on
    /// the writer's own serial queue, never on the cooperative thread pool, so that many tasks'
    /// appends accumulate into one group while a write or sync is in progress.
    @discardableResult
    public func append(_ records: [Record], durability: Durability = .synced) async throws(LogError) -> AppendResult {
        let batches = records.isEmpty ? [] : [records]
        try Self.check(batches)
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<AppendResult, LogError>, Never>) in
            submit(Request(batches: batches, durability: durability, isClose: false) { continuation.resume(returning: $0) },
                   leadOnThisThread: false)
        }
        return try result.get()
    }

    /// Writes the last segment's index now when it covers less than the segment holds (a
    /// writer died with the segment open), as the first write would: the segment synced first,
    /// nothing in it changed. For a writer that takes appends at once (the service), whose
    /// first look-ups by key would otherwise scan the whole last segment.
    public func indexLastSegment() throws(LogError) {
        _ = try submitAndWait { Request(durability: .synced, isClose: false, indexesOnly: true, complete: $0) }
    }

    /// Makes every batch written so far durable.
    public func sync() throws(LogError) {
        _ = try append([], durability: .synced)
    }

    /// Syncs, writes the active segment's index and releases the directory lock.
    public func close() throws(LogError) {
        _ = try submitAndWait { Request(durability: .synced, isClose: true, complete: $0) }
    }

    /// Submits the request `make` builds around its completion, leading on this thread if the
    /// writer is idle, and waits for its result.
    private func submitAndWait(_ make: (@escaping @Sendable (Result<AppendResult, LogError>) -> Void) -> Request) throws(LogError) -> AppendResult {
        let semaphore = DispatchSemaphore(value: 0)
        let outcome = Mutex<Result<AppendResult, LogError>>(.failure(.closed))
        submit(make { result in
            outcome.withLock { $0 = result }
            semaphore.signal()
        }, leadOnThisThread: true)
        semaphore.wait()
        return try outcome.withLock { $0 }.get()
    }

    // MARK: - Input limits

    /// Refuses an append with an empty batch, or a batch beyond the format's limits, before
    /// anything is queued or written.
    static func check(_ batches: [[Record]]) throws(LogError) {
        for records in batches {
            guard !records.isEmpty else { throw .invalidBatch(reason: "an append of several batches has an empty one") }
            try check(records)
        }
    }

    /// Refuses a batch beyond the format's limits.
    static func check(_ records: [Record]) throws(LogError) {
        guard records.count <= Int(LogLimits.maxRecordsPerBatch) else {
            throw .invalidBatch(reason: "\(records.count) records; a batch holds at most \(LogLimits.maxRecordsPerBatch)")
        }
        var rawBytes = 0
        for (index, record) in records.enumerated() { rawBytes += try checkedRawSize(of: record, at: index) }
        guard rawBytes <= Int(LogLimits.maxBatchRawBytes) else {
            throw .invalidBatch(reason: "\(rawBytes) bytes of records; a batch holds at most \(LogLimits.maxBatchRawBytes)")
        }
    }

    /// The size `record` takes in a batch before compression (`RecordCodec`); refuses it if it
    /// is beyond the format's limits (`index`: its place, for the error).
    static func checkedRawSize(of record: Record, at index: Int) throws(LogError) -> Int {
        guard record.payload.count <= LogLimits.maxRecordBytes else {
            throw .recordTooLarge(record: index, bytes: record.payload.count, limit: LogLimits.maxRecordBytes)
        }
        guard record.keys.count <= LogLimits.maxKeysPerRecord else {
            throw .invalidStreamKey(record: index, reason: "\(record.keys.count) keys; at most \(LogLimits.maxKeysPerRecord)")
        }
        // A record has a few keys: comparing them pairwise builds no set.
        let repeated = record.keys.count <= 8
            ? record.keys.indices.contains { record.keys[..<$0].contains(record.keys[$0]) }
            : Set(record.keys).count != record.keys.count
        guard !repeated else { throw .invalidStreamKey(record: index, reason: "a key appears twice") }
        for key in record.keys {
            guard !key.isEmpty, key.utf8.count <= LogLimits.maxKeyBytes else {
                throw .invalidStreamKey(record: index, reason: "key of \(key.utf8.count) bytes; keys have 1 to \(LogLimits.maxKeyBytes) bytes")
            }
        }
        return record.encodedSize
    }

    // MARK: - Group commit

    /// Queues `request`. If no leader is writing, the caller becomes the leader: on its own
    /// thread (synchronous callers, for the lowest latency) or on `leaderQueue` (async callers).
    private func submit(_ request: Request, leadOnThisThread: Bool) {
        let startDraining: Bool? = shared.withLock { shared in
            if shared.closed { return nil }
            shared.pending.append(request)
            if shared.draining { return false }
            shared.draining = true
            return true
        }
        switch startDraining {
        case nil: request.complete(.failure(.closed))
        case true?: if leadOnThisThread { drain() } else { leaderQueue.async { self.drain() } }
        case false?: break  // the leader will write it
        }
    }

    private func drain() {
        while true {
            let group: [Request] = shared.withLock { shared in
                let group = shared.pending
                shared.pending = []
                if group.isEmpty { shared.draining = false }
                return group
            }
            if group.isEmpty { return }
            let results = process(group)
            let next = state.nextSequence
            shared.withLock { $0.nextSequence = next }
            for (request, result) in zip(group, results) { request.complete(result) }
        }
    }

    /// Writes a group of requests: batches go into one buffer per segment, written and synced
    /// together. A failed write rolls the in-memory state back to before the failed part.
    private func process(_ group: [Request]) -> [Result<AppendResult, LogError>] {
        var results = [Result<AppendResult, LogError>?](repeating: nil, count: group.count)
        var unit = WriteUnit(start: state.checkpoint())
        for (index, request) in group.enumerated() {
            if state.closed { results[index] = .failure(.closed); continue }
            if let stopped = state.stopped { results[index] = .failure(stopped); continue }
            if let spool = request.spool {
                // Written straight to the segment, a batch at a time, after what is pending.
                flush(&unit, group: group, results: &results)
                results[index] = Result { () throws(LogError) in try writeSpooled(spool, durability: request.durability) }
                unit = WriteUnit(start: state.checkpoint())
                continue
            }
            if request.indexesOnly {
                do throws(LogError) {
                    try writeActiveIndexIfBehind(synced: false)
                    results[index] = .success(AppendResult(sequences: state.nextSequence..<state.nextSequence, recordedAt: []))
                } catch {
                    results[index] = .failure(error)
                }
                continue
            }
            if request.isClose || request.batches.isEmpty {
                unit.needsSync = true
                unit.members.append(index)
                continue
            }
            if state.needsPreparation {
                // Changes no state the unit started from: the active segment's size already
                // stands where a torn tail is cut.
                do throws(LogError) { try prepareForFirstWrite() } catch {
                    results[index] = .failure(error)
                    continue
                }
            }
            var prepared = prepareAppend(request.batches)
            if needsRoll(for: prepared, pendingBytes: unit.bytes.count) {
                // The current segment is finished: write what is pending and sync it first.
                unit.needsSync = true
                flush(&unit, group: group, results: &results)
                if let stopped = state.stopped { results[index] = .failure(stopped); continue }
                // A failed flush rolls the state back: prepare the append again from there.
                prepared = prepareAppend(request.batches)
                var rollFailure: LogError?
                while needsRoll(for: prepared, pendingBytes: 0) {
                    do throws(LogError) {
                        try roll(year: ShanghaiTime.year(ofMicroseconds: prepared.firstRecordedAt))
                    } catch {
                        rollFailure = error
                        break
                    }
                    // In the new segment, only its header is durable yet; and the year may have
                    // turned while the roll synced, which takes another roll.
                    prepared = prepareAppend(request.batches)
                }
                if let rollFailure {
                    results[index] = .failure(rollFailure)
                    unit = WriteUnit(start: state.checkpoint())
                    continue
                }
                unit = WriteUnit(start: state.checkpoint())
            }
            var writeOffset = (state.active?.size ?? 0) + Int64(unit.bytes.count)
            for (batch, records) in zip(prepared.batches, request.batches) {
                unit.bytes.append(contentsOf: batch.bytes)
                state.active?.index.add(offset: writeOffset, header: batch.header, keys: records.map(\.keys), hash: batch.hash)
                writeOffset += Int64(batch.bytes.count)
            }
            if request.durability == .synced { unit.needsSync = true }
            state.nextSequence = prepared.nextSequence
            state.lastRecordedAt = prepared.lastRecordedAt
            state.lastHash = prepared.lastHash
            unit.members.append(index)
            unit.appended[index] = AppendResult(sequences: prepared.sequences, recordedAt: prepared.times)
        }
        flush(&unit, group: group, results: &results)
        if group.contains(where: \.isClose) { finishClose() }
        return results.map { $0 ?? .failure(.closed) }
    }

    /// Before the first write: the repairs opening found (`LogRepairs`), then a sync of the last
    /// segment, so that the durable size new batches and marks declare is true.
    func prepareForFirstWrite() throws(LogError) {
        try state.repairs.apply(layout, fileSystem: options.fileSystem)
        state.repairs = LogRepairs()
        try state.active?.file.sync()
        state.needsPreparation = false
        try writeActiveIndexIfBehind(synced: true)
    }

    /// After a crash, the active segment's index file (written when a writer last closed it)
    /// covers less than the segment holds, or there is none: every reader then scans the rest
    /// at every look-up by key, and the writer's own look-ups would at every append. Written
    /// again, as a close would, once every byte it covers is synced (`synced`: already done).
    private func writeActiveIndexIfBehind(synced: Bool) throws(LogError) {
        guard let active = state.active, active.index.lastBatchOffset > 0, active.index.coveredBytes > active.indexFileCovered ?? 0 else { return }
        if !synced { try active.file.sync() }
        if IndexFileWriter.write(active.index, for: active.name, layout: layout, fileSystem: options.fileSystem) {
            state.active?.indexFileCovered = active.index.coveredBytes
        }
    }

    /// Whether `append` must go into a new segment: there is none, the active one was written
    /// before sync marks (version 1), the year turned, or the active segment (with
    /// `pendingBytes` not yet written) would grow past the roll size.
    private func needsRoll(for append: PreparedAppend, pendingBytes: Int) -> Bool {
        needsRoll(firstRecordedAt: append.firstRecordedAt, byteCount: append.byteCount, pendingBytes: pendingBytes)
    }

    /// Whether an append of `byteCount` bytes whose first record is recorded at
    /// `firstRecordedAt` must go into a new segment (see `needsRoll(for:pendingBytes:)`).
    private func needsRoll(firstRecordedAt: Int64, byteCount: Int, pendingBytes: Int) -> Bool {
        guard let active = state.active else { return true }
        let size = active.size + Int64(pendingBytes)
        return !active.marksEverySync
            || active.name.year != ShanghaiTime.year(ofMicroseconds: firstRecordedAt)
            || (size + Int64(byteCount) > options.segmentBytes && size > Int64(SegmentHeader.size))
    }

    /// Batches written together since the last flush, and the state to return to if they fail.
    private struct WriteUnit {
        let start: WriterState.Checkpoint
        var bytes: [UInt8] = []
        var needsSync = false
        var members: [Int] = []
        var appended: [Int: AppendResult] = [:]
    }

    private func flush(_ unit: inout WriteUnit, group: [Request], results: inout [Result<AppendResult, LogError>?]) {
        defer { unit = WriteUnit(start: state.checkpoint()) }
        guard !unit.members.isEmpty else { return }
        if let stopped = state.stopped {
            for member in unit.members { results[member] = .failure(stopped) }
            return
        }
        do throws(LogError) {
            if let active = state.active {
                if !unit.bytes.isEmpty {
                    let offset = unit.start.activeSize ?? Int64(SegmentHeader.size)
                    do throws(LogError) {
                        try active.file.write(unit.bytes, at: offset)
                    } catch {
                        // Undo the partial write; if even that fails, stop writing.
                        let restoredSize = unit.start.activeSize ?? Int64(SegmentHeader.size)
                        state.restore(unit.start)
                        do throws(LogError) { try active.file.truncate(to: restoredSize) } catch let truncateError {
                            state.stopped = .writerStopped(cause: "a failed write could not be undone: \(truncateError)")
                        }
                        throw error
                    }
                    state.active?.size = offset + Int64(unit.bytes.count)
                    state.unsynced = true
                }
                if unit.needsSync { try syncActive() }
            }
            for member in unit.members {
                results[member] = .success(unit.appended[member] ?? AppendResult(sequences: state.nextSequence..<state.nextSequence, recordedAt: []))
            }
        } catch {
            for member in unit.members { results[member] = .failure(error) }
        }
    }

    /// Makes the active segment's unsynced writes durable and proves it: `fdatasync`, then a
    /// sync mark appended and synced (`SyncMark`). A failure stops the writer.
    private func syncActive() throws(LogError) {
        guard state.unsynced else { return }
        try syncActiveData()
        try appendMark(finishingSegment: false)
    }

    /// `fdatasync` of the active segment if it has unsynced writes, without a mark.
    private func syncActiveData() throws(LogError) {
        guard let active = state.active, state.unsynced else { return }
        do throws(LogError) {
            try active.file.sync()
            state.unsynced = false
            state.active?.syncedSize = active.size
        } catch {
            state.stopped = .writerStopped(cause: error.description)
            throw error
        }
    }

    /// Appends a sync mark to the active segment, whose bytes are all synced, and syncs it;
    /// `finishingSegment` when the writer leaves the segment for a new one. A failure stops the
    /// writer (what the file holds after the failed write is unknown).
    private func appendMark(finishingSegment: Bool) throws(LogError) {
        guard let active = state.active else { return }
        let mark = SyncMark(syncedBytes: active.size, nextSequence: state.nextSequence, finishesSegment: finishingSegment)
        do throws(LogError) {
            try active.file.write(mark.encoded(), at: active.size)
            try active.file.sync()
            state.active?.size = active.size + Int64(SyncMark.size)
            state.active?.syncedSize = active.size + Int64(SyncMark.size)
        } catch {
            state.stopped = .writerStopped(cause: "a sync mark could not be written: \(error)")
            throw error
        }
    }

    private struct PreparedBatch {
        let header: BatchHeader
        let bytes: [UInt8]
        let hash: [UInt8]
    }

    /// The batches of one append, encoded, chained and ready to write.
    private struct PreparedAppend {
        let batches: [PreparedBatch]
        let times: [Int64]
        var firstRecordedAt: Int64 { times[0] }
        var lastRecordedAt: Int64 { times[times.count - 1] }
        var sequences: Range<UInt64> { batches[0].header.baseSequence..<nextSequence }
        var nextSequence: UInt64 { batches[batches.count - 1].header.nextSequence }
        var lastHash: [UInt8] { batches[batches.count - 1].hash }
        var byteCount: Int { batches.reduce(0) { $0 + $1.bytes.count } }
    }

    /// Assigns sequence numbers and strictly increasing recorded times to an append's records
    /// (`recordTimes`), then encodes, compresses and hashes its batches, each naming the one
    /// before; every batch but the last says the append goes on.
    private func prepareAppend(_ batches: [[Record]]) -> PreparedAppend {
        let times = recordTimes(count: batches.reduce(0) { $0 + $1.count })
        var prepared: [PreparedBatch] = []
        var sequence = state.nextSequence
        var previousHash = state.lastHash
        var first = 0
        for (position, records) in batches.enumerated() {
            let batch = prepareBatch(records, times: times[first..<first + records.count], baseSequence: sequence,
                                     previousHash: previousHash, continues: position < batches.count - 1)
            prepared.append(batch)
            sequence = batch.header.nextSequence
            previousHash = batch.hash
            first += records.count
        }
        return PreparedAppend(batches: prepared, times: times)
    }

    /// Strictly increasing recorded times for the `count` records of the next append, a
    /// microsecond apart from the clock's time (or just after the last record). An append that
    /// would straddle a year's turn starts at the new year. Recorded times never fall before the
    /// active segment's year: a header-only segment of a later year (a roll interrupted before
    /// its first batch) is gone on in, not left for another segment starting at the same
    /// sequence.
    private func recordTimes(count: Int) -> [Int64] {
        let activeYearStart = state.active.map { ShanghaiTime.startOfYear($0.name.year) } ?? .min
        var start = max(options.clock.now(), state.lastRecordedAt &+ 1, activeYearStart)
        let firstYear = ShanghaiTime.year(ofMicroseconds: start)
        if ShanghaiTime.year(ofMicroseconds: start + Int64(count - 1)) != firstYear {
            start = ShanghaiTime.startOfYear(firstYear + 1)
        }
        return (0..<Int64(count)).map { start + $0 }
    }

    /// One batch of records at `times`, encoded, compressed, chained to `previousHash` and hashed.
    private func prepareBatch(_ records: [Record], times: ArraySlice<Int64>, baseSequence: UInt64, previousHash: [UInt8],
                              continues: Bool) -> PreparedBatch {
        let batchTimes = Array(times)
        let raw = RecordCodec.encode(records, times: batchTimes)
        let payload = LZ4Frame.compress(raw)
        let header = BatchHeader(
            baseSequence: baseSequence, recordCount: UInt32(records.count),
            payloadLength: UInt32(payload.count), rawLength: UInt32(raw.count),
            payloadChecksum: CRC32C.checksum(payload), firstRecordedAt: batchTimes[0],
            lastRecordedAt: batchTimes[batchTimes.count - 1], previousHash: previousHash,
            durableBytes: UInt32(clamping: state.active?.syncedSize ?? Int64(SegmentHeader.size)), continues: continues)
        var bytes = header.encoded()
        bytes.append(contentsOf: payload)
        return PreparedBatch(header: header, bytes: bytes, hash: Array(SHA256.hash(data: bytes)))
    }

    /// Writes the records of `spool` as one append straight into the active segment, a batch
    /// at a time (rolling first if they might not fit: the decision takes the records' size
    /// before compression as the bound, so a spooled append may roll a segment that the same
    /// batches given whole would not), then syncs if `durability` asks. A failure part-way cuts
    /// the segment back to where the append began: nothing of it was synced or marked, so
    /// nothing of it was ever acknowledged.
    private func writeSpooled(_ spool: AppendSpool, durability: Durability) throws(LogError) -> AppendResult {
        if let stopped = state.stopped { throw stopped }
        let byteBound = spool.byteBound  // at most `LogLimits.maxSegmentBytes` (`AppendSpool.add`)
        if state.needsPreparation { try prepareForFirstWrite() }
        var times = recordTimes(count: spool.count)
        while needsRoll(firstRecordedAt: times[0], byteCount: byteBound, pendingBytes: 0) {
            try roll(year: ShanghaiTime.year(ofMicroseconds: times[0]))
            // The year may have turned while the roll synced, which takes another roll.
            times = recordTimes(count: spool.count)
        }
        guard let active = state.active else { throw .closed }
        let start = state.checkpoint()
        var offset = active.size
        var sequence = state.nextSequence
        var previousHash = state.lastHash
        var first = 0
        do throws(LogError) {
            for position in 0..<spool.batchCount {
                let records = try spool.records(ofBatch: position)
                let batch = prepareBatch(records, times: times[first..<first + records.count], baseSequence: sequence,
                                         previousHash: previousHash, continues: position < spool.batchCount - 1)
                try active.file.write(batch.bytes, at: offset)
                state.active?.index.add(offset: offset, header: batch.header, keys: records.map(\.keys), hash: batch.hash)
                offset += Int64(batch.bytes.count)
                sequence = batch.header.nextSequence
                previousHash = batch.hash
                first += records.count
            }
        } catch {
            state.restore(start)
            do throws(LogError) { try active.file.truncate(to: active.size) } catch let truncateError {
                state.stopped = .writerStopped(cause: "a failed append could not be undone: \(truncateError)")
            }
            throw error
        }
        state.active?.size = offset
        state.unsynced = true
        state.nextSequence = sequence
        state.lastRecordedAt = times[times.count - 1]
        state.lastHash = previousHash
        if durability == .synced { try syncActive() }
        return AppendResult(sequences: start.nextSequence..<sequence, recordedAt: times)
    }

    // MARK: - Segments

    /// Starts a new segment for `year` at the next sequence, then finishes the previous one.
    ///
    /// The previous segment's data is synced first (it may hold deferred writes). The new
    /// segment appears under its name only once its header is complete and durable: it is
    /// written under a temporary name, synced, and renamed. Only then does the previous segment
    /// get its finishing sync mark, which says the log goes on in a later segment (so a crash in
    /// between never leaves a finished segment without a successor).
    private func roll(year: Int) throws(LogError) {
        try syncActiveData()
        let fileSystem = options.fileSystem
        let name = SegmentName(year: year, baseSequence: state.nextSequence)
        let path = layout.segment(name)
        let temporary = path + LogLayout.temporarySuffix
        let file: any FileHandle
        do throws(LogError) {
            let creating = try fileSystem.openForWriting(temporary, create: true)
            defer { creating.close() }
            try creating.truncate(to: 0)
            try creating.write(SegmentHeader(year: year, baseSequence: name.baseSequence).encoded(), at: 0)
            try creating.sync()
            try fileSystem.rename(temporary, to: path)
            try fileSystem.syncDirectory(layout.segments)
            file = try fileSystem.openForWriting(path, create: false)
        } catch {
            try? fileSystem.removeFile(temporary)
            try? fileSystem.removeFile(path)
            throw error
        }
        do throws(LogError) { try appendMark(finishingSegment: true) } catch {
            file.close()
            throw error
        }
        retireActiveSegment()
        state.active = ActiveSegment(name: name, file: file, size: Int64(SegmentHeader.size), syncedSize: Int64(SegmentHeader.size),
                                     index: SegmentIndexBuilder(baseSequence: name.baseSequence), marksEverySync: true)
    }

    /// Writes the active segment's index (when it holds a batch) and closes it. The index is
    /// derived data: failing to write it costs a rebuild, not data.
    ///
    /// An index says the bytes it covers were synced (`SegmentIndex.claimedBytes`). A writer
    /// that never wrote has not synced the batches it found on opening (a killed writer's may
    /// be in the page cache only): it syncs them first, and writes no index if that fails.
    func retireActiveSegment() {
        guard let active = state.active else { return }
        let synced = !state.needsPreparation || (try? active.file.sync()) != nil
        active.file.close()
        state.active = nil
        if synced, active.index.lastBatchOffset > 0 {
            IndexFileWriter.write(active.index, for: active.name, layout: layout, fileSystem: options.fileSystem)
        }
    }

    private func finishClose() {
        if state.stopped == nil { retireActiveSegment() } else { state.active?.file.close(); state.active = nil }
        state.closed = true
        shared.withLock { $0.closed = true }
        lock?.release()
        lock = nil
    }
}

/// The open segment the writer appends to.
struct ActiveSegment {
    let name: SegmentName
    let file: any FileHandle
    var size: Int64
    /// The size known durable: at the last successful sync (batches record it, see
    /// `BatchHeader.durableBytes`).
    var syncedSize: Int64
    var index: SegmentIndexBuilder
    /// Whether the segment's writer marks every sync (a version-2 segment header): only such a
    /// segment is appended to; the writer rolls away from an older one.
    var marksEverySync: Bool
    /// The bytes the segment's index file covered when the writer opened it (`nil`: no usable
    /// index file, or a segment the writer created).
    var indexFileCovered: Int64? = nil
}

/// The writer's position in the log.
struct WriterState {
    var nextSequence: UInt64 = 0
    var lastRecordedAt: Int64 = .min
    var lastHash = [UInt8](repeating: 0, count: 32)
    var active: ActiveSegment?
    /// Whether the active segment has writes not yet synced (deferred appends).
    var unsynced = false

    /// The position to return to if a write fails: small, so taking one copies no index entries.
    struct Checkpoint {
        let nextSequence: UInt64
        let lastRecordedAt: Int64
        let lastHash: [UInt8]
        let unsynced: Bool
        let activeSize: Int64?
        let indexMark: SegmentIndexBuilder.Mark?
    }

    func checkpoint() -> Checkpoint {
        Checkpoint(nextSequence: nextSequence, lastRecordedAt: lastRecordedAt, lastHash: lastHash, unsynced: unsynced,
                   activeSize: active?.size, indexMark: active?.index.mark())
    }

    /// Returns to `checkpoint`, taken on the same active segment.
    mutating func restore(_ checkpoint: Checkpoint) {
        nextSequence = checkpoint.nextSequence
        lastRecordedAt = checkpoint.lastRecordedAt
        lastHash = checkpoint.lastHash
        unsynced = checkpoint.unsynced
        if let size = checkpoint.activeSize { active?.size = size }
        if let mark = checkpoint.indexMark { active?.index.rollBack(to: mark) }
    }
    var stopped: LogError?
    var closed = false
    /// What opening found to repair, made before the first write.
    var repairs = LogRepairs()
    /// Whether the first write is still to come (see `LogWriter.prepareForFirstWrite`).
    var needsPreparation = false
}

/// Writes index files: to a temporary name, then renamed over the old one.
enum IndexFileWriter {
    /// Whether the index was written (an index is a hint: a failure loses nothing).
    @discardableResult
    static func write(_ builder: SegmentIndexBuilder, for name: SegmentName, layout: LogLayout, fileSystem: any FileSystem) -> Bool {
        let path = layout.index(name)
        let temporary = path + LogLayout.temporarySuffix
        do throws(LogError) {
            try fileSystem.createDirectory(layout.indexes)
            let file = try fileSystem.openForWriting(temporary, create: true)
            defer { file.close() }
            try file.truncate(to: 0)
            try file.write(builder.encoded(), at: 0)
            try fileSystem.rename(temporary, to: path)
            return true
        } catch {
            try? fileSystem.removeFile(temporary)
            return false
        }
    }
}
