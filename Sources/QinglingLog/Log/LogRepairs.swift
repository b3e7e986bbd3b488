/// What the writer does to the log's files before it first writes, as opening found it
/// (`LogOpener`): held back so that opening a log, or an append that is then refused, changes
/// no segment.
struct LogRepairs {
    /// A torn tail to cut off the last segment, its bytes saved first.
    struct Cut {
        let segment: SegmentName
        let offset: Int64
        let fileSize: Int64
        let reason: String
    }

    /// `log.meta` of an older format version, raised to the current one.
    var metadata: LogMetadata?
    var cut: Cut?

    var isEmpty: Bool { metadata == nil && cut == nil }

    /// Carries the repairs out: the torn tail saved to `recovered/` and synced, then cut off
    /// and the segment synced; `log.meta` raised to the current version.
    func apply(_ layout: LogLayout, fileSystem: any FileSystem) throws(LogError) {
        if let cut { try Self.cutTail(cut, layout: layout, fileSystem: fileSystem) }
        if var metadata {
            metadata.version = LogMetadata.formatVersion
            try metadata.write(layout, fileSystem: fileSystem)
        }
    }

    /// Copies the bytes from the cut's offset to a side file in `recovered/`, syncs it, then cuts
    /// the segment there and syncs it. Returns where the bytes were saved.
    @discardableResult
    static func cutTail(_ cut: Cut, layout: LogLayout, fileSystem: any FileSystem) throws(LogError) -> String {
        let path = layout.segment(cut.segment)
        let file = try fileSystem.openForWriting(path, create: false)
        defer { file.close() }
        let tail = try file.read(at: cut.offset, count: Int(cut.fileSize - cut.offset))
        try fileSystem.createDirectory(layout.recovered)
        let savedTo = layout.freeRecoveredTail(cut.segment, offset: cut.offset, fileSystem: fileSystem)
        let side = try fileSystem.openForWriting(savedTo, create: true)
        defer { side.close() }
        try side.truncate(to: 0)
        try side.write(tail, at: 0)
        try side.sync()
        try fileSystem.syncDirectory(layout.recovered)
        try file.truncate(to: cut.offset)
        try file.sync()
        return savedTo
    }
}

extension LogLayout {
    /// The first name for a tail cut at `offset` of `name` not taken yet in `recovered/`.
    func freeRecoveredTail(_ name: SegmentName, offset: Int64, fileSystem: any FileSystem) -> String {
        var attempt = 0
        while fileSystem.fileExists(recoveredTail(name, offset: offset, attempt: attempt)) { attempt += 1 }
        return recoveredTail(name, offset: offset, attempt: attempt)
    }
}
