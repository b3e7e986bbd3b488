/// Reads a log: in sequence order, by stream key, or one record by sequence number.
///
/// A reader takes no lock and may run in any process while the writer appends. It sees only
/// complete batches of committed appends whose checksums are valid. At the very end of the last
/// segment, a torn tail (a write in progress, or one the writer will cut before it next writes:
/// `docs/format.md` §7.2) ends what it sees; any other damage, and any segment visibly missing,
/// is reported as corruption, never returned as data or passed over.
public final class LogReader {
    public let layout: LogLayout
    public let metadata: LogMetadata
    /// The file system the log is read through.
    public let fileSystem: any FileSystem
    private var indexCache: [SegmentName: (size: Int64, fileBytes: Int64?, index: SegmentIndex)] = [:]
    /// The records of the batches look-ups by key read last, newest last: look-ups of records
    /// written together (an append's retry looks up each of its event ids and hazards) decode
    /// each batch once.
    private var fetchedBatches: [(path: String, records: CheckedRecords)] = []
    private static let fetchedBatchesKept = 4
    /// The folders' listings at the last check of the segments, and the segments it gave.
    private var lastCheckedSegments: (listing: [[String]], names: [SegmentName])?

    /// Opens the log in `directory` for reading.
    public init(directory: String, fileSystem: any FileSystem = PosixFileSystem()) throws(LogError) {
        self.layout = LogLayout(directory: directory)
        self.fileSystem = fileSystem
        self.metadata = try LogMetadata.read(directory: layout.directory, fileSystem: fileSystem)
    }

    /// The segments present now, in sequence order, checked for missing ones
    /// (`LogLayout.checkedSegments`).
    public func segments() throws(LogError) -> [SegmentName] {
        // What the check reads changes only with these folders' listings (a sealed year's own
        // folder appears whole, by one rename, and never changes): a repeated look-up reuses it.
        let listing = try [layout.segments, layout.indexes, layout.archive].map { folder throws(LogError) in
            fileSystem.fileExists(folder) ? try fileSystem.contentsOfDirectory(folder) : []
        }
        if let checked = lastCheckedSegments, checked.listing == listing { return checked.names }
        let names = try layout.checkedSegments(fileSystem)
        lastCheckedSegments = (listing, names)
        return names
    }

    /// Calls `body` with every record from `sequence` on, in order.
    public func forEach(from sequence: UInt64 = 0, _ body: (LogRecord) throws(LogError) -> Void) throws(LogError) {
        try forEachBatch(from: sequence) { batch, path, wanted throws(LogError) in
            for record in try batch.records(path: path) where record.sequence >= wanted {
                try body(record)
            }
        }
    }

    /// Calls `body` with the sequence, recorded time and payload of every record from
    /// `sequence` on, in order, without copying payloads or decoding stream keys: the fast path
    /// for replaying a whole log. Each payload is read in place in its decompressed batch, and
    /// valid only during its call (the next batch is decompressed into the same memory). A batch
    /// whose records do not decode is reported before any of its records is visited.
    public func forEachPayload(from sequence: UInt64 = 0, _ body: (UInt64, Int64, UnsafeRawBufferPointer) throws(LogError) -> Void) throws(LogError) {
        var recycler = BatchRecycler()
        try forEachPayload(from: sequence, recycling: &recycler) { recordSequence, time, payload, _ throws(LogError) in
            try body(recordSequence, time, payload)
        }
    }

    /// Calls `body` with the sequence, recorded time and payload of every record from
    /// `sequence` on, in order, and the decompressed batch the payload lies in, as
    /// `forEachPayload(from:_:)` does; but each batch is decompressed into one of `recycler`'s
    /// that no one else holds. A caller that keeps the batch keeps its payloads' bytes, where
    /// they are and unchanged, for as long as it holds it, and lets it be reused by letting it go.
    public func forEachPayload(from sequence: UInt64 = 0, recycling recycler: inout BatchRecycler,
                               _ body: (UInt64, Int64, UnsafeRawBufferPointer, DecompressedBatch) throws(LogError) -> Void) throws(LogError) {
        try forEachBatch(from: sequence) { batch, path, wanted throws(LogError) in
            let decompressed = recycler.take()
            try batch.forEachPayload(path: path, into: decompressed) { recordSequence, time, payload throws(LogError) in
                if recordSequence >= wanted { try body(recordSequence, time, payload, decompressed) }
            }
        }
    }

