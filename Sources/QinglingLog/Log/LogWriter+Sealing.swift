/// Sealing a finished year: the log's side of the archive job. The archive job (Merkle tree,
/// manifest, signature) adds its own files to the sealing directory between `prepareSealing`
/// and `commitSealing`.
///
/// Crash safety: the year is assembled in `archive/<year>.tmp/`, every file synced; one
/// rename of that directory to `archive/<year>/` (then a sync of `archive/`) commits it, and
/// from then on readers use the archive instead of the year's live segments; only then are
/// the live segments removed. A crash before the rename leaves the live segments (the
/// temporary directory is removed when a writer next opens); a crash after it leaves the
/// archive, and leftover live segments of the year are ignored by readers and removed when a
/// writer next opens. The year is never counted twice, and never lost.
extension LogWriter {
    /// Checks that `year` can be sealed now and describes it. Refused when the year has not
    /// ended by the log's clock, is already sealed, holds no record, or an earlier year with
    /// records is not sealed.
    public func sealingPlan(year: Int) throws(LogError) -> SealingPlan {
        try sync()
        // A torn tail of the year's last segment is cut (and saved) before its segments are read.
        if state.needsPreparation { try prepareForFirstWrite() }
        let fileSystem = options.fileSystem
        let now = options.clock.now()
        guard now >= ShanghaiTime.startOfYear(year + 1) else {
            throw .sealingRefused(year: year, reason: "the year has not ended by the log's \(metadata.clock.rawValue) clock (it is still \(ShanghaiTime.year(ofMicroseconds: now)))")
        }
        if try layout.sealedYears(fileSystem).contains(year) { throw .sealingRefused(year: year, reason: "it is already sealed (\(layout.sealedYear(year)))") }
        let names = try layout.listSegments(fileSystem)
        if let earlier = names.first(where: { !$0.sealed && $0.year < year }) {
            throw .sealingRefused(year: year, reason: "\(earlier.year) has events and is not sealed yet; seal it first")
        }
        let ofYear = names.filter { !$0.sealed && $0.year == year }
        guard let first = ofYear.first, let last = ofYear.last else { throw .sealingRefused(year: year, reason: "the log holds no event recorded in \(year)") }
        let reader = try LogReader(directory: layout.directory, fileSystem: fileSystem)
        var firstPrevious: [UInt8]?
        var lastHash: [UInt8] = []
        var lastTime = Int64.min
        var end = first.baseSequence
        var bytes: Int64 = 0
        for name in ofYear {
            let file = try fileSystem.openForReading(layout.segment(name))
            bytes += try file.size()
            file.close()
        }
        let after = names.first { $0.baseSequence > last.baseSequence }
        try reader.forEachBatch(from: first.baseSequence, stopAfter: (after?.baseSequence ?? .max) &- 1) { batch, _, _ throws(LogError) in
            guard ShanghaiTime.year(ofMicroseconds: batch.header.firstRecordedAt) == year else { return }
            if firstPrevious == nil { firstPrevious = batch.header.previousHash }
            lastHash = batch.hash()
            lastTime = batch.header.lastRecordedAt
            end = batch.header.nextSequence
        }
        guard let firstPrevious, end > first.baseSequence else { throw .sealingRefused(year: year, reason: "the log holds no event recorded in \(year)") }
        return SealingPlan(year: year, segments: ofYear, sequences: first.baseSequence..<end, firstPreviousHash: firstPrevious,
                           lastLiveBatchHash: lastHash, lastRecordedAt: lastTime, liveBytes: bytes)
    }

    /// Writes the year's archive segments, indexes and link into a fresh `archive/<year>.tmp/`
    /// (removing one left by an earlier attempt) and returns the directory and what it holds.
    public func prepareSealing(_ plan: SealingPlan) throws(LogError) -> (directory: String, written: SealedYearWriter.Written) {
        guard !isBusy else { throw .sealingRefused(year: plan.year, reason: "the writer has appends in flight") }
        let fileSystem = options.fileSystem
        let directory = layout.sealingDirectory(plan.year)
        try fileSystem.createDirectory(layout.archive)
        try Self.removeTree(directory, fileSystem: fileSystem)
        let reader = try LogReader(directory: layout.directory, fileSystem: fileSystem)
        let written = try SealedYearWriter.write(plan, from: reader, into: directory, fileSystem: fileSystem)
        return (directory, written)
    }

    /// Commits a prepared year: makes its files read-only, renames the directory into place,
    /// syncs `archive/`, then removes the year's live segments and their indexes.
    public func commitSealing(_ plan: SealingPlan) throws(LogError) {
        guard !isBusy else { throw .sealingRefused(year: plan.year, reason: "the writer has appends in flight") }
        let fileSystem = options.fileSystem
        let directory = layout.sealingDirectory(plan.year)
        for name in try fileSystem.contentsOfDirectory(directory) {
            if name == LogLayout.sealedAttachmentsFolder {
                let folder = directory + "/" + name
                for file in try fileSystem.contentsOfDirectory(folder) { try fileSystem.makeReadOnly(folder + "/" + file) }
                try fileSystem.syncDirectory(folder)
            } else {
                try fileSystem.makeReadOnly(directory + "/" + name)
            }
        }
        try fileSystem.syncDirectory(directory)
        if let active = state.active, plan.segments.contains(active.name) {
            active.file.close()
            state.active = nil
        }
        try fileSystem.rename(directory, to: layout.sealedYear(plan.year))
        try fileSystem.syncDirectory(layout.archive)
        try removeLeftoverSegments()
    }

    /// Removes live segments (and their indexes) of years already sealed.
    func removeLeftoverSegments() throws(LogError) {
        let leftovers = try layout.leftoverSegments(options.fileSystem)
        guard !leftovers.isEmpty else { return }
        for name in leftovers {
            // The index first: an index without its segment would mean a segment lost.
            if options.fileSystem.fileExists(layout.index(name)) { try options.fileSystem.removeFile(layout.index(name)) }
            try options.fileSystem.removeFile(layout.segment(name))
        }
        try options.fileSystem.syncDirectory(layout.segments)
    }

    /// Removes a directory of files, if present: a sealing directory, with its folder of
    /// attachments (`LogLayout.sealedAttachmentsFolder`), the only one nested.
    static func removeTree(_ directory: String, fileSystem: any FileSystem) throws(LogError) {
        guard fileSystem.fileExists(directory) else { return }
        for name in try fileSystem.contentsOfDirectory(directory) {
            if name == LogLayout.sealedAttachmentsFolder {
                try removeTree(directory + "/" + name, fileSystem: fileSystem)
            } else {
                try fileSystem.removeFile(directory + "/" + name)
            }
        }
        try fileSystem.removeDirectory(directory)
    }
}
