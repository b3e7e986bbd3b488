/// Reads a log: in sequence order, by stream key, or one record by sequence number.
///
/// A reader takes no lock and may run in any process while the writer appends. It sees only
/// complete batches whose checksums are valid. At the very end of the last segment, bytes that
/// are not a valid batch and that no valid batch follows (a write in progress, or a torn tail
/// the writer will cut when it next opens) end what it sees; damage anywhere else is reported
/// as corruption, never returned as data.
public final class LogReader {
    public let layout: LogLayout
    public let metadata: LogMetadata
    let fileSystem: any FileSystem
    private var indexCache: [SegmentName: (size: Int64, index: SegmentIndex)] = [:]

    /// Opens the log in `directory` for reading.
    public init(directory: String, fileSystem: any FileSystem = PosixFileSystem()) throws(LogError) {
        self.layout = LogLayout(directory: directory)
        self.fileSystem = fileSystem
        self.metadata = try LogMetadata.read(directory: layout.directory, fileSystem: fileSystem)
    }

    /// The segments present now, in sequence order.
    public func segments() throws(LogError) -> [SegmentName] {
        try layout.listSegments(fileSystem)
    }

    /// Calls `body` with every record from `sequence` on, in order.
    public func forEach(from sequence: UInt64 = 0, _ body: (LogRecord) throws(LogError) -> Void) throws(LogError) {
        try forEachBatch(from: sequence) { batch, path throws(LogError) in
            for record in try batch.records(path: path) where record.sequence >= sequence {
                try body(record)
            }
        }
    }