    /// Calls `body` with every record in `range`, in order, reading no batch after it.
    public func forEach(in range: Range<UInt64>, _ body: (LogRecord) throws(LogError) -> Void) throws(LogError) {
        guard !range.isEmpty else { return }
        try forEachBatch(from: range.lowerBound, stopAfter: range.upperBound - 1) { batch, path, wanted throws(LogError) in
            for record in try batch.records(path: path) where range.contains(record.sequence) && record.sequence >= wanted {
                try body(record)
            }
        }
    }

    /// Every record from `sequence` on, in order (for small logs and tests; prefer `forEach`).
    public func readAll(from sequence: UInt64 = 0) throws(LogError) -> [LogRecord] {
        var records: [LogRecord] = []
        try forEach(from: sequence) { records.append($0) }
        return records
    }

    /// The record with sequence number `sequence`.
    public func record(at sequence: UInt64) throws(LogError) -> LogRecord {
        var found: LogRecord?
        try forEachBatch(from: sequence, stopAfter: sequence) { batch, path, _ throws(LogError) in
            if batch.header.baseSequence <= sequence && sequence < batch.header.nextSequence {
                found = try batch.records(path: path)[Int(sequence - batch.header.baseSequence)]
            }
        }
        guard let found else { throw .sequenceOutOfRange(sequence: sequence, next: try nextSequence()) }
        return found
    }

    /// The sequence number after the last complete record (0 for an empty log).
    public func nextSequence() throws(LogError) -> UInt64 {
        try end().nextSequence
    }

    /// The recorded time of the log's last record (`nil` for an empty log): where a log on the
    /// simulated clock stands. Read from batch headers, without decoding records.
    public func lastRecordedAt() throws(LogError) -> Int64? {
        try end().lastRecordedAt
    }

    /// Every record that carries stream key `key`, in sequence order, found through the
    /// segments' indexes (the part of the last segment its index does not cover is scanned).
    /// A segment gone when it is opened (a year sealed meanwhile) makes it start again.
    public func records(forKey key: String) throws(LogError) -> [LogRecord] {
        try records(forKeys: [key])[key] ?? []
    }

    /// The records that carry each of `keys`, by key, each key's in sequence order, as
    /// `records(forKey:)` finds them, but with each batch read and decoded once for all the
    /// keys: an append of thousands of events looks up each one's event id and hazards, and
    /// one key at a time, each look-up decodes again the batches the others decoded. A key no
    /// record carries is not in the answer. With `before`, only records before that sequence
    /// are looked for, and no batch from it on is read: a writer that remembers what it
    /// appended itself needs nothing newer, and the part of the last segment its index does not
    /// cover is then read no further.
    public func records(forKeys keys: Set<String>, before bound: UInt64 = .max) throws(LogError) -> [String: [LogRecord]] {
        var relisted = 0
        while true {
            do throws(LogError) {
                return try recordsOnce(forKeys: keys, before: bound)
            } catch {
                guard case .io(_, _, errno: 2) = error, relisted < 8 else { throw error }
                relisted += 1
            }
        }
    }

    private func recordsOnce(forKeys keys: Set<String>, before bound: UInt64) throws(LogError) -> [String: [LogRecord]] {
        guard !keys.isEmpty else { return [:] }
        let wanted = Array(keys)
        let keyHashes = wanted.map(StreamKeyHash.hash)
        var found = RecordsByKey(keys: keys)
        let names = try segments()
        let tail = try layout.tailPosition(of: names, fileSystem: fileSystem)
        var expected: UInt64 = 0
        for (position, name) in names.enumerated() {
            let path = layout.segment(name)
            guard name.baseSequence == expected else {
                throw .corrupt(path: path, offset: 0, reason: "segment starts at sequence \(name.baseSequence); the previous one ends before \(expected): the segments between are missing")
            }
            guard name.baseSequence < bound else { break }
            let (file, size, opened) = try openSegment(name)
            defer { file.close() }
            var scanner = opened
            if let index = try validIndex(name, file: file, size: size, isLast: position >= tail) {
                do throws(LogError) {
                    // Each candidate goes to the keys whose hash listed it, as a look-up of
                    // each key alone would give it.
                    var listedFor: [UInt64: [String]] = [:]
                    let candidates = try index.sequences(forKeyHashes: keyHashes, path: layout.index(name), fileSystem: fileSystem)
                    for (key, sequences) in zip(wanted, candidates) {
                        for sequence in sequences where sequence < bound { listedFor[sequence, default: []].append(key) }
                    }
                    try fetch(listedFor.keys.sorted(), in: name, index: index, file: file) { record in
                        found.add(record, listedFor: listedFor[record.sequence] ?? [])
                    }
                    scanner = SegmentScanner(file: file, path: path, name: name, fileSize: size, offset: index.coveredBytes,
                                             nextSequence: index.nextSequence, lastRecordedAt: index.lastRecordedAt)
                } catch {
                    // A damaged index block: forget the index and scan the segment instead.
                    guard case let .corrupt(damagedPath, _, _) = error, damagedPath == layout.index(name) else { throw error }
                    indexCache[name] = nil
                    found.removeAll(from: name.baseSequence)
                }
            }
            // (Appends end where a batch ends: a batch holds records on one side of `bound` only.)
            guard scanner.nextSequence < bound else { break }
            var reachedBound = false
            try scan(&scanner, isLast: position >= tail) { batch throws(LogError) in
                reachedBound = batch.header.baseSequence >= bound
                guard !reachedBound else { return false }
                let records = try batch.checkedRecords(path: path)
                for sequence in records.sequences { found.add(sequence, of: records) }
                return true
            }
            if reachedBound { break }
            expected = scanner.nextSequence
        }
        return found.records
    }

