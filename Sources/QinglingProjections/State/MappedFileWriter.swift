import CFileSystemType
import Dispatch
import Glibc
import QinglingLog

/// Writes a new file of pieces one after another, through a shared mapping where that is safe,
/// the pieces copied side by side. `write` copies into the page cache on one thread at a time
/// per file (ext4 holds the file's lock while it copies), and a checkpoint is hundreds of
/// megabytes: mapped, the copy and the page faults behind it run on every processor.
///
/// A fault while copying into a mapping kills the process (`SIGBUS`), so the mapping is used
/// only where none can come: on a local file system that reserves the file's blocks up front
/// (`posix_fallocate` on ext4, XFS or tmpfs: a full disk is then an error thrown here), in a
/// file this call created, which no other process opened (`O_EXCL`). Anywhere else, or when
/// the reservation or the mapping is refused for another reason than a full disk, the pieces
/// are written one after another with `pwrite`.
enum MappedFileWriter {
    /// Creates the file at `path`, which must not exist, and writes `pieces` into it, in
    /// order. Nothing is synced: the caller renames the file into place once this returns.
    static func write(_ pieces: [[UInt8]], toNewFile path: String) throws(LogError) {
        let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .io(operation: "open", path: path, errno: errno) }
        defer { _ = close(descriptor) }
        let size = pieces.reduce(0) { $0 + $1.count }
        guard size > 0 else { return }
        if try !writeMapped(pieces, size: size, to: descriptor, path: path) {
            try writeInOrder(pieces, to: descriptor, path: path)
        }
    }

    /// File systems whose `posix_fallocate` reserves the blocks, so that a fault in the mapping
    /// cannot come from a full disk: ext4, XFS, tmpfs (`statfs(2)`'s magic numbers).
    private static let reservingFileSystems: Set<Int> = [0xEF53, 0x5846_5342, 0x0102_1994]

    /// Copies `pieces` into the file through a shared mapping, side by side; `false` when the
    /// file system or the system refuses the mapping (nothing was written then).
    private static func writeMapped(_ pieces: [[UInt8]], size: Int, to descriptor: Int32, path: String) throws(LogError) -> Bool {
        guard reservingFileSystems.contains(qingling_file_system_type(descriptor)) else { return false }
        var reserved: Int32
        repeat { reserved = posix_fallocate(descriptor, 0, off_t(size)) } while reserved == EINTR  // the error number, not errno
        if reserved == ENOSPC || reserved == EFBIG || reserved == EIO { throw .io(operation: "fallocate", path: path, errno: reserved) }
        guard reserved == 0 else { return false }
        guard let mapping = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, descriptor, 0), mapping != MAP_FAILED else { return false }
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
        return true
    }

    /// Writes `pieces` one after another from the file's start.
    static func writeInOrder(_ pieces: [[UInt8]], to descriptor: Int32, path: String) throws(LogError) {
        var offset = 0
        for piece in pieces {
            var written = 0
            while written < piece.count {
                let count = piece.withUnsafeBytes { bytes in
                    pwrite(descriptor, bytes.baseAddress.map { $0 + written }, bytes.count - written, off_t(offset + written))
                }
                if count < 0 {
                    guard errno == EINTR else { throw .io(operation: "write", path: path, errno: errno) }
                    continue
                }
                guard count > 0 else { throw .io(operation: "write", path: path, errno: EIO) }  // never for a regular file
                written += count
            }
            offset += piece.count
        }
    }
}
