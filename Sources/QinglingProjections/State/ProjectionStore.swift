import Foundation
import QinglingEvents
import QinglingLog
import QinglingWorkflow

/// Keeps the projection state of a log up to date: loads the checkpoint saved beside the log,
/// checks it against the log, folds in only the newer events, and saves a new checkpoint.
public enum ProjectionStore {
    /// `DIR/projections/state.qlproj`: the checkpoint of the log in `DIR`.
    public static func checkpointPath(forLog directory: String) -> String {
        LogLayout(directory: directory).directory + "/projections/state.qlproj"
    }

    /// What loading did.
    public struct LoadReport: Sendable, Equatable {
        /// The sequence the checkpoint covered, when one was used.
        public var checkpointCovered: UInt64?
        /// Why a checkpoint present was not used (it is rebuilt).
        public var discarded: CheckpointError?
        /// Events folded in by this run.
        public var applied: Int = 0
        /// Whether a new checkpoint was saved.
        public var saved = false
        /// Why the new checkpoint could not be saved (the results are still right).
        public var saveFailure: String?
    }

    /// The projection state of the log read by `store`, brought up to its last event.
    ///
    /// A checkpoint that covers more events than the log holds is an error
    /// (`CheckpointError.coversMoreThanTheLog`), also for a rebuild that would replace it; any
    /// other checkpoint that cannot be used costs a rebuild (`LoadReport.discarded`).
    ///
    /// - Parameters:
    ///   - parts: what the state must hold besides the hazards' timelines (a query's `needs`):
    ///     only the sections that hold them are read and checked, with the hazards' ids when
    ///     newer events are to be folded in (`ProjectionParts.foldable`); a state that will be
    ///     saved is read whole (`partsToRead`).
    ///   - rebuild: ignore any checkpoint and fold the whole log.
    ///   - save: write the new checkpoint when there was none to use (missing, discarded,
    ///     or `rebuild`) and the state holds anything, or when at least `refreshAfter` events
    ///     (default `EngineTuning.checkpointRefreshEvents`) were folded after the checkpoint
    ///     loaded: fewer are folded again next time, faster than saving.
    ///   - progress: called now and then with (events folded, events to fold).
    public static func load(_ store: EventStore, parts: ProjectionParts = .all, rebuild: Bool = false, save: Bool = true,
                            refreshAfter: Int? = nil,
                            progress: ((UInt64, UInt64) -> Void)? = nil) throws(ProjectionError) -> (ProjectionState, LoadReport) {
        let directory = store.reader.layout.directory
        let path = checkpointPath(forLog: directory)
        var report = LoadReport()
        let end = try logEnd(store)
        var state = ProjectionState()
        let present = FileManager.default.fileExists(atPath: path)
        // The events after the checkpoint that make the command save a new one.
        let refreshAt = refreshAfter ?? EngineTuning.checkpointRefreshEvents
        let savedAfter = save ? refreshAt : nil
        if present, !rebuild {
            switch checkedCheckpoint(at: path, store: store, logEnd: end, parts: { behind in partsToRead(parts, behind: behind, savedAfter: savedAfter) }) {
            case .success(let saved):
                state = saved
                report.checkpointCovered = saved.nextSequence
            case .failure(let error):
                if case .coversMoreThanTheLog = error { throw .checkpoint(error) }
                report.discarded = error
            }
        } else if present, save {
            // Not read, but about to be replaced: not if it is the evidence of removed events.
            if case .failure(let error) = coveredEvents(at: path, logEnd: end), case .coversMoreThanTheLog = error { throw .checkpoint(error) }
        }
        let start = state.nextSequence
        // Room for what a rebuild will fold, within reason: `end` is read from the log's files.
        if start == 0 { state.reserveCapacity(forEvents: min(Int(clamping: end), EngineTuning.maxReservedEvents)) }
        var reported = 0
        // A state read without the hazards' ids covered the whole log when it was checked: it
        // answers as of then, even if events were appended since.
        if state.parts.isSuperset(of: .foldable) {
            report.applied = try bringUpToDate(&state, store: store) { folded in
                if folded - reported >= EngineTuning.progressInterval {
                    reported = folded
                    progress?(UInt64(folded), end - start)
                }
            }
        }
        let refresh = report.checkpointCovered == nil ? report.applied > 0 : report.applied >= refreshAt
        // A state read in part is never saved (it was read so because it would not be).
        if save, state.parts == .all, refresh || report.discarded != nil || (rebuild && present) {
            report.saveFailure = write(state, to: path)
            report.saved = report.saveFailure == nil
        }
        return (state, report)
    }