    // MARK: - Internals

    /// Where the log ends, read from each segment's index and the batches after what it covers
    /// (their headers and checksums only): every segment must end where the next one starts, so
    /// that a segment removed from the middle is corruption, never a log that only looks whole
    /// from its end (a projections checkpoint is checked against that end).
    private func end() throws(LogError) -> (nextSequence: UInt64, lastRecordedAt: Int64?) {
        let names = try segments()
        let tail = try layout.tailPosition(of: names, fileSystem: fileSystem)
        var next: UInt64 = 0
        var time: Int64?
        for (position, name) in names.enumerated() {
            guard name.baseSequence == next else {
                throw .corrupt(path: layout.segment(name), offset: 0, reason: "segment starts at sequence \(name.baseSequence); the previous one ends before \(next): the segments between are missing")
            }
            let (file, size, opened) = try openSegment(name)
            defer { file.close() }
            var scanner = opened
            if let index = try validIndex(name, file: file, size: size, isLast: position >= tail) {
                scanner = SegmentScanner(file: file, path: layout.segment(name), name: name, fileSize: size, offset: index.coveredBytes,
                                         nextSequence: index.nextSequence, lastRecordedAt: index.lastRecordedAt)
            }
            try scan(&scanner, isLast: position >= tail) { _ throws(LogError) in true }
            next = scanner.nextSequence
            if scanner.lastRecordedAt > .min { time = scanner.lastRecordedAt }
        }
        return (next, time)
    }

    /// Visits valid batches from the one holding `sequence` on, across segments, until the
    /// batch holding `stopAfter` (or the end). `body` gets each batch, its segment's path and
    /// the first sequence wanted from it: records before it were visited already or not asked
    /// for.
    ///
    /// A segment listed but gone when it is opened (a year sealed meanwhile: its live segments
    /// give way to the archive's) makes the reader list the segments again and go on from the
    /// first sequence not yet visited.
    func forEachBatch(from sequence: UInt64, stopAfter: UInt64 = .max,
                      _ body: (ScannedBatch, String, UInt64) throws(LogError) -> Void) throws(LogError) {
        var wanted = sequence
        var relisted = 0
        listing: while true {
            let names = try segments()
            let tail = try layout.tailPosition(of: names, fileSystem: fileSystem)
            var expected: UInt64?
            for (position, name) in names.enumerated() {
                let nextBase = position + 1 < names.count ? names[position + 1].baseSequence : UInt64.max
                if nextBase <= wanted { expected = nextBase; continue }
                if name.baseSequence > stopAfter { return }
                let path = layout.segment(name)
                if let expected, expected != name.baseSequence {
                    throw .corrupt(path: path, offset: 0, reason: "segment starts at sequence \(name.baseSequence); the previous one ends before \(expected): the segments between are missing")
                }
                let isLast = position >= tail
                let opened: (file: any FileHandle, size: Int64, scanner: SegmentScanner)
                do throws(LogError) {
                    opened = try openSegment(name)
                } catch {
                    guard case .io(_, _, errno: 2) = error, relisted < 8 else { throw error }
                    relisted += 1
                    continue listing
                }
                defer { opened.file.close() }
                var scanner = opened.scanner
                if let index = try validIndex(name, file: opened.file, size: opened.size, isLast: isLast) {
                    let start = index.startOffset(for: wanted)
                    scanner = SegmentScanner(file: opened.file, path: path, name: name, fileSize: opened.size, offset: start.offset, nextSequence: start.sequence)
                }
                var finished = false
                try scan(&scanner, isLast: isLast) { batch throws(LogError) in
                    guard batch.header.nextSequence > wanted else { return true }
                    try body(batch, path, wanted)
                    wanted = batch.header.nextSequence
                    finished = batch.header.nextSequence > stopAfter
                    return !finished
                }
                if finished { return }
                expected = scanner.nextSequence
                wanted = max(wanted, scanner.nextSequence)
            }
            return
        }
    }

