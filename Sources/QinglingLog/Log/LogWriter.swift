import Crypto
import Dispatch
import Synchronization

/// The one writer of a log directory.
///
/// Each `append` writes one batch atomically. Appends from many threads or tasks are coalesced
/// by group commit: the first caller to find the writer idle becomes the leader and writes (on
/// its own thread, or for async callers on the writer's queue) every batch queued until the
/// queue is empty; while it writes and syncs, the
/// next group accumulates, and each group costs one `write` per segment and one `fdatasync`.
/// An append returns only once its batch is durable (or, with `.deferred`, written).
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
        let records: [Record]
        let durability: Durability
        let isClose: Bool
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
        try Self.check(records)
        let semaphore = DispatchSemaphore(value: 0)
        let outcome = Mutex<Result<AppendResult, LogError>?>(nil)
        submit(Request(records: records, durability: durability, isClose: false) { result in
            outcome.withLock { $0 = result }
            semaphore.signal()
        }, leadOnThisThread: true)
        semaphore.wait()
        return try outcome.withLock { $0! }.get()
    }

    /// Appends `records` as one batch from an async context; see `append(_:durability:)`.
    ///
    /// The task suspends while it waits; when it finds the writer idle, the group is written on
    /// the writer's own serial queue, never on the cooperative thread pool, so that many tasks'
    /// appends accumulate into one group while a write or sync is in progress.
    @discardableResult
    public func append(_ records: [Record], durability: Durability = .synced) async throws(LogError) -> AppendResult {
        try Self.check(records)
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<AppendResult, LogError>, Never>) in
            submit(Request(records: records, durability: durability, isClose: false) { continuation.resume(returning: $0) },
                   leadOnThisThread: false)
        }
        return try result.get()
    }

    /// Makes every batch written so far durable.
    public func sync() throws(LogError) {
        _ = try append([], durability: .synced)
    }

    /// Syncs, writes the active segment's index and releases the directory lock.
    public func close() throws(LogError) {
        let semaphore = DispatchSemaphore(value: 0)
        let outcome = Mutex<Result<AppendResult, LogError>?>(nil)
        submit(Request(records: [], durability: .synced, isClose: true) { result in
            outcome.withLock { $0 = result }
            semaphore.signal()
        }, leadOnThisThread: true)
        semaphore.wait()
        _ = try outcome.withLock { $0! }.get()
    }

    // MARK: - Input limits

    /// Refuses a batch beyond the format's limits before anything is queued or written.
    static func check(_ records: [Record]) throws(LogError) {
        guard records.count <= Int(LogLimits.maxRecordsPerBatch) else {
            throw .invalidBatch(reason: "\(records.count) records; a batch holds at most \(LogLimits.maxRecordsPerBatch)")
        }
        var rawBytes = 0
        for (index, record) in records.enumerated() {
            guard record.payload.count <= LogLimits.maxRecordBytes else {
                throw .recordTooLarge(record: index, bytes: record.payload.count, limit: LogLimits.maxRecordBytes)
            }
            guard record.keys.count <= LogLimits.maxKeysPerRecord else {
                throw .invalidStreamKey(record: index, reason: "\(record.keys.count) keys; at most \(LogLimits.maxKeysPerRecord)")
            }
            guard Set(record.keys).count == record.keys.count else {
                throw .invalidStreamKey(record: index, reason: "a key appears twice")
            }
            for key in record.keys {
                guard !key.isEmpty, key.utf8.count <= LogLimits.maxKeyBytes else {
                    throw .invalidStreamKey(record: index, reason: "key of \(key.utf8.count) bytes; keys have 1 to \(LogLimits.maxKeyBytes) bytes")
                }
                rawBytes += 1 + key.utf8.count
            }
            rawBytes += 13 + record.payload.count
        }
        guard rawBytes <= Int(LogLimits.maxBatchRawBytes) else {
            throw .invalidBatch(reason: "\(rawBytes) bytes of records; a batch holds at most \(LogLimits.maxBatchRawBytes)")
        }
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
            if request.isClose || request.records.isEmpty {
                unit.needsSync = true
                unit.members.append(index)
                continue
            }
            var prepared = prepareBatch(request.records)
            if needsRoll(for: prepared, pendingBytes: unit.bytes.count) {
                // The current segment is finished: write what is pending and sync it first.
                unit.needsSync = true
                flush(&unit, group: group, results: &results)
                if let stopped = state.stopped { results[index] = .failure(stopped); continue }
                // A failed flush rolls the state back: prepare the batch again from there.
                prepared = prepareBatch(request.records)
                if needsRoll(for: prepared, pendingBytes: 0) {
                    do throws(LogError) {
                        try roll(year: ShanghaiTime.year(ofMicroseconds: prepared.header.firstRecordedAt))
                    } catch {
                        results[index] = .failure(error)
                        unit = WriteUnit(start: state.checkpoint())
                        continue
                    }
                    // In the new segment, only its header is durable yet.
                    prepared = prepareBatch(request.records)
                }
                unit = WriteUnit(start: state.checkpoint())
            }
            let writeOffset = (state.active?.size ?? 0) + Int64(unit.bytes.count)
            unit.bytes.append(contentsOf: prepared.bytes)
            if request.durability == .synced { unit.needsSync = true }
            state.nextSequence = prepared.header.nextSequence
            state.lastRecordedAt = prepared.header.lastRecordedAt
            state.lastHash = prepared.hash
            state.active?.index.add(offset: writeOffset, header: prepared.header, keys: request.records.map(\.keys), hash: prepared.hash)
            unit.members.append(index)
            unit.appended[index] = AppendResult(
                sequences: prepared.header.baseSequence..<prepared.header.nextSequence, recordedAt: prepared.times)
        }
        flush(&unit, group: group, results: &results)
        if group.contains(where: \.isClose) { finishClose() }
        return results.map { $0 ?? .failure(.closed) }
    }

    /// Whether `batch` must go into a new segment: there is none, the year turned, or the
    /// active segment (with `pendingBytes` not yet written) would grow past the roll size.
    private func needsRoll(for batch: PreparedBatch, pendingBytes: Int) -> Bool {
        guard let active = state.active else { return true }
        let size = active.size + Int64(pendingBytes)
        return active.name.year != ShanghaiTime.year(ofMicroseconds: batch.header.firstRecordedAt)
            || (size + Int64(batch.bytes.count) > options.segmentBytes && size > Int64(SegmentHeader.size))
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

    /// Syncs the active segment if it has unsynced writes. A failure stops the writer.
    private func syncActive() throws(LogError) {
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

    private struct PreparedBatch {
        let header: BatchHeader
        let bytes: [UInt8]
        let hash: [UInt8]
        let times: [Int64]
    }

    /// Assigns sequence numbers and strictly increasing recorded times, then encodes, compresses
    /// and hashes the batch. A batch that would straddle a year's turn starts at the new year.
    private func prepareBatch(_ records: [Record]) -> PreparedBatch {
        var times: [Int64] = []
        times.reserveCapacity(records.count)
        var time = max(options.clock.now(), state.lastRecordedAt &+ 1)
        for _ in records {
            times.append(time)
            time += 1
        }
        let firstYear = ShanghaiTime.year(ofMicroseconds: times[0])
        if ShanghaiTime.year(ofMicroseconds: times[times.count - 1]) != firstYear {
            let start = ShanghaiTime.startOfYear(firstYear + 1)
            times = (0..<records.count).map { start + Int64($0) }
        }
        let raw = RecordCodec.encode(records, times: times)
        let payload = LZ4Frame.compress(raw)
        let header = BatchHeader(
            baseSequence: state.nextSequence, recordCount: UInt32(records.count),
            payloadLength: UInt32(payload.count), rawLength: UInt32(raw.count),
            payloadChecksum: CRC32C.checksum(payload), firstRecordedAt: times[0],
            lastRecordedAt: times[times.count - 1], previousHash: state.lastHash,
            durableBytes: UInt32(clamping: state.active?.syncedSize ?? Int64(SegmentHeader.size)))
        var bytes = header.encoded()
        bytes.append(contentsOf: payload)
        return PreparedBatch(header: header, bytes: bytes, hash: Array(SHA256.hash(data: bytes)), times: times)
    }

    // MARK: - Segments

    /// Starts a new segment for `year` at the next sequence, then retires the previous one.
    ///
    /// The previous segment is synced first (it may hold deferred writes), and the new one
    /// appears under its name only once its header is complete and durable: it is written under
    /// a temporary name, synced, and renamed.
    private func roll(year: Int) throws(LogError) {
        try syncActive()
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
        retireActiveSegment()
        state.active = ActiveSegment(name: name, file: file, size: Int64(SegmentHeader.size), syncedSize: Int64(SegmentHeader.size),
                                     index: SegmentIndexBuilder(baseSequence: name.baseSequence))
    }

    /// Writes the active segment's index (or removes the segment if it holds no batch) and
    /// closes it. The index is derived data: failing to write it costs a rebuild, not data.
    func retireActiveSegment() {
        guard let active = state.active else { return }
        active.file.close()
        state.active = nil
        if active.size == Int64(SegmentHeader.size) {
            try? options.fileSystem.removeFile(layout.segment(active.name))
            try? options.fileSystem.removeFile(layout.index(active.name))
            return
        }
        IndexFileWriter.write(active.index, for: active.name, layout: layout, fileSystem: options.fileSystem)
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
}

/// Writes index files: to a temporary name, then renamed over the old one.
enum IndexFileWriter {
    static func write(_ builder: SegmentIndexBuilder, for name: SegmentName, layout: LogLayout, fileSystem: any FileSystem) {
        let path = layout.index(name)
        let temporary = path + LogLayout.temporarySuffix
        do throws(LogError) {
            try fileSystem.createDirectory(layout.indexes)
            let file = try fileSystem.openForWriting(temporary, create: true)
            defer { file.close() }
            try file.truncate(to: 0)
            try file.write(builder.encoded(), at: 0)
            try fileSystem.rename(temporary, to: path)
        } catch {
            try? fileSystem.removeFile(temporary)
        }
    }
}
