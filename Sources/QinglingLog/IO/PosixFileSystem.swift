#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage

/// The production `FileSystem`: POSIX calls through swift-system, retried on `EINTR`.
public struct PosixFileSystem: FileSystem {
    public init() {}

    public func openForReading(_ path: String) throws(LogError) -> any FileHandle {
        try PosixFileHandle(path: path, mode: .readOnly, options: [])
    }

    public func openForWriting(_ path: String, create: Bool) throws(LogError) -> any FileHandle {
        // A file to create is never reached through a link planted at its name (`ELOOP`).
        try PosixFileHandle(path: path, mode: .readWrite, options: create ? [.create, .noFollow] : [])
    }

    public func createDirectory(_ path: String) throws(LogError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw .io(operation: "create directory", path: prefix, errno: errno)
            }
        }
    }

    public func contentsOfDirectory(_ path: String) throws(LogError) -> [String] {
        guard let directory = opendir(path) else {
            throw .io(operation: "list directory", path: path, errno: errno)
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    public func fileExists(_ path: String) -> Bool {
        // `lstat`, not `access`: a link is a name taken even when it leads nowhere (a file
        // created there with `O_NOFOLLOW` would be refused).
        var facts = stat()
        return lstat(path, &facts) == 0
    }

    public func rename(_ source: String, to destination: String) throws(LogError) {
        if Glibc.rename(source, destination) != 0 {
            throw .io(operation: "rename to \(destination)", path: source, errno: errno)
        }
    }

    public func removeFile(_ path: String) throws(LogError) {
        if unlink(path) != 0 {
            throw .io(operation: "remove", path: path, errno: errno)
        }
    }

    public func removeDirectory(_ path: String) throws(LogError) {
        if rmdir(path) != 0 {
            throw .io(operation: "remove directory", path: path, errno: errno)
        }
    }

    public func makeReadOnly(_ path: String) throws(LogError) {
        if chmod(path, 0o444) != 0 {
            throw .io(operation: "make read-only", path: path, errno: errno)
        }
    }

    public func syncDirectory(_ path: String) throws(LogError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY)
        if descriptor < 0 { throw .io(operation: "open directory", path: path, errno: errno) }
        defer { _ = Glibc.close(descriptor) }
        if fsync(descriptor) != 0 { throw .io(operation: "fsync directory", path: path, errno: errno) }
    }

    public func lockExclusively(_ path: String) throws(LogError) -> any DirectoryLock {
        let directory = String(path.prefix(upTo: path.lastIndex(of: "/") ?? path.endIndex))
        // A lock file removed and made again between our open and our flock (a log whose
        // creation failed is taken away) is not the one the path names: open it again.
        for _ in 0..<8 {
            let (descriptor, opened) = try Self.openLockFile(path, directory: directory)
            if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
                let code = errno
                let holder = Self.readPID(descriptor)
                _ = Glibc.close(descriptor)
                if code == EWOULDBLOCK { throw .locked(directory: directory, holderPID: holder) }
                throw .io(operation: "lock", path: path, errno: code)
            }
            var named = stat()
            guard lstat(path, &named) == 0, named.st_dev == opened.st_dev, named.st_ino == opened.st_ino else {
                _ = Glibc.close(descriptor)
                continue
            }
            let pid = Array("\(getpid())\n".utf8)
            _ = ftruncate(descriptor, 0)
            _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
            return PosixDirectoryLock(descriptor: descriptor)
        }
        throw .locked(directory: directory, holderPID: nil)
    }

    /// Opens (creating) the lock file: never through a symbolic link (`O_NOFOLLOW`), never
    /// waiting on a FIFO (`O_NONBLOCK`), not inherited by a child (`O_CLOEXEC`), and only a
    /// regular file; anything else there is refused, naming what it is.
    private static func openLockFile(_ path: String, directory: String) throws(LogError) -> (Int32, stat) {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o644)
        var info = stat()
        if descriptor < 0 {
            let code = errno
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG else {
                throw .io(operation: "open lock file", path: path, errno: code)
            }
        } else if fstat(descriptor, &info) != 0 {
            let code = errno
            _ = Glibc.close(descriptor)
            throw .io(operation: "stat lock file", path: path, errno: code)
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            if descriptor >= 0 { _ = Glibc.close(descriptor) }
            throw .notALog(directory: directory, reason: "its LOCK is \(kind(of: info.st_mode)), not a regular file; the writer neither follows nor opens anything else there (remove it, after finding out how it got there)")
        }
        return (descriptor, info)
    }

    /// What is at `path`, not following a link ("a regular file", "a directory", "a symbolic
    /// link", …), or nil when nothing is; any other failure to tell is the system's error.
    public static func entry(at path: String) throws(LogError) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT { return nil }
            throw .io(operation: "stat", path: path, errno: code)
        }
        return kind(of: info.st_mode)
    }

    /// What kind of file a `st_mode` says, for messages.
    private static func kind(of mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFREG: return "a regular file"
        case S_IFLNK: return "a symbolic link"
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        case S_IFCHR, S_IFBLK: return "a device"
        default: return "a file of an unknown kind"
        }
    }

    private static func readPID(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, 32, 0) }
        guard count > 0 else { return nil }
        let digits = buffer[..<count].prefix(while: { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        return Int32(String(decoding: digits, as: UTF8.self))
    }
}

