/// Opens a log directory for writing: creates it if allowed, takes the lock, checks the
/// segments and recovers the tail of the last one.
///
/// Recovery rules (see `docs/format.md`):
/// - every batch of the last segment is validated (checksums, sequence, time, year, hash chain);
/// - damage there that no valid batch follows is a torn tail: its bytes are copied to
///   `recovered/` and synced, then the segment is cut and synced, and the cut is reported;
/// - damage that a later valid batch declares durable (`BatchHeader.durableBytes` past it, or a
///   version-1 batch, which does not say), or damage in any earlier segment, is corruption: the
///   log is not opened, and the error names the file and byte offset; damage that no later
///   batch declares durable is an unsynced write lost at a crash or power cut, cut as a torn tail;
/// - a last segment left with no batch (an interrupted roll) is removed;
/// - an earlier segment whose index is missing or does not match it is scanned in full and its
///   index rewritten; an earlier segment with a matching index is not re-read on open (its
///   batches are checked on every read, and in full by `verify`);
/// - files left under a temporary name by a crash are removed.
struct LogOpener {
    let layout: LogLayout
    let options: LogOptions
    var fileSystem: any FileSystem { options.fileSystem }

    struct Opened {
        let metadata: LogMetadata
        let report: RecoveryReport
        let state: WriterState
        let lock: any DirectoryLock
    }

    /// Opens the log, creating it when allowed. A creation that fails leaves nothing behind
    /// (`LogCreationUndo`).
    func open() throws(LogError) -> Opened {
        try checkDirectoryCanHoldALog()
        let undo = fileSystem.fileExists(layout.metadata) ? nil : LogCreationUndo(layout: layout, fileSystem: fileSystem)
        let lock: any DirectoryLock
        do throws(LogError) {
            try fileSystem.createDirectory(layout.directory)
            lock = try fileSystem.lockExclusively(layout.lock)
        } catch {
            undo?.undo(holdingLock: false)
            throw error
        }
        // Under the lock, a log with no log.meta is this opening's to create.
        let creating = !fileSystem.fileExists(layout.metadata)
        do throws(LogError) {
            let metadata = try createOrReadMetadata(creating: creating)
            guard metadata.clock == options.clock.kind else {
                throw .notALog(directory: layout.directory, reason: "it was created with the \(metadata.clock.rawValue) clock and cannot be written with the \(options.clock.kind.rawValue) clock")
            }
            try fileSystem.createDirectory(layout.segments)
            try removeTemporaryFiles()
            var report = RecoveryReport()
            try removeSealingLeftovers(&report)
            let state = try recover(&report)
            return Opened(metadata: metadata, report: report, state: state, lock: lock)
        } catch {
            if creating { undo?.undo(holdingLock: true) }
            lock.release()
            throw error
        }
    }

    /// A log is created only where none exists yet and nothing else is in the way.
    private func checkDirectoryCanHoldALog() throws(LogError) {
        guard !fileSystem.fileExists(layout.metadata) else { return }
        guard options.createIfMissing else {
            // Says why there is no log here: no such directory, no log.meta, or the system's
            // refusal (permission denied, not a directory) with its errno.
            _ = try LogMetadata.read(directory: layout.directory, fileSystem: fileSystem)
            return
        }
        guard fileSystem.fileExists(layout.directory) else { return }
        let stray = try fileSystem.contentsOfDirectory(layout.directory)
            .filter { $0 != "LOCK" && $0 != LogMetadata.fileName + LogLayout.temporarySuffix && !$0.hasPrefix(".") }
        guard stray.isEmpty else {
            throw .notALog(directory: layout.directory, reason: "it is not empty (\(stray.prefix(3).joined(separator: ", "))) and has no \(LogMetadata.fileName); refusing to create a log there")
        }
    }

    /// Reads `log.meta`, or (holding the lock, `creating`) writes it for a new log.
    private func createOrReadMetadata(creating: Bool) throws(LogError) -> LogMetadata {
        guard creating else {
            return try LogMetadata.read(directory: layout.directory, fileSystem: fileSystem)
        }
        let metadata = LogMetadata(clock: options.clock.kind, createdAt: options.clock.now())
        let temporary = layout.metadata + LogLayout.temporarySuffix
        let file = try fileSystem.openForWriting(temporary, create: true)
        defer { file.close() }
        try file.truncate(to: 0)
        try file.write(metadata.encoded(), at: 0)
        try file.sync()
        try fileSystem.rename(temporary, to: layout.metadata)
        try fileSystem.syncDirectory(layout.directory)
        return metadata
    }