    /// Runs a scanner to the end of its segment, or until `body` answers `false` (it has what
    /// it wants: the batches after are neither read nor checked). Damage is corruption unless
    /// it is a torn tail (`SegmentScanner.classifyDamage`) of the log's last segment, which ends
    /// what this reader sees. A last segment that its writer finished for a later one is an
    /// error if the later one is still absent.
    private func scan(_ scanner: inout SegmentScanner, isLast: Bool, _ body: (ScannedBatch) throws(LogError) -> Bool) throws(LogError) {
        // What the last segment's index says was written and synced (see `SegmentIndex.claimedBytes`).
        let claimed = isLast ? SegmentIndex.claimedBytes(scanner.name, layout: layout, fileSystem: fileSystem) ?? 0 : 0
        while true {
            switch try scanner.next() {
            case .end:
                if scanner.offset < claimed, !(try grewSinceOpened(scanner, at: scanner.offset)) {
                    throw Self.lostSyncedData(scanner.path, at: scanner.offset, claimed: claimed)
                }
                if isLast, scanner.finishedByWriter, !(try segments().contains { $0.baseSequence >= scanner.nextSequence && $0 != scanner.name }) {
                    throw LogOpener.missingSuccessor(scanner.path, next: scanner.nextSequence)
                }
                return
            case .batch(let batch):
                guard try body(batch) else { return }
            case let .damaged(offset, reason, _):
                if offset < claimed {
                    // The writer may have appended and retired the segment since this reader
                    // looked at its size: then the batch is whole now, and this view just ends.
                    if try grewSinceOpened(scanner, at: offset) { return }
                    throw Self.lostSyncedData(scanner.path, at: offset, claimed: claimed)
                }
                guard isLast, !scanner.name.sealed else { throw .corrupt(path: scanner.path, offset: offset, reason: reason) }
                switch try scanner.classifyDamage(at: offset) {
                case .tornTail:
                    return
                case .acknowledged:
                    throw .corrupt(path: scanner.path, offset: offset, reason: reason + "; a valid batch or sync mark after it shows these bytes had been synced")
                case .ambiguous:
                    throw .corrupt(path: scanner.path, offset: offset, reason: reason + "; the segment was written before sync marks, so nothing tells a torn tail from lost synced data (`qingling recover` shows what it would move aside)")
                }
            }
        }
    }

    /// Whether a valid batch now starts at `offset` of the scanner's segment (read afresh).
    private func grewSinceOpened(_ scanner: SegmentScanner, at offset: Int64) throws(LogError) -> Bool {
        let file = try fileSystem.openForReading(scanner.path)
        defer { file.close() }
        var probe = SegmentScanner(file: file, path: scanner.path, name: scanner.name, fileSize: try file.size(), offset: offset)
        if case .batch = try probe.nextIgnoringSequence() { return true }
        return false
    }

    static func lostSyncedData(_ path: String, at offset: Int64, claimed: Int64) -> LogError {
        .corrupt(path: path, offset: offset, reason: "the segment's index shows \(claimed) bytes were written and synced, but the valid batches end here: synced data was lost (truncated or damaged)")
    }

    /// The segment's index when it matches the segment (see `SegmentIndex.matching`), cached
    /// for as long as the segment does not shrink (and, for the last, its index file keeps its
    /// size).
    private func validIndex(_ name: SegmentName, file: any FileHandle, size: Int64, isLast: Bool) throws(LogError) -> SegmentIndex? {
        // The last segment's kept index serves while its file is unchanged: a writer that opens
        // a last segment another left unindexed writes its index again
        // (`LogWriter.prepareForFirstWrite`), and this reader then reads the new one.
        let fileBytes = isLast ? indexFileBytes(name) : nil  // read once, and only where it is compared
        if let cached = indexCache[name], cached.size <= size, !isLast || fileBytes == cached.fileBytes { return cached.index }
        guard let index = try SegmentIndex.matching(name, layout: layout, fileSystem: fileSystem, file: file, size: size,
                                                    wholeFile: false, checkingHash: false)
        else { return nil }
        indexCache[name] = (size, fileBytes, index)
        return index
    }

