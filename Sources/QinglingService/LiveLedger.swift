import Crypto
import Foundation
import QinglingArchive
import QinglingEvents
import QinglingEvidence
import QinglingLog
import QinglingProjections
import QinglingReports
import QinglingWorkflow

/// What one request's events came to: the sequences written (its new events are contiguous),
/// and how many were retries of events already in the log.
struct RequestAppended: Sendable, Equatable {
    var written: [UInt64]
    var retries: Int

    init(_ outcomes: some Sequence<EventStore.AppendReport.Outcome>) {
        written = []
        retries = 0
        for outcome in outcomes {
            switch outcome {
            case .written(let sequence): written.append(sequence)
            case .duplicate: retries += 1
            case .valid: break
            }
        }
    }
}

/// The log as the service holds it: the one writer, and every projection kept current in
/// memory (each append is folded in as it is acknowledged). Appends run one at a time.
actor LiveLedger {
    private let store: EventStore
    /// Seals reporters' identities on append and opens them for a reveal; `nil` when the
    /// service was started without a key store.
    nonisolated let vault: ReporterVault?
    private var projections: ProjectionState
    /// The projections' checkpoint file, saved now and then (`CheckpointSaver`) and at `close`.
    nonisolated let checkpoint: CheckpointFile
    /// The clock the log records times by: what a web form takes as the time its step happened.
    nonisolated let clock: any LogClock
    /// Why the writer stopped taking appends, once it has (it stays stopped until the service
    /// restarts and the log is opened again: fail-stop).
    private(set) var stopped: StoreError?
    /// The open event streams (`EventStream`), told the log's length after every append.
    private var watchers: [Int: AsyncStream<EventStream.Signal>.Continuation] = [:]
    private var nextWatcher = 0
    /// The ledger's facts the projections do not keep (`HazardDirectory`): of the events
    /// appended since the service started until `directoryRead` is merged in, then of all.
    private var directory = HazardDirectory()
    /// The read of the log's events before the service started, in the background, until merged.
    private var directoryRead: Task<Result<HazardDirectory, StoreError>, Never>?
    private let directoryEnd: UInt64
    private let logDirectory: String
    /// The log's blob store of evidence files (`QinglingEvidence`): the one the store's appends check.
    nonisolated let blobs: BlobStore

    /// Opens the log in `directory` for appending and brings its projections up to date from
    /// the checkpoint beside it.
    /// `signingKey` (the archive job's, checked against the log's public key) signs `head`.
    init(directory: String, reference: ReferenceData, options: LogOptions = LogOptions(),
         signingKey: Curve25519.Signing.PrivateKey? = nil, vault: ReporterVault? = nil) throws(ProjectionError) {
        self.signingKey = signingKey
        self.vault = vault
        clock = options.clock
        do throws(StoreError) {
            store = try EventStore(appendingTo: directory, reference: reference, options: options)
            // Appends come at once: after a crash, the first ones' look-ups would otherwise scan
            // the whole last segment, its index not yet written again.
            try store.indexLastSegment()
        } catch {
            throw .store(error)
        }
        blobs = BlobStore(logDirectory: directory, fileSystem: options.fileSystem)
        store.attachments = blobs
        store.vault = vault
        let loaded: ProjectionStore.LoadReport
        (projections, loaded) = try ProjectionStore.load(store)
        checkpoint = CheckpointFile(path: ProjectionStore.checkpointPath(forLog: directory),
                                    covered: loaded.saved ? projections.nextSequence : loaded.checkpointCovered ?? 0)
        logDirectory = directory
        directoryEnd = projections.nextSequence
        directoryRead = Self.readDirectory(directory, upTo: directoryEnd)
    }

    /// Reads the hazard directory of the events before `end` of the log in `directory`, on a
    /// thread of its own.
    private static func readDirectory(_ directory: String, upTo end: UInt64) -> Task<Result<HazardDirectory, StoreError>, Never> {
        Task.detached(priority: .utility) {
            Result { () throws(StoreError) in try HazardDirectory.read(logDirectory: directory, 0..<end) }
        }
    }

    /// Checks and appends `inputs` all or nothing, then folds what was written into the
    /// projections.
    /// (A `Result`, not typed throws: the compiler mishandles typed errors across actors.)
    /// `hidden` are the hazards the caller may not see (`EventStore.append(_:hiding:)`).
    func append(_ inputs: [EventStore.Input], hiding hidden: Set<String> = []) -> Result<EventStore.AppendReport, StoreError> {
        do throws(StoreError) {
            let report = try store.append(inputs, hiding: hidden)
            // Folded from the bytes just written, not read back from the log.
            for record in report.records {
                let folded = record.payload.withUnsafeBytes { payload in
                    Result { () throws(EventDecodingError) in
                        try projections.fold(payload, sequence: record.sequence, recordedAt: record.recordedAt)
                        try directory.fold(payload)
                    }
                }
                if case .failure(let error) = folded { throw .undecodable(sequence: record.sequence, error) }
            }
            if let last = report.records.last { projections.coverLastEvent(hash: Ledger.digest(ofStoredBytes: last.payload)) }
            for watcher in watchers.values { watcher.yield(.logLength(projections.nextSequence)) }
            return .success(report)
        } catch {
            // A refusal, or a key store that could not take new keys, wrote nothing to the log:
            // the writer goes on. Anything else stops it (fail-stop).
            switch error {
            case .refused, .keyStore: break
            default: stopped = error
            }
            return .failure(error)
        }
    }

    /// Appends the events of several requests as one append (one `fdatasync` for all): each
    /// request all or nothing, with the outcome it would have had appended after the requests
    /// before it. When the whole is refused, each request is appended on its own, so that one
    /// request's refusal never costs another its append. `hidden` applies to every request.
    func append(requests: [[EventStore.Input]], hiding hidden: Set<String>) -> [Result<RequestAppended, StoreError>] {
        guard requests.count > 1 else { return requests.map { request in append(request, hiding: hidden).map { RequestAppended($0.outcomes) } } }
        switch append(requests.flatMap { $0 }, hiding: hidden) {
        case .success(let whole):
            var start = 0
            return requests.map { request in
                defer { start += request.count }
                return .success(RequestAppended(whole.outcomes[start..<start + request.count]))
            }
        case .failure(.refused):
            return requests.map { request in append(request, hiding: hidden).map { RequestAppended($0.outcomes) } }
        case .failure(let error):
            return requests.map { _ in .failure(error) }
        }
    }

    /// The states of the hazards `ids` that exist, as the rules see them.
    func records(_ ids: Set<String>) -> Result<[HazardRecord], StoreError> {
        do throws(StoreError) {
            var records: [HazardRecord] = []
            for id in ids.sorted() { if let record = try store.hazard(id) { records.append(record) } }
            return .success(records)
        } catch {
            return .failure(error)
        }
    }

    /// The state of hazard `id` as the rules see it (`nil` if it was never reported) and every
    /// event that names it, in log order.
    func hazard(_ id: String) -> Result<(HazardRecord, [StoredEvent])?, StoreError> {
        do throws(StoreError) {
            guard let record = try store.hazard(id) else { return .success(nil) }
            return .success((record, try store.history(ofHazard: id)))
        } catch {
            return .failure(error)
        }
    }

    /// Every event that names tip-off `id`, in log order: its receipt, the hazards reported
    /// with it, the penalties and rewards naming it. Empty for a tip-off no event names.
    func tipOff(_ id: String) -> Result<[StoredEvent], StoreError> {
        do throws(StoreError) {
            return .success(try store.events(forKey: StreamKeys.tipOff(id)).filter { $0.event.body.tipOffId == id })
        } catch {
            return .failure(error)
        }
    }

    /// Every event that names the evidence file `sha256`, in log order (found through the
    /// log's index by the attachment's stream key).
    func attachmentEvents(_ sha256: String) -> Result<[StoredEvent], StoreError> {
        do throws(StoreError) {
            return .success(try store.events(forKey: StreamKeys.attachment(sha256)).filter { stored in
                stored.event.body.attachments.contains { $0.sha256 == sha256 }
            })
        } catch {
            return .failure(error)
        }
    }

    /// Why the head could not be given.
    enum HeadFailure: Error {
        case log(StoreError)
        case signing(ArchiveError)
    }

    /// The key `head` signs with, if any.
    private let signingKey: Curve25519.Signing.PrivateKey?
    /// The last signed head, reused while the log has not grown.
    private var lastSigned: SignedHead?

    /// The log's head (size, last record, hash chain head) and, when the ledger has a signing
    /// key, the head signed with the Merkle root over every record (`SignedHead`), both of the
    /// same moment.
    func head() -> Result<(LogHead, SignedHead?), HeadFailure> {
        let head: LogHead
        do throws(LogError) { head = try store.reader.head() } catch { return .failure(.log(.log(error))) }
        guard let key = signingKey else { return .success((head, nil)) }
        if let lastSigned, lastSigned.statement.size == head.size { return .success((head, lastSigned)) }
        do throws(ArchiveError) {
            let signed = try SignedHead.sign(directory: store.reader.layout.directory, key: key,
                                             signedAt: Int64(Date().timeIntervalSince1970 * 1_000_000))
            lastSigned = signed
            return .success((head, signed))
        } catch {
            return .failure(.signing(error))
        }
    }

    /// Up to `limit` events from sequence `after + 1` on (from 0 when `after` is nil), with
    /// their sequence, recorded time and hash.
    func events(after: UInt64?, limit: Int) -> Result<[StoredEvent], StoreError> {
        var events: [StoredEvent] = []
        let start = after.map { $0 + 1 } ?? 0
        guard start < projections.nextSequence else { return .success([]) }
        let end = min(projections.nextSequence, start + UInt64(limit))
        do throws(StoreError) {
            for sequence in start..<end { events.append(try store.event(at: sequence)) }
            return .success(events)
        } catch {
            return .failure(error)
        }
    }

    /// Tells `continuation` the log's length now and after every append; `nil` when
    /// `ServiceLimits.eventStreams` streams are open already. The number given ends it (`unwatch`).
    func watch(_ continuation: AsyncStream<EventStream.Signal>.Continuation) -> Int? {
        guard watchers.count < ServiceLimits.eventStreams else { return nil }
        nextWatcher += 1
        watchers[nextWatcher] = continuation
        continuation.yield(.logLength(projections.nextSequence))
        return nextWatcher
    }

    /// Stops telling a stream (`watch`).
    func unwatch(_ watcher: Int) {
        watchers.removeValue(forKey: watcher)?.finish()
    }

    /// Runs `body` on the projections and the log as they stand now; with `refoldAt`, on the
    /// projections of the events recorded by then, folded afresh (`ProjectionStore.state(of:knownAt:)`:
    /// for the figures that are not all hazards' steps: ranking, penalties, rewards).
    func query<T: Sendable>(refoldAt knownAt: Int64? = nil, _ body: @Sendable (ProjectionState, EventStore) -> T) -> Result<T, ProjectionError> {
        guard let knownAt else { return .success(body(projections, store)) }
        do throws(ProjectionError) {
            return .success(body(try ProjectionStore.state(of: store, knownAt: knownAt), store))
        } catch {
            return .failure(error)
        }
    }

    /// `query`, with the number of events in the log the answer was computed from.
    func countedQuery<T: Sendable>(refoldAt knownAt: Int64? = nil, _ body: @Sendable (ProjectionState, EventStore) -> T) -> Result<(T, logLength: UInt64), ProjectionError> {
        query(refoldAt: knownAt, body).map { ($0, projections.nextSequence) }
    }

    /// Runs `body` on the projections as they stand now and the hazard directory of the same
    /// events. The first call waits for the directory's read of the log as it stood at start
    /// (appends go on meanwhile); a read that failed is tried again at the next call.
    func ledgerQuery<T: Sendable>(_ body: @Sendable (ProjectionState, EventStore, HazardDirectory) -> T) async -> Result<T, StoreError> {
        if let read = directoryRead {
            let before = await read.value
            // Another call may have merged it while this one waited.
            if directoryRead != nil {
                switch before {
                case .success(var whole):
                    whole.merge(directory)
                    directory = whole
                    directoryRead = nil
                case .failure(let error):
                    directoryRead = Self.readDirectory(logDirectory, upTo: directoryEnd)
                    return .failure(error)
                }
            }
        }
        return .success(body(projections, store, directory))
    }

    /// The ids of the tip-offs received, in order: what a department's or the committee's report
    /// or penalty may name.
    func receivedTipOffs() -> [String] {
        projections.tipOffs.values.filter { $0.receivedOn != nil }.map(\.id).sorted()
    }

    /// The number of events in the log.
    var eventCount: UInt64 { projections.nextSequence }

    /// The projections as they stand, when they cover events the checkpoint file does not: a
    /// copy to save while appends go on (the first append after it copies what it changes).
    func projectionsToSave() -> ProjectionState? {
        checkpoint.isBehind(projections) ? projections : nil
    }

    /// Syncs and closes the writer after saving the checkpoint; returns why the checkpoint
    /// could not be saved, if it could not (the log is closed all the same).
    func close() throws(StoreError) -> String? {
        for watcher in watchers.values { watcher.finish() }
        watchers = [:]
        let failure = checkpoint.save(projections)
        try store.close()
        return failure
    }
}
