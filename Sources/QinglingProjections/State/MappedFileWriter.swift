import Dispatch
import Glibc
import QinglingLog

/// Writes a file of pieces one after another through a shared mapping, the pieces copied side
/// by side. `write` copies into the page cache on one thread at a time per file (ext4 holds the
/// file's lock while it copies), and a checkpoint is hundreds of megabytes: mapped, the copy
/// and the page faults behind it run on every processor. The file's blocks are reserved first
/// (`posix_fallocate`), so that a full disk is an error thrown here, never a fault in the copy.
enum MappedFileWriter {
    /// Creates (or empties) the file at `path` and writes `pieces` into it, in order. Nothing
    /// is synced: the caller renames the file into place once this returns.
    static func write(_ pieces: [[UInt8]], to path: String) throws(LogError) {
        let size = pieces.reduce(0) { $0 + $1.count }
        let descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .io(operation: "open", path: path, errno: errno) }
        defer { _ = close(descriptor) }
        guard size > 0 else { return }
        let reserved = posix_fallocate(descriptor, 0, off_t(size))  // the error number, not errno
        guard reserved == 0 else { throw .io(operation: "fallocate", path: path, errno: reserved) }
        guard let mapping = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, descriptor, 0), mapping != MAP_FAILED else {
            throw .io(operation: "mmap", path: path, errno: errno)
        }
        defer { _ = munmap(mapping, size) }
        let offsets = pieces.reduce(into: [0]) { offsets, piece in offsets.append(offsets[offsets.count - 1] + piece.count) }
        // The largest first, so that the processors finish together.
        let order = pieces.indices.sorted { pieces[$0].count > pieces[$1].count }
        nonisolated(unsafe) let base = mapping  // each piece copied to its own range
        DispatchQueue.concurrentPerform(iterations: order.count) { index in
            let piece = order[index]
            pieces[piece].withUnsafeBytes { bytes in
                guard let source = bytes.baseAddress else { return }  // an empty piece
                (base + offsets[piece]).copyMemory(from: source, byteCount: bytes.count)
            }
        }
    }
}
