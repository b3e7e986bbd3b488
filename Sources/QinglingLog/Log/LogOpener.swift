/// Opens a log directory for writing: creates it if allowed, takes the lock, checks the
/// segments and finds what must be repaired before the writer first writes.
///
/// Recovery rules (`docs/format.md` §7):
/// - every batch of the last segment is validated (checksums, sequence, time, year, hash chain);
/// - damage there is classified (`SegmentScanner.classifyDamage`): a torn tail (provably never
///   acknowledged) is cut, but only when the writer first writes (`LogRepairs`), so that opening
///   a log, or an append that is then refused, changes no segment; damage to acknowledged data,
///   or ambiguous damage (a segment written before sync marks), stops the open with an error
///   naming the file and offset (`qingling recover` cuts ambiguous damage on request);
/// - a last segment that its writer finished for a later one, which is absent, stops the open;
/// - an earlier segment whose index is missing or does not match it is scanned in full and its
///   index rewritten; damage there stops the open;
/// - files left under a temporary name by a crash are removed, and so are the live segments of
///   a sealed year (superseded by the archive).
struct LogOpener {
    let layout: LogLayout
    let options: LogOptions
    var fileSystem: any FileSystem { options.fileSystem }

    struct Opened {
        let metadata: LogMetadata
        let report: RecoveryReport
        let state: WriterState
        let lock: any DirectoryLock
        /// What the writer must do before it first writes.
        let repairs: LogRepairs
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
            if creating { try fileSystem.createDirectory(layout.segments) }
            try removeTemporaryFiles()
            var report = RecoveryReport()
            try removeSealingLeftovers(&report)
            var repairs = LogRepairs(metadata: metadata.version < LogMetadata.formatVersion ? metadata : nil)
            let state = try recover(&report, &repairs)
            return Opened(metadata: metadata, report: report, state: state, lock: lock, repairs: repairs)
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
        try metadata.write(layout, fileSystem: fileSystem)
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
            // The index first: an index without its segment would mean a segment lost.
            if fileSystem.fileExists(layout.index(name)) { try fileSystem.removeFile(layout.index(name)) }
            try fileSystem.removeFile(layout.segment(name))
            report.removedSealingLeftovers.append(layout.segment(name))
        }
        if !leftovers.isEmpty { try fileSystem.syncDirectory(layout.segments) }
    }

    private func recover(_ report: inout RecoveryReport, _ repairs: inout LogRepairs) throws(LogError) -> WriterState {
        let names = try layout.checkedSegments(fileSystem)
        var state = WriterState()
        guard !names.isEmpty else { return state }
        let tail = try layout.tailPosition(of: names, fileSystem: fileSystem)

        // Earlier segments: from their index when it matches, else from a full scan. After a
        // sealed year the chain goes on from the year's last live batch (its link).
        var previous: SegmentSummary?
        for (position, name) in names.enumerated() where name.sealed || position < tail {
            // Only the segment before the tail continues the chain into it: its last batch's hash is checked.
            var summary = try summarize(name, report: &report, checkingHash: position == tail - 1)
            try checkContinuity(name, after: previous)
            let next = position + 1 < names.count ? names[position + 1] : nil
            if name.sealed, next?.sealed != true || next?.year != name.year {
                let link = try SealedYearLink.read(name.year, layout: layout, fileSystem: fileSystem)
                summary.lastBatchHash = link.lastLiveBatchHash
                summary.lastRecordedAt = link.lastRecordedAt
            } else if summary.nextSequence == name.baseSequence, let previous {
                // A segment that holds no batch (a roll whose batch was never written).
                summary.lastBatchHash = previous.lastBatchHash
                summary.lastRecordedAt = previous.lastRecordedAt
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

        // The tail segment: validated batch by batch; a torn tail is cut before the first write.
        let last = names[tail]
        try checkContinuity(last, after: previous)
        let path = layout.segment(last)
        let scan: SegmentScan
        if let resumed = try SegmentScan.resume(last, layout: layout, fileSystem: fileSystem) {
            scan = resumed
        } else {
            scan = try SegmentScan.run(last, layout: layout, fileSystem: fileSystem)
        }
        if let previous, let named = scan.firstPreviousHash, named != previous.lastBatchHash {
            throw .corrupt(path: path, offset: Int64(SegmentHeader.size), reason: "hash chain broken: the first batch does not name the last batch of \(previous.name.fileName)")
        }
        if let damage = scan.damage {
            switch damage.kind {
            case .tornTail:
                try checkNothingSyncedIsLost(last, validEnd: damage.offset)
                repairs.cut = LogRepairs.Cut(segment: last, offset: damage.offset, fileSize: scan.fileSize, reason: damage.reason)
                report.cutTails.append(.init(segment: path, offset: damage.offset, bytes: scan.fileSize - damage.offset,
                                             savedTo: layout.freeRecoveredTail(last, offset: damage.offset, fileSystem: fileSystem),
                                             reason: damage.reason))
            case .acknowledged:
                let why = damage.offset < Int64(SegmentHeader.size) ? "a segment appears under its name only once its header is synced"
                    : "a valid batch or sync mark after it shows these bytes had been synced"
                throw .corrupt(path: path, offset: damage.offset, reason: damage.reason + "; \(why), so this is not a torn tail: restore the segment from a copy")
            case .ambiguous:
                throw .corrupt(path: path, offset: damage.offset, reason: damage.reason + "; the segment was written before sync marks, so nothing tells a torn tail from lost synced data: `qingling recover` shows what it would move aside and cuts it on request")
            }
        } else if scan.finishedByWriter, tail == names.count - 1 {
            throw Self.missingSuccessor(path, next: scan.builder.nextSequence)
        } else {
            try checkNothingSyncedIsLost(last, validEnd: scan.end)
        }
        report.batchesValidated += scan.batches

        let builder = scan.builder
        state.nextSequence = builder.nextSequence
        state.lastRecordedAt = builder.lastRecordedAt
        state.lastHash = builder.lastBatchHash
        if scan.isEmpty, let previous {
            // A segment that holds no batch yet (a roll whose batch was never written).
            state.lastRecordedAt = previous.lastRecordedAt
            state.lastHash = previous.lastBatchHash
        }
        guard tail == names.count - 1 else {
            // Header-only segments after the tail (an interrupted roll): the writer goes on in the last.
            var end = SegmentSummary(name: last, nextSequence: state.nextSequence, lastRecordedAt: state.lastRecordedAt, lastBatchHash: state.lastHash)
            for name in names[(tail + 1)...] {
                try checkContinuity(name, after: end)
                end.name = name
            }
            let empty = try SegmentScan.run(end.name, layout: layout, fileSystem: fileSystem)
            state.active = ActiveSegment(name: end.name, file: try fileSystem.openForWriting(layout.segment(end.name), create: false),
                                         size: empty.end, syncedSize: empty.end, index: empty.builder,
                                         marksEverySync: empty.segmentVersion.map { $0 >= 2 } ?? false)
            return state
        }
        state.active = ActiveSegment(name: last, file: try fileSystem.openForWriting(path, create: false), size: scan.end, syncedSize: scan.end,
                                     index: builder, marksEverySync: scan.segmentVersion.map { $0 >= 2 } ?? false,
                                     indexFileCovered: scan.indexFileCovered)
        return state
    }

    /// The last segment's index, written after the bytes it covers were synced, must not cover
    /// more than the segment's valid bytes: if it does, synced batches are gone (truncated, or
    /// damaged without a mark after them), which is never a torn tail.
    private func checkNothingSyncedIsLost(_ name: SegmentName, validEnd: Int64) throws(LogError) {
        guard let claimed = SegmentIndex.claimedBytes(name, layout: layout, fileSystem: fileSystem), claimed > validEnd else { return }
        throw .corrupt(path: layout.segment(name), offset: validEnd,
                       reason: "the segment's index shows \(claimed) bytes were written and synced, but only \(validEnd) are valid: synced data was lost (truncated or damaged), so this is not a torn tail")
    }

    /// The error for a last segment that its writer finished, going on in a later one that is absent.
    static func missingSuccessor(_ path: String, next: UInt64) -> LogError {
        .corrupt(path: path, offset: 0, reason: "the writer finished this segment and went on in a later one from sequence \(next), which is missing: segments were removed; restore them from a copy")
    }

    /// The summary of a segment before the last: from its index if that matches the file,
    /// else from a full scan, which must find no damage at all.
    private func summarize(_ name: SegmentName, report: inout RecoveryReport, checkingHash: Bool) throws(LogError) -> SegmentSummary {
        let path = layout.segment(name)
        let file = try fileSystem.openForReading(path)
        defer { file.close() }
        let size = try file.size()
        if let index = try SegmentIndex.matching(name, layout: layout, fileSystem: fileSystem, file: file, size: size, wholeFile: false,
                                                 checkingHash: checkingHash),
           try Self.onlySyncMarks(in: name, file: file, path: path, size: size, from: index.coveredBytes, nextSequence: index.nextSequence) {
            return SegmentSummary(name: name, nextSequence: index.nextSequence, lastRecordedAt: index.lastRecordedAt, lastBatchHash: index.lastBatchHash)
        }
        let scan = try SegmentScan.run(name, layout: layout, fileSystem: fileSystem)
        if let damage = scan.damage {
            throw .corrupt(path: path, offset: damage.offset, reason: damage.reason + " (in a segment before the last)")
        }
        report.batchesValidated += scan.batches
        if !scan.isEmpty {
            IndexFileWriter.write(scan.builder, for: name, layout: layout, fileSystem: fileSystem)
            report.rebuiltIndexes.append(layout.index(name))
        }
        return SegmentSummary(
            name: name, nextSequence: scan.builder.nextSequence, lastRecordedAt: scan.builder.lastRecordedAt,
            lastBatchHash: scan.builder.lastBatchHash)
    }

    /// Whether the bytes of a segment from `offset` to its end are valid sync marks only (what
    /// the writer appends after the last batch an index covers).
    private static func onlySyncMarks(in name: SegmentName, file: any FileHandle, path: String, size: Int64,
                                      from offset: Int64, nextSequence: UInt64) throws(LogError) -> Bool {
        var scanner = SegmentScanner(file: file, path: path, name: name, fileSize: size, offset: offset, nextSequence: nextSequence)
        if case .end = try scanner.next() { return true }
        return false
    }

    /// Segments follow each other without gap or overlap, in non-decreasing years.
    private func checkContinuity(_ name: SegmentName, after previous: SegmentSummary?) throws(LogError) {
        guard let previous else { return }
        guard name.baseSequence == previous.nextSequence else {
            let gap = name.baseSequence > previous.nextSequence ? ": the segments between are missing" : ""
            throw .corrupt(path: layout.segment(name), offset: 0, reason: "segment starts at sequence \(name.baseSequence) but \(previous.name.fileName) ends before \(previous.nextSequence)\(gap)")
        }
        guard name.year >= previous.name.year else {
            throw .corrupt(path: layout.segment(name), offset: 0, reason: "segment of year \(name.year) follows one of year \(previous.name.year)")
        }
    }
}