    /// Calls `body` with the sequence, recorded time and payload of every record from
    /// `sequence` on, in order, without copying payloads or decoding stream keys: the fast path
    /// for replaying a whole log. Each payload is read in place in its decompressed batch, and
    /// valid only during its call (the next batch is decompressed into the same memory). A batch
    /// whose records do not decode is reported after its records before the damage were visited.
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
        try forEachBatch(from: sequence) { batch, path throws(LogError) in
            let decompressed = recycler.take()
            try batch.forEachPayload(path: path, into: decompressed) { recordSequence, time, payload throws(LogError) in
                if recordSequence >= sequence { try body(recordSequence, time, payload, decompressed) }
            }
        }
    }

    /// Calls `body` with every record in `range`, in order, reading no batch after it.
    public func forEach(in range: Range<UInt64>, _ body: (LogRecord) throws(LogError) -> Void) throws(LogError) {
        guard !range.isEmpty else { return }
        try forEachBatch(from: range.lowerBound, stopAfter: range.upperBound - 1) { batch, path throws(LogError) in
            for record in try batch.records(path: path) where range.contains(record.sequence) {
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
        try forEachBatch(from: sequence, stopAfter: sequence) { batch, path throws(LogError) in
            if batch.header.baseSequence <= sequence && sequence < batch.header.nextSequence {
                found = try batch.records(path: path)[Int(sequence - batch.header.baseSequence)]
            }
        }
        guard let found else { throw .sequenceOutOfRange(sequence: sequence, next: try nextSequence()) }
        return found
    }

    /// The sequence number after the last complete record (0 for an empty log).
    public func nextSequence() throws(LogError) -> UInt64 {
        guard let last = try segments().last else { return 0 }
        var next = last.baseSequence
        try forEachBatch(from: try lastIndexedSequence(last)) { batch, _ in next = batch.header.nextSequence }
        return next
    }

    /// The recorded time of the log's last record (`nil` for an empty log): where a log on the
    /// simulated clock stands. Read from batch headers, without decoding records.
    public func lastRecordedAt() throws(LogError) -> Int64? {
        guard let last = try segments().last else { return nil }
        var time: Int64?
        try forEachBatch(from: try lastIndexedSequence(last)) { batch, _ in time = batch.header.lastRecordedAt }
        return time
    }

    /// Every record that carries stream key `key`, in sequence order, found through the
    /// segments' indexes (the part of the last segment its index does not cover is scanned).
    public func records(forKey key: String) throws(LogError) -> [LogRecord] {
        let keyHash = StreamKeyHash.hash(key)
        var result: [LogRecord] = []
        let names = try segments()
        for name in names {
            let path = layout.segment(name)
            guard let (file, size, opened) = try openSegment(name, isLast: name == names.last) else { break }
            defer { file.close() }
            var scanner = opened
            if let index = try validIndex(name, file: file, size: size) {
                do throws(LogError) {
                    let candidates = try index.sequences(forKeyHash: keyHash, path: layout.index(name), fileSystem: fileSystem)
                    result += try fetch(candidates, key: key, in: name, index: index, file: file)
                    scanner = SegmentScanner(file: file, path: path, name: name, fileSize: size, offset: index.coveredBytes,
                                             nextSequence: index.nextSequence, lastRecordedAt: index.lastRecordedAt)
                } catch {
                    // A damaged index block: forget the index and scan the segment instead.
                    guard case let .corrupt(damagedPath, _, _) = error, damagedPath == layout.index(name) else { throw error }
                    indexCache[name] = nil
                    result.removeAll { $0.sequence >= name.baseSequence }
                }
            }
            try scan(&scanner, isLast: name == names.last) { batch throws(LogError) in
                for record in try batch.records(path: path) where record.keys.contains(key) { result.append(record) }
            }
        }
        return result
    }

    // MARK: - Internals

    /// Where reading the last segment `name` to its end may start: the last record its index
    /// covers (the batches before it are not read), or its first record without a usable index.
    private func lastIndexedSequence(_ name: SegmentName) throws(LogError) -> UInt64 {
        guard let (file, size, _) = try openSegment(name, isLast: true) else { return name.baseSequence }
        defer { file.close() }
        guard let index = try validIndex(name, file: file, size: size), index.nextSequence > name.baseSequence else { return name.baseSequence }
        return index.nextSequence - 1
    }

    /// Visits valid batches from the one holding `sequence` on, across segments, until the
    /// batch holding `stopAfter` (or the end).
    func forEachBatch(from sequence: UInt64, stopAfter: UInt64 = .max, _ body: (ScannedBatch, String) throws(LogError) -> Void) throws(LogError) {
        let names = try segments()
        var expected: UInt64?
        for (position, name) in names.enumerated() {
            let nextBase = position + 1 < names.count ? names[position + 1].baseSequence : UInt64.max
            if nextBase <= sequence { expected = nextBase; continue }
            if name.baseSequence > stopAfter { return }
            let path = layout.segment(name)
            if let expected, expected != name.baseSequence {
                throw .corrupt(path: path, offset: 0, reason: "segment starts at sequence \(name.baseSequence); the previous one ends before \(expected)")
            }
            guard let (file, size, opened) = try openSegment(name, isLast: position == names.count - 1) else { return }
            defer { file.close() }
            var scanner = opened
            if let index = try validIndex(name, file: file, size: size) {
                let start = index.startOffset(for: sequence)
                scanner = SegmentScanner(file: file, path: path, name: name, fileSize: size, offset: start.offset, nextSequence: start.sequence)
            }
            var finished = false
            try scan(&scanner, isLast: position == names.count - 1) { batch throws(LogError) in
                guard !finished, batch.header.nextSequence > sequence else { return }
                try body(batch, path)
                if batch.header.nextSequence > stopAfter { finished = true }
            }
            if finished { return }
            expected = scanner.nextSequence
        }
    }

    /// Runs a scanner to the end of its segment. Damage is corruption unless it is an
    /// incomplete or invalid tail of the last segment that no valid batch follows.
    private func scan(_ scanner: inout SegmentScanner, isLast: Bool, _ body: (ScannedBatch) throws(LogError) -> Void) throws(LogError) {
        // What the last segment's index says was written and synced (see `SegmentIndex.claimedBytes`).
        let claimed = isLast ? SegmentIndex.claimedBytes(scanner.name, layout: layout, fileSystem: fileSystem) ?? 0 : 0
        while true {
            switch try scanner.next() {
            case .end:
                if scanner.offset < claimed, !(try grewSinceOpened(scanner, at: scanner.offset)) {
                    throw Self.lostSyncedData(scanner.path, at: scanner.offset, claimed: claimed)
                }
                return
            case .batch(let batch):
                try body(batch)
            case let .damaged(offset, reason, _):
                if offset < claimed {
                    // The writer may have appended and retired the segment since this reader
                    // looked at its size: then the batch is whole now, and this view just ends.
                    if try grewSinceOpened(scanner, at: offset) { return }
                    throw Self.lostSyncedData(scanner.path, at: offset, claimed: claimed)
                }
                if isLast, !(try scanner.durableDataDamaged(at: offset)) { return }
                throw .corrupt(path: scanner.path, offset: offset, reason: reason)
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
    /// for as long as the segment does not shrink.
    private func validIndex(_ name: SegmentName, file: any FileHandle, size: Int64) throws(LogError) -> SegmentIndex? {
        if let cached = indexCache[name], cached.size <= size { return cached.index }
        guard let index = try SegmentIndex.matching(name, layout: layout, fileSystem: fileSystem, file: file, size: size,
                                                    wholeFile: false, checkingHash: false)
        else { return nil }
        indexCache[name] = (size, index)
        return index
    }

    /// Opens a segment to read it: `nil` when the last segment has vanished (an empty segment
    /// removed by the writer) or is not yet a complete segment header.
    private func openSegment(_ name: SegmentName, isLast: Bool) throws(LogError) -> (file: any FileHandle, size: Int64, scanner: SegmentScanner)? {
        let path = layout.segment(name)
        if isLast && !fileSystem.fileExists(path) { return nil }
        let file = try fileSystem.openForReading(path)
        let size = try file.size()
        var scanner = SegmentScanner(file: file, path: path, name: name, fileSize: size)
        if case let .damaged(offset, reason, incomplete) = try scanner.readSegmentHeader() {
            file.close()
            if isLast && incomplete { return nil }
            throw .corrupt(path: path, offset: offset, reason: reason)
        }
        return (file, size, scanner)
    }

    /// Reads the records at `sequences` (candidates from an index) and keeps those carrying `key`.
    /// A candidate the covered batches do not lead to is the index's fault, reported against
    /// the index file (the caller then scans the segment, which tells any damage of its own).
    private func fetch(_ sequences: [UInt64], key: String, in name: SegmentName, index: SegmentIndex,
                       file: any FileHandle) throws(LogError) -> [LogRecord] {
        var result: [LogRecord] = []
        var cached: ScannedBatch?
        let path = layout.segment(name)
        let indexPath = layout.index(name)
        for sequence in sequences {
            if let cached, cached.header.baseSequence <= sequence, sequence < cached.header.nextSequence {
                let record = try cached.record(sequence, path: path)
                if record.keys.contains(key) { result.append(record) }
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
                    cached = batch
                    let record = try batch.record(sequence, path: path)
                    if record.keys.contains(key) { result.append(record) }
                    break search
                }
            }
        }
        return result
    }
}
