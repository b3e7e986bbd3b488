#if canImport(Glibc)
import Glibc
#endif

/// The file operations of the key store: whole-file reads, and replacements that are atomic
/// and durable (a temporary file in the same directory, mode 0600, written and synced, renamed
/// over the old one, the directory synced).
enum KeyStoreFiles {
    static func read(_ path: String) throws(KeyStoreError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            throw code == ENOENT ? .missing(path: path) : .io(operation: "open", path: path, errno: code)
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw .io(operation: "read", path: path, errno: errno) }
            if count == 0 { return bytes }
            bytes += chunk[0..<count]
            guard bytes.count <= 64 << 20 else { throw .notAKeyStore(path: path) }
        }
    }

    /// Writes `bytes` as the file at `path`: atomically, durably, mode 0600. With `exclusive`,
    /// refuses when the file exists.
    static func replace(_ path: String, with bytes: [UInt8], exclusive: Bool = false) throws(KeyStoreError) {
        let directory = Self.directory(of: path)
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .io(operation: "create", path: temporary, errno: errno) }
        var closed = false
        defer {
            if !closed { close(descriptor) }
            unlink(temporary)
        }
        // The mode a umask may have narrowed is set again, and never widened by it.
        guard fchmod(descriptor, 0o600) == 0 else { throw .io(operation: "chmod", path: temporary, errno: errno) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                guard let base = buffer.baseAddress else { return 0 }
                return write(descriptor, base + written, buffer.count - written)
            }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw .io(operation: "write", path: temporary, errno: errno) }
            written += count
        }
        guard fsync(descriptor) == 0 else { throw .io(operation: "fsync", path: temporary, errno: errno) }
        closed = true
        guard close(descriptor) == 0 else { throw .io(operation: "close", path: temporary, errno: errno) }
        if exclusive {
            // link(2) fails when the name is taken: no check-then-rename race.
            guard link(temporary, path) == 0 else {
                let code = errno
                throw code == EEXIST ? .exists(path: path) : .io(operation: "link", path: path, errno: code)
            }
        } else {
            guard rename(temporary, path) == 0 else { throw .io(operation: "rename", path: path, errno: errno) }
        }
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryDescriptor >= 0 else { throw .io(operation: "open", path: directory, errno: errno) }
        defer { close(directoryDescriptor) }
        guard fsync(directoryDescriptor) == 0 else { throw .io(operation: "fsync", path: directory, errno: errno) }
    }

    /// Runs `body` holding an exclusive lock on `path` + `.lock` (waiting for it): one change
    /// of the key store at a time, across processes.
    static func withLock<T>(_ path: String, _ body: () throws(KeyStoreError) -> T) throws(KeyStoreError) -> T {
        let lockPath = path + ".lock"
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .io(operation: "open", path: lockPath, errno: errno) }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw .io(operation: "flock", path: lockPath, errno: errno) }
        }
        return try body()
    }

    /// `path` made absolute against the working directory, `.` and empty components dropped
    /// and `..` applied, without following links.
    static func absolute(_ path: String) -> String {
        var base = ""
        if !path.hasPrefix("/"), let cwd = getcwd(nil, 0) {
            base = String(cString: cwd)
            free(cwd)
        }
        var parts: [Substring] = []
        for part in (base + "/" + path).split(separator: "/") {
            switch part {
            case ".": continue
            case "..": _ = parts.popLast()
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The canonical absolute path of `path`'s directory joined with its last component (the
    /// file itself need not exist), or `nil` when the directory cannot be resolved.
    static func canonical(_ path: String) -> String? {
        let directory = Self.directory(of: path)
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let resolved = realpath(directory, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved) + "/" + name
    }
}
