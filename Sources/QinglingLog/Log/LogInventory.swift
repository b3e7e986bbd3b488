extension LogLayout {
    /// The segments that make up the log, in sequence order (see `listSegments`), after checking
    /// that none is visibly missing (`docs/format.md` §1.4):
    /// - `segments/` exists (the writer creates it with the log);
    /// - the first segment starts at sequence 0;
    /// - every index file has its segment (an index is written only for a segment that exists,
    ///   and a segment is removed only with its year's sealing, which removes its index first).
    ///
    /// Gaps between segments, and a last segment that its writer finished for a later one, are
    /// found by the readers as they read (`LogReader`), since they need the segments' contents.
    func checkedSegments(_ fileSystem: any FileSystem) throws(LogError) -> [SegmentName] {
        guard fileSystem.fileExists(segments) else {
            throw .corrupt(path: segments, offset: 0, reason: "the log's segments directory is missing (log.meta is present): every segment is gone; restore it from a copy")
        }
        // A seal that commits between listing the sealed years and listing the live segments
        // (whose year's segments then go) would show a gap that is not there: list again.
        var sealed = try sealedYears(fileSystem)
        var names = try listSegments(fileSystem, sealed: sealed)
        for _ in 0..<8 {
            let now = try sealedYears(fileSystem)
            if now == sealed { break }
            sealed = now
            names = try listSegments(fileSystem, sealed: sealed)
        }
        if let first = names.first, first.baseSequence != 0 {
            throw .corrupt(path: segment(first), offset: 0, reason: "the log's first segment starts at sequence \(first.baseSequence): the segments holding sequences 0–\(first.baseSequence - 1) are missing; restore them from a copy")
        }
        try checkEveryIndexHasItsSegment(names, sealed: sealed, fileSystem: fileSystem)
        return names
    }

    /// An index file whose segment is absent means the segment was removed. (Sealing removes a
    /// live segment's index before the segment, so a reader listing the folders one after the
    /// other never sees an index without its segment.)
    private func checkEveryIndexHasItsSegment(_ names: [SegmentName], sealed: [Int], fileSystem: any FileSystem) throws(LogError) {
        let present = Set(names.map { $0.stem + ($0.sealed ? "@sealed" : "") })
        var folders: [(path: String, sealed: Bool)] = sealed.map { (sealedYear($0), true) }
        if fileSystem.fileExists(indexes) { folders.append((indexes, false)) }
        for folder in folders {
            for file in try fileSystem.contentsOfDirectory(folder.path) where file.hasSuffix(".qlidx") {
                let stem = String(file.dropLast(".qlidx".count))
                guard let name = SegmentName(fileName: stem + SegmentName.suffix) else { continue }
                if !folder.sealed && sealed.contains(name.year) { continue }
                guard present.contains(stem + (folder.sealed ? "@sealed" : "")) else {
                    throw .corrupt(path: folder.path + "/" + name.fileName, offset: 0, reason: "the segment is missing, but its index \(folder.path)/\(file) is present: the segment was removed; restore it from a copy")
                }
            }
        }
    }
}

extension LogLayout {
    /// The position in `names` of the log's tail segment: the last one holding more than its
    /// header. Header-only segments after it are left by a roll whose first batch was never
    /// written (the new segment is created before the old one gets its finishing sync mark,
    /// which a crash can then tear), so damage at the end of the tail segment is judged as the
    /// end of the log (`docs/format.md` §7.2). 0 for a log of header-only segments.
    func tailPosition(of names: [SegmentName], fileSystem: any FileSystem) throws(LogError) -> Int {
        var position = names.count - 1
        while position > 0, !names[position].sealed {
            let file = try fileSystem.openForReading(segment(names[position]))
            let size: Int64
            do throws(LogError) { size = try file.size() } catch {
                file.close()
                throw error
            }
            file.close()
            guard size == Int64(SegmentHeader.size) else { break }
            position -= 1
        }
        return max(position, 0)
    }
}