    /// Removes files a crash left under a temporary name (segments being created, indexes).
    private func removeTemporaryFiles() throws(LogError) {
        for folder in [layout.segments, layout.indexes] where fileSystem.fileExists(folder) {
            for name in try fileSystem.contentsOfDirectory(folder) where name.hasSuffix(LogLayout.temporarySuffix) {
                try fileSystem.removeFile(folder + "/" + name)
            }
        }
    }

    /// Sealing directories of an interrupted seal (`archive/<year>.tmp`), and live segments of
    /// years already sealed (a seal interrupted after its commit).
    private func removeSealingLeftovers(_ report: inout RecoveryReport) throws(LogError) {
        if fileSystem.fileExists(layout.archive) {
            for name in try fileSystem.contentsOfDirectory(layout.archive) where name.hasSuffix(LogLayout.temporarySuffix) {
                try LogWriter.removeTree(layout.archive + "/" + name, fileSystem: fileSystem)
                report.removedSealingLeftovers.append(layout.archive + "/" + name)
            }
        }
        let leftovers = try layout.leftoverSegments(fileSystem)
        for name in leftovers {
            try fileSystem.removeFile(layout.segment(name))
            if fileSystem.fileExists(layout.index(name)) { try fileSystem.removeFile(layout.index(name)) }
            report.removedSealingLeftovers.append(layout.segment(name))
        }
        if !leftovers.isEmpty { try fileSystem.syncDirectory(layout.segments) }
    }

    private func recover(_ report: inout RecoveryReport) throws(LogError) -> WriterState {
        var names = try layout.listSegments(fileSystem)
        var state = WriterState()
        guard !names.isEmpty else { return state }

        // Earlier segments: from their index when it matches, else from a full scan. After a
        // sealed year the chain goes on from the year's last live batch (its link).
        var previous: SegmentSummary?
        for (position, name) in names.enumerated() where name.sealed || position < names.count - 1 {
            // Only the segment before the last continues the chain into it: its last batch's hash is checked.
            var summary = try summarize(name, report: &report, checkingHash: position == names.count - 2)
            try checkContinuity(name, after: previous)
            let next = position + 1 < names.count ? names[position + 1] : nil
            if name.sealed, next?.sealed != true || next?.year != name.year {
                let link = try SealedYearLink.read(name.year, layout: layout, fileSystem: fileSystem)
                summary.lastBatchHash = link.lastLiveBatchHash
                summary.lastRecordedAt = link.lastRecordedAt
            }
            previous = summary
        }
        if let last = names.last, last.sealed, let previous {
            // The log ends with a sealed year: the next append starts a new segment.
            state.nextSequence = previous.nextSequence
            state.lastRecordedAt = previous.lastRecordedAt
            state.lastHash = previous.lastBatchHash
            return state
        }

        // The last segment: validated batch by batch, its torn tail cut.
        let last = names[names.count - 1]
        try checkContinuity(last, after: previous)
        let path = layout.segment(last)
        var scan: SegmentScan
        if let resumed = try SegmentScan.resume(last, layout: layout, fileSystem: fileSystem) {
            scan = resumed
        } else {
            scan = try SegmentScan.run(last, layout: layout, fileSystem: fileSystem)
        }
        if let claimed = SegmentIndex.claimedBytes(last, layout: layout, fileSystem: fileSystem), claimed > scan.builder.coveredBytes {
            throw .corrupt(path: path, offset: scan.builder.coveredBytes,
                           reason: "the segment's index shows \(claimed) bytes were written and synced, but only \(scan.builder.coveredBytes) are valid: synced data was lost (truncated or damaged), so this is not a torn tail")
        }
        if let previous, let named = scan.firstPreviousHash, named != previous.lastBatchHash {
            throw .corrupt(path: path, offset: Int64(SegmentHeader.size), reason: "hash chain broken: the first batch does not name the last batch of \(previous.name.fileName)")
        }
        if let damage = scan.damage {
            if damage.durableDataDamaged {
                throw .corrupt(path: path, offset: damage.offset, reason: damage.reason + "; a valid batch after it says these bytes had been synced, so this is not a torn tail")
            }
            if damage.offset < scan.fileSize {
                try cutTail(of: last, at: damage.offset, fileSize: scan.fileSize, reason: damage.reason, report: &report)
            }
            scan.damage = nil
        }
        report.batchesValidated += scan.batches

        if scan.isEmpty {
            // An interrupted roll (or a header-only segment): nothing to keep.
            if fileSystem.fileExists(path) { try fileSystem.removeFile(path) }
            try? fileSystem.removeFile(layout.index(last))
            try fileSystem.syncDirectory(layout.segments)
            report.removedEmptySegments.append(last.fileName)
            names.removeLast()
            if let previous {
                state.nextSequence = previous.nextSequence
                state.lastRecordedAt = previous.lastRecordedAt
                state.lastHash = previous.lastBatchHash
            } else {
                state.nextSequence = last.baseSequence
            }
            return state
        }

        let file = try fileSystem.openForWriting(path, create: false)
        // What the last writer left may not be on disk yet: make it durable before new batches
        // claim it is (`BatchHeader.durableBytes`).
        try file.sync()
        let builder = scan.builder
        state.nextSequence = builder.nextSequence
        state.lastRecordedAt = builder.lastRecordedAt
        state.lastHash = builder.lastBatchHash
        state.active = ActiveSegment(name: last, file: file, size: builder.coveredBytes, syncedSize: builder.coveredBytes, index: builder)
        return state
    }