    /// The projection state of the events of `store`'s log recorded by `knownAt` (µs since the
    /// Unix epoch): what the ledger held then, every projection included (penalties, tip-offs,
    /// the party index), not only the hazards' steps a `Knowledge` filters. Recorded times
    /// increase strictly with the sequence, so those events are a prefix of the log, found by
    /// a binary search on recorded times and folded afresh on this thread: the checkpoint is
    /// neither used nor written.
    public static func state(of store: EventStore, knownAt: Int64) throws(ProjectionError) -> ProjectionState {
        let end = try prefixEnd(of: store, knownAt: knownAt)
        var state = ProjectionState()
        state.reserveCapacity(forEvents: min(Int(clamping: end), EngineTuning.maxReservedEvents))
        var failure: StoreError?
        do throws(LogError) {
            try store.reader.forEachPayload(in: 0..<end) { sequence, recordedAt, payload throws(LogError) in
                do throws(EventDecodingError) {
                    try state.fold(payload, sequence: sequence, recordedAt: recordedAt)
                } catch {
                    failure = .undecodable(sequence: sequence, error)
                    throw .closed
                }
            }
        } catch {
            throw .store(failure ?? .log(error))
        }
        return state
    }

    /// The first sequence of `store`'s log recorded after `knownAt` (the log's end when none is).
    static func prefixEnd(of store: EventStore, knownAt: Int64) throws(ProjectionError) -> UInt64 {
        var low: UInt64 = 0, high = try logEnd(store)
        while low < high {
            let middle = low + (high - low) / 2
            let recordedAt: Int64
            do throws(LogError) { recordedAt = try store.reader.record(at: middle).recordedAt } catch { throw .store(.log(error)) }
            if recordedAt <= knownAt { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The number of events in the log read by `store`.
    static func logEnd(_ store: EventStore) throws(ProjectionError) -> UInt64 {
        do throws(LogError) { return try store.reader.nextSequence() } catch { throw .store(.log(error)) }
    }

    /// Folds the events of the log after those `state` covers into it; returns how many.
    /// `progress` is called with the count folded so far.
    public static func bringUpToDate(_ state: inout ProjectionState, store: EventStore, progress: (Int) -> Void = { _ in }) throws(ProjectionError) -> Int {
        var applied = 0
        let lastBytes: [UInt8]?
        do throws(StoreError) {
            lastBytes = try state.foldLog(of: store) { folded in
                applied = folded
                progress(folded)
            }
        } catch { throw .store(error) }
        // The fold leaves events unhashed; only the last one's hash is kept (checkpoint check).
        if let lastBytes { state.coverLastEvent(hash: Ledger.digest(ofStoredBytes: lastBytes)) }
        return applied
    }

    /// The parts of a checkpoint `behind` events behind the log to read for a command that
    /// needs `parts` and saves a new checkpoint after `savedAfter` events (`nil`: never):
    /// `parts` when it is current; with the hazards' ids when the newer events are only to be
    /// folded in, for this answer (a few thousand events, folded again next time in
    /// milliseconds); every part when the state will be saved.
    static func partsToRead(_ parts: ProjectionParts, behind: UInt64, savedAfter: Int?) -> ProjectionParts {
        guard behind > 0 else { return parts }
        if let savedAfter, behind >= UInt64(clamping: savedAfter) { return .all }
        return parts.union(.foldable)
    }

    /// The clearance figures of every calendar period the checkpoint beside the log read by
    /// `store` keeps (`CalendarFigures`), when the checkpoint reads back intact, is this log's
    /// and covers all of it: what a warm `stats` answers from without reading the timelines.
    /// `nil` otherwise: the caller loads the state (`load`), which says what was wrong. Throws
    /// only the damage of the figures' own section, which loading the state does not read.
    public static func keptClearanceFigures(_ store: EventStore) throws(CheckpointError) -> KeptClearanceFigures? {
        let path = checkpointPath(forLog: store.reader.layout.directory)
        guard FileManager.default.fileExists(atPath: path), let end = try? logEnd(store) else { return nil }
        let kept = withCheckpoint(at: path) { layout, input -> Result<KeptClearanceFigures?, CheckpointError> in
            guard layout.summary.nextSequence == end, mismatch(layout.summary, path: path, store: store) == nil else { return .success(nil) }
            do throws(CheckpointDamage) {
                return .success(try layout.keptFigures(read: input.read, mapped: input.mapped))
            } catch {
                return .failure(.damaged(path: path, error))
            }
        }
        switch kept {
        case .success(let figures): return figures
        case .failure(.damaged(let path, let damage)): throw .damaged(path: path, damage)
        case .failure: return nil  // unreadable, or its preamble or summary damaged: loading says so
        }
    }

    /// Why the checkpoint at `path` with `summary` is not of the log read by `store`: the event
    /// at the last sequence it covers is not the one it names. `nil` when it is.
    private static func mismatch(_ summary: CheckpointSummary, path: String, store: EventStore) -> CheckpointError? {
        guard summary.nextSequence > 0 else { return nil }
        do throws(LogError) {
            let last = try store.reader.record(at: summary.nextSequence - 1)
            guard Ledger.digest(ofStoredBytes: last.payload) == summary.lastEventHash, last.recordedAt == summary.lastRecordedAt else {
                return .notOfThisLog(path: path, sequence: summary.nextSequence - 1)
            }
            return nil
        } catch {
            return .uncheckable(path: path, error)
        }
    }

    /// The checkpoint at `path`, if it reads back intact, covers no more than the log's `logEnd`
    /// events and matches the log's event at the last sequence it covers, holding the parts
    /// `parts` gives for the number of events it is behind the log.
    static func checkedCheckpoint(at path: String, store: EventStore, logEnd: UInt64,
                                  parts: (_ behind: UInt64) -> ProjectionParts) -> Result<ProjectionState, CheckpointError> {
        withCheckpoint(at: path) { layout, input in
            let summary = layout.summary
            if let ahead = ahead(path: path, covered: summary.nextSequence, logEnd: logEnd) { return .failure(ahead) }
            if let mismatch = mismatch(summary, path: path, store: store) { return .failure(mismatch) }
            do throws(CheckpointDamage) {
                return .success(try layout.state(parts: parts(logEnd - summary.nextSequence), read: input.read, mapped: input.mapped))
            } catch {
                return .failure(.damaged(path: path, error))
            }
        }
    }

    /// How many events the checkpoint at `path` covers, if it is intact and covers no more than
    /// the log's `logEnd` events (only its preamble and summary are read).
    private static func coveredEvents(at path: String, logEnd: UInt64) -> Result<UInt64, CheckpointError> {
        withCheckpoint(at: path) { layout, _ in
            ahead(path: path, covered: layout.summary.nextSequence, logEnd: logEnd).map { .failure($0) } ?? .success(layout.summary.nextSequence)
        }
    }

    /// `body` of the layout of the checkpoint at `path` and the file, open (`CheckpointInput`).
    private static func withCheckpoint<T>(at path: String,
                                          _ body: (CheckpointLayout, CheckpointInput) -> Result<T, CheckpointError>) -> Result<T, CheckpointError> {
        guard let input = CheckpointInput(path: path) else { return .failure(.unreadable(path: path)) }
        do throws(CheckpointDamage) {
            return body(try CheckpointLayout(size: input.size, read: input.read), input)
        } catch {
            return .failure(.damaged(path: path, error))
        }
    }

    private static func ahead(path: String, covered: UInt64, logEnd: UInt64) -> CheckpointError? {
        covered > logEnd ? .coversMoreThanTheLog(path: path, checkpointEvents: covered, logEvents: logEnd) : nil
    }

    /// Writes `state` as a checkpoint: a temporary file renamed into place, so a reader never
    /// sees half a checkpoint. Returns why it failed, if it did.
    public static func write(_ state: ProjectionState, to path: String) -> String? {
        let files = PosixFileSystem()
        // A name of this write's own: two analysts' commands may save at the same moment, and
        // processes in two containers sharing the log may have the same number.
        let temporary = path + ".tmp-\(getpid())-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        do throws(LogError) {
            try files.createDirectory((path as NSString).deletingLastPathComponent)
            removeAbandonedTemporaries(of: path)
            try MappedFileWriter.write(ProjectionCheckpoint.pieces(of: state), toNewFile: temporary)
            // Read-only: a checkpoint is replaced, never changed in place, and one no one may
            // write is read through a mapping (`CheckpointInput`).
            guard chmod(temporary, 0o444) == 0 else { throw .io(operation: "chmod", path: temporary, errno: errno) }
            try files.rename(temporary, to: path)
            return nil
        } catch {
            try? files.removeFile(temporary)
            return "cannot save the projection checkpoint \(path): \(error)"
        }
    }

    /// How long a temporary checkpoint file goes unchanged before a save takes it for one a
    /// process killed while saving left behind (a save writes its file within seconds).
    private static let abandonedAfterSeconds: TimeInterval = 600

    /// Removes the temporary files of saves of the checkpoint at `path` unchanged for
    /// `abandonedAfterSeconds`: each is named apart (`write`), so none is ever written again,
    /// and at 16 million events each is hundreds of megabytes. Only regular files of the names
    /// `write` gives (`.tmp-` and digits, then `-` and hex digits, or nothing more: an older
    /// release's) are removed, never what a link points to. Best effort: what cannot be
    /// removed stays.
    private static func removeAbandonedTemporaries(of path: String) {
        let directory = (path as NSString).deletingLastPathComponent, prefix = (path as NSString).lastPathComponent + ".tmp-"
        let files = FileManager.default
        for name in (try? files.contentsOfDirectory(atPath: directory)) ?? [] where name.hasPrefix(prefix) {
            let parts = name.dropFirst(prefix.count).split(separator: "-", omittingEmptySubsequences: false)
            func digits(_ part: Substring, hex: Bool) -> Bool { !part.isEmpty && part.allSatisfy { $0.isASCII && (hex ? $0.isHexDigit : $0.isNumber) } }
            guard (1...2).contains(parts.count), digits(parts[0], hex: false), parts.dropFirst().allSatisfy({ digits($0, hex: true) }) else { continue }
            let candidate = directory + "/" + name
            // Not followed: the attributes of a link are the link's own.
            guard let attributes = try? files.attributesOfItem(atPath: candidate), attributes[.type] as? FileAttributeType == .typeRegular,
                  let changed = attributes[.modificationDate] as? Date, Date().timeIntervalSince(changed) > abandonedAfterSeconds else { continue }
            _ = unlink(candidate)
        }
    }
}
