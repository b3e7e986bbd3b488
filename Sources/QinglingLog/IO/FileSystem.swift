/// The log's one seam to the file system.
///
/// Every file operation of the log goes through a `FileSystem`, so that tests can inject
/// `ENOSPC`, `EIO` on write or on sync, short writes and crashes (see `FaultInjectingFileSystem`
/// in the tests). `PosixFileSystem` is the production implementation.
public protocol FileSystem: Sendable {
    /// Opens an existing file for reading only.
    func openForReading(_ path: String) throws(LogError) -> any FileHandle
    /// Opens a file for reading and writing, creating it (mode 0644) when `create` is true; a
    /// file to create is never opened through a symbolic link at `path` (refused instead).
    func openForWriting(_ path: String, create: Bool) throws(LogError) -> any FileHandle
    /// Creates a directory (and its missing parents); succeeds when it already exists.
    func createDirectory(_ path: String) throws(LogError)
    /// The names (not paths) of the entries of a directory, `.` and `..` left out.
    func contentsOfDirectory(_ path: String) throws(LogError) -> [String]
    /// Whether anything exists at `path`: a symbolic link counts, wherever it leads.
    func fileExists(_ path: String) -> Bool
    /// Atomically renames a file within one file system.
    func rename(_ source: String, to destination: String) throws(LogError)
    /// Removes a file.
    func removeFile(_ path: String) throws(LogError)
    /// Removes an empty directory.
    func removeDirectory(_ path: String) throws(LogError)
    /// Makes a file read-only for everyone (mode 0444).
    func makeReadOnly(_ path: String) throws(LogError)
    /// Makes a directory's entries (created, renamed, removed files) durable.
    func syncDirectory(_ path: String) throws(LogError)
    /// Takes an exclusive advisory lock on `path` (created if missing) without waiting, writes
    /// this process's pid into it, and keeps it until the returned lock is released.
    func lockExclusively(_ path: String) throws(LogError) -> any DirectoryLock
}

/// An open file. Offsets are absolute; there is no shared file position.
public protocol FileHandle: AnyObject {
    /// The path the file was opened with, for error messages.
    var path: String { get }
    /// Reads up to `count` bytes at `offset`; fewer only at the end of the file.
    func read(at offset: Int64, count: Int) throws(LogError) -> [UInt8]
    /// Reads up to `count` bytes at `offset` into `buffer`, replacing its contents and reusing
    /// its storage when nothing else holds it (a scan then touches no fresh memory).
    func read(at offset: Int64, count: Int, into buffer: inout [UInt8]) throws(LogError)
    /// Writes all of `bytes` at `offset`, or throws. A throw may leave a prefix written.
    func write(_ bytes: [UInt8], at offset: Int64) throws(LogError)
    /// The current size of the file.
    func size() throws(LogError) -> Int64
    /// Cuts the file to `size` bytes.
    func truncate(to size: Int64) throws(LogError)
    /// Makes the file's data durable (`fdatasync`). After a failure the caller must not retry.
    func sync() throws(LogError)
    /// Closes the file. Further calls are invalid.
    func close()
}

/// An exclusive lock on a log directory, held until `release()` or process exit.
public protocol DirectoryLock: AnyObject {
    /// Releases the lock.
    func release()
}

extension FileHandle {
    /// Reads into a new array (file handles that do not reuse storage).
    public func read(at offset: Int64, count: Int, into buffer: inout [UInt8]) throws(LogError) {
        buffer = try read(at: offset, count: count)
    }
}