final class PosixDirectoryLock: DirectoryLock {
    private var descriptor: Int32

    init(descriptor: Int32) { self.descriptor = descriptor }

    func release() {
        guard descriptor >= 0 else { return }
        _ = flock(descriptor, LOCK_UN)
        _ = Glibc.close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}

final class PosixFileHandle: FileHandle {
    let path: String
    private let descriptor: FileDescriptor
    private var isClosed = false

    init(path: String, mode: FileDescriptor.AccessMode, options: FileDescriptor.OpenOptions) throws(LogError) {
        self.path = path
        do {
            descriptor = try FileDescriptor.open(
                FilePath(path), mode, options: options.union(.closeOnExec),
                permissions: [.ownerReadWrite, .groupRead, .otherRead])
        } catch {
            throw .io(operation: "open", path: path, errno: (error as? Errno)?.rawValue ?? EIO)
        }
    }

    func read(at offset: Int64, count: Int) throws(LogError) -> [UInt8] {
        // Read into uninitialised room: a large file (a checkpoint) is not zero-filled first.
        var failure: Errno?
        let result = [UInt8](unsafeUninitializedCapacity: count) { raw, initialized in
            (initialized, failure) = fill(UnsafeMutableRawBufferPointer(raw), from: offset)
        }
        if let failure { throw .io(operation: "read", path: path, errno: failure.rawValue) }
        return result
    }

    func read(at offset: Int64, count: Int, into buffer: inout [UInt8]) throws(LogError) {
        buffer.resize(to: count)
        var outcome: (filled: Int, failure: Errno?) = (0, nil)
        buffer.withUnsafeMutableBytes { raw in outcome = fill(raw, from: offset) }
        if let failure = outcome.failure { throw .io(operation: "read", path: path, errno: failure.rawValue) }
        if outcome.filled < count { buffer.removeLast(count - outcome.filled) }
    }

    /// Reads into all of `raw` from `offset`, fewer bytes only at the end of the file: how many
    /// were read, and the error that stopped it.
    private func fill(_ raw: UnsafeMutableRawBufferPointer, from offset: Int64) -> (filled: Int, failure: Errno?) {
        var filled = 0
        while filled < raw.count {
            let got: Int
            do {
                got = try descriptor.read(fromAbsoluteOffset: offset + Int64(filled), into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...]))
            } catch {
                return (filled, (error as? Errno) ?? Errno(rawValue: EIO))
            }
            if got == 0 { break }
            filled += got
        }
        return (filled, nil)
    }

    func write(_ bytes: [UInt8], at offset: Int64) throws(LogError) {
        do {
            _ = try bytes.withUnsafeBytes { try descriptor.writeAll(toAbsoluteOffset: offset, $0) }
        } catch {
            throw .io(operation: "write", path: path, errno: (error as? Errno)?.rawValue ?? EIO)
        }
    }

    func size() throws(LogError) -> Int64 {
        do {
            return try descriptor.seek(offset: 0, from: .end)
        } catch {
            throw .io(operation: "stat", path: path, errno: (error as? Errno)?.rawValue ?? EIO)
        }
    }

    func truncate(to size: Int64) throws(LogError) {
        do {
            try descriptor.resize(to: size)
        } catch {
            throw .io(operation: "truncate", path: path, errno: (error as? Errno)?.rawValue ?? EIO)
        }
    }

    func sync() throws(LogError) {
        var result: Int32
        repeat { result = fdatasync(descriptor.rawValue) } while result != 0 && errno == EINTR
        if result != 0 { throw .io(operation: "fdatasync", path: path, errno: errno) }
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        try? descriptor.close()
    }

    deinit { close() }
}