    /// The size of segment `name`'s index file, `nil` when it cannot be told.
    private func indexFileBytes(_ name: SegmentName) -> Int64? {
        guard let file = try? fileSystem.openForReading(layout.index(name)) else { return nil }
        defer { file.close() }
        return try? file.size()
    }

    /// Opens a segment to read it, its header checked: any damage to a segment header is
    /// corruption (a segment appears under its name only with a complete, synced header).
    private func openSegment(_ name: SegmentName) throws(LogError) -> (file: any FileHandle, size: Int64, scanner: SegmentScanner) {
        let path = layout.segment(name)
        let file = try fileSystem.openForReading(path)
        let size: Int64
        do throws(LogError) { size = try file.size() } catch {
            file.close()
            throw error
        }
        var scanner = SegmentScanner(file: file, path: path, name: name, fileSize: size)
        let header: ScanStep?
        do throws(LogError) { header = try scanner.readSegmentHeader() } catch {
            file.close()
            throw error
        }
        if case let .damaged(offset, reason, _) = header {
            file.close()
            throw .corrupt(path: path, offset: offset, reason: reason)
        }
        return (file, size, scanner)
    }

    /// Reads the records at `sequences` (candidates from segment `name`'s index, ascending) and
    /// gives each to `take`. A candidate the covered batches do not lead to is the index's
    /// fault, reported against the index file (the caller then scans the segment, which tells
    /// any damage of its own).
    private func fetch(_ sequences: [UInt64], in name: SegmentName, index: SegmentIndex, file: any FileHandle,
                       _ take: (LogRecord) -> Void) throws(LogError) {
        let path = layout.segment(name)
        let indexPath = layout.index(name)
        for sequence in sequences {
            if let cached = fetchedBatches.last(where: { $0.path == path && $0.records.sequences.contains(sequence) }) {
                take(cached.records.record(sequence))
                continue
            }
            let start = index.startOffset(for: sequence)
            var scanner = SegmentScanner(file: file, path: path, name: name, fileSize: index.coveredBytes, offset: start.offset, nextSequence: start.sequence)
            search: while true {
                switch try scanner.next() {
                case .end, .damaged:
                    throw .corrupt(path: indexPath, offset: 0, reason: "the index names sequence \(sequence), which its covered batches do not lead to")
                case .batch(let batch):
                    guard batch.header.nextSequence > sequence else { continue }
                    guard batch.header.baseSequence <= sequence else {
                        throw .corrupt(path: indexPath, offset: 0, reason: "the index names sequence \(sequence), which no covered batch holds")
                    }
                    let records = try batch.checkedRecords(path: path)
                    fetchedBatches.append((path, records))
                    if fetchedBatches.count > Self.fetchedBatchesKept { fetchedBatches.removeFirst() }
                    take(records.record(sequence))
                    break search
                }
            }
        }
    }
}

/// The records found for a look-up by keys (`LogReader.records(forKeys:)`), taken in sequence
/// order, each added once to each key it goes to.
private struct RecordsByKey {
    let keys: Set<String>
    private(set) var records: [String: [LogRecord]] = [:]

    init(keys: Set<String>) { self.keys = keys }

    /// Adds `record`, which an index listed for the keys `listed`, to those of them it carries
    /// (it may carry none: hashes collide).
    mutating func add(_ record: LogRecord, listedFor listed: [String]) {
        for key in listed where record.keys.contains(key) { append(record, to: key) }
    }

    /// Adds the record at `sequence` of `records`, found by a scan, to every key of the look-up
    /// it carries; made into a `LogRecord` only if it carries one.
    mutating func add(_ sequence: UInt64, of records: CheckedRecords) {
        let carried = records.keys(sequence).filter(keys.contains)
        guard !carried.isEmpty else { return }
        let record = records.record(sequence)
        for key in carried { append(record, to: key) }
    }

    private mutating func append(_ record: LogRecord, to key: String) {
        if records[key]?.last?.sequence != record.sequence { records[key, default: []].append(record) }
    }

    /// Forgets every record from `sequence` on (a segment read again by scanning it).
    mutating func removeAll(from sequence: UInt64) {
        for key in records.keys { records[key]?.removeAll { $0.sequence >= sequence } }
        records = records.filter { !$0.value.isEmpty }
    }
}
