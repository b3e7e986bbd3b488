/// Takes a log whose creation failed (a full disk while writing `log.meta`, say) away again, so
/// that the directory is as it was before: the files the creation made (`log.meta.tmp`,
/// `log.meta`, `segments/`, and `LOCK` when it was not there before) are removed, and so are the
/// directories the opening made (the log directory and any missing parents), each only if empty.
///
/// Made before the opening creates anything; a log that already has `log.meta` needs none.
struct LogCreationUndo {
    let layout: LogLayout
    let fileSystem: any FileSystem
    /// The directories that do not exist yet, the log directory first, then its missing parents.
    let missingDirectories: [String]
    let lockExisted: Bool

    init(layout: LogLayout, fileSystem: any FileSystem) {
        self.layout = layout
        self.fileSystem = fileSystem
        var missing: [String] = []
        var path = layout.directory
        while !path.isEmpty, path != "/", !fileSystem.fileExists(path) {
            missing.append(path)
            path = String(path.prefix(upTo: path.lastIndex(of: "/") ?? path.startIndex))
        }
        missingDirectories = missing
        lockExisted = fileSystem.fileExists(layout.lock)
    }

    /// Undoes a failed creation. `holdingLock`: the opening took the lock and found no
    /// `log.meta` under it, so the log's files in the directory are this creation's own; without
    /// the lock only the empty directories it made are removed.
    ///
    /// Failures here are not reported: the error that made the creation fail is, and whatever
    /// is left (`LOCK`, `log.meta.tmp`) is what `checkDirectoryCanHoldALog` accepts next time.
    func undo(holdingLock: Bool) {
        if holdingLock {
            for path in [layout.metadata + LogLayout.temporarySuffix, layout.metadata] where fileSystem.fileExists(path) {
                try? fileSystem.removeFile(path)
            }
            if fileSystem.fileExists(layout.segments) { try? fileSystem.removeDirectory(layout.segments) }
            if !lockExisted { try? fileSystem.removeFile(layout.lock) }
        }
        for directory in missingDirectories { try? fileSystem.removeDirectory(directory) }
    }
}