    /// The summary of a segment before the last: from its index if that matches the file,
    /// else from a full scan, which must find no damage at all.
    private func summarize(_ name: SegmentName, report: inout RecoveryReport, checkingHash: Bool) throws(LogError) -> SegmentSummary {
        let path = layout.segment(name)
        let file = try fileSystem.openForReading(path)
        defer { file.close() }
        let size = try file.size()
        if let index = try SegmentIndex.matching(name, layout: layout, fileSystem: fileSystem, file: file, size: size, wholeFile: true,
                                                 checkingHash: checkingHash) {
            return SegmentSummary(name: name, nextSequence: index.nextSequence, lastRecordedAt: index.lastRecordedAt, lastBatchHash: index.lastBatchHash)
        }
        let scan = try SegmentScan.run(name, layout: layout, fileSystem: fileSystem)
        if let damage = scan.damage {
            throw .corrupt(path: path, offset: damage.offset, reason: damage.reason + " (in a segment before the last)")
        }
        guard scan.batches > 0 else {
            throw .corrupt(path: path, offset: Int64(SegmentHeader.size), reason: "a segment before the last holds no batch")
        }
        report.batchesValidated += scan.batches
        IndexFileWriter.write(scan.builder, for: name, layout: layout, fileSystem: fileSystem)
        report.rebuiltIndexes.append(layout.index(name))
        return SegmentSummary(
            name: name, nextSequence: scan.builder.nextSequence, lastRecordedAt: scan.builder.lastRecordedAt,
            lastBatchHash: scan.builder.lastBatchHash)
    }

    /// Segments follow each other without gap or overlap, in non-decreasing years.
    private func checkContinuity(_ name: SegmentName, after previous: SegmentSummary?) throws(LogError) {
        guard let previous else { return }
        guard name.baseSequence == previous.nextSequence else {
            throw .corrupt(path: layout.segment(name), offset: 0, reason: "segment starts at sequence \(name.baseSequence) but \(previous.name.fileName) ends before \(previous.nextSequence)")
        }
        guard name.year >= previous.name.year else {
            throw .corrupt(path: layout.segment(name), offset: 0, reason: "segment of year \(name.year) follows one of year \(previous.name.year)")
        }
    }

    /// Copies the bytes from `offset` to a side file in `recovered/`, syncs it, then cuts the
    /// segment there and syncs it.
    private func cutTail(of name: SegmentName, at offset: Int64, fileSize: Int64, reason: String, report: inout RecoveryReport) throws(LogError) {
        let path = layout.segment(name)
        let file = try fileSystem.openForWriting(path, create: false)
        defer { file.close() }
        let tail = try file.read(at: offset, count: Int(fileSize - offset))
        try fileSystem.createDirectory(layout.recovered)
        var attempt = 0
        while fileSystem.fileExists(layout.recoveredTail(name, offset: offset, attempt: attempt)) { attempt += 1 }
        let savedTo = layout.recoveredTail(name, offset: offset, attempt: attempt)
        let side = try fileSystem.openForWriting(savedTo, create: true)
        defer { side.close() }
        try side.truncate(to: 0)
        try side.write(tail, at: 0)
        try side.sync()
        try fileSystem.syncDirectory(layout.recovered)
        try file.truncate(to: offset)
        try file.sync()
        report.cutTails.append(.init(segment: path, offset: offset, bytes: fileSize - offset, savedTo: savedTo, reason: reason))
    }
}
