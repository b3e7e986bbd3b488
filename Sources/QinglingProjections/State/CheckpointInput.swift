import CFileSystemType
import Glibc

/// A checkpoint file open for reading: its sections read with `pread` into arrays of their own
/// or, where that cannot fault, seen where they lie in the page cache through a read-only
/// mapping (`mapped(_:)`): the timelines section is hundreds of megabytes at millions of
/// hazards, and copying it out cost a warm answer more time than decoding it.
///
/// A fault in a mapping kills the process (`SIGBUS`): when the file is cut short under it, or
/// when a page cannot be read from the disk. So a file is mapped only when
/// - it is a regular file of this process's user (or root's) that no one may write (a saved
///   checkpoint is made read-only before it is renamed into place, `ProjectionStore.write`,
///   and is replaced by renaming, never changed in place): only root, or its owner changing
///   its mode first, can cut it;
/// - it lies on a local file system (ext4, XFS, Btrfs, tmpfs);
/// and a range is given out only once every page of it is in memory and mapped
/// (`MADV_POPULATE_READ`, which reports a page the disk cannot give as an error, not a fault).
/// What remains is a page the kernel drops under memory pressure while it is decoded and the
/// disk then fails to give again. (One the disk gives back changed is found: the section's
/// checksum is taken once it is decoded, `CheckpointLayout`.) Anywhere else, or on a kernel
/// without `MADV_POPULATE_READ`, every section is read with `pread`.
final class CheckpointInput: @unchecked Sendable {  // read from several threads: nothing in it changes
    /// The file's size when it was opened.
    let size: Int
    private let descriptor: Int32
    /// The whole file, read-only, when it may be mapped (see above).
    private let mapping: UnsafeRawBufferPointer?

    /// Opens the file at `path`; `nil` when it cannot be opened, is not a regular file or its
    /// size cannot be told. (Opened without blocking: a FIFO at the path is refused, not waited on.)
    init?(path: String) {
        var descriptor: Int32
        repeat { descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK) } while descriptor < 0 && errno == EINTR
        guard descriptor >= 0 else { return nil }
        var facts = stat()
        guard fstat(descriptor, &facts) == 0, facts.st_mode & S_IFMT == S_IFREG, let size = Int(exactly: facts.st_size) else {
            _ = close(descriptor)
            return nil
        }
        self.descriptor = descriptor
        self.size = size
        mapping = Self.mayMap(facts, descriptor: descriptor) ? Self.map(descriptor, size: size) : nil
    }

    deinit {
        if let base = mapping?.baseAddress { _ = munmap(UnsafeMutableRawPointer(mutating: base), size) }
        _ = close(descriptor)
    }

    /// The bytes of `range` in an array of their own; `nil` when they cannot all be read.
    func read(_ range: Range<Int>) -> ArraySlice<UInt8>? {
        guard range.lowerBound >= 0, range.upperBound <= size else { return nil }
        var failed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: range.count) { buffer, initialized in
            while initialized < range.count {
                let count = pread(descriptor, buffer.baseAddress.map { $0 + initialized }, range.count - initialized,
                                  off_t(range.lowerBound + initialized))
                if count < 0, errno == EINTR { continue }
                guard count > 0 else {
                    failed = true
                    return
                }
                initialized += count
            }
        }
        return failed ? nil : bytes[...]
    }

    /// The bytes of `range` where they lie in the file's mapping, every page of them in memory;
    /// `nil` when the file is not mapped or the pages cannot all be brought in (then `read`).
    func mapped(_ range: Range<Int>) -> UnsafeRawBufferPointer? {
        guard let mapping, range.lowerBound >= 0, range.upperBound <= size else { return nil }
        guard !range.isEmpty else { return UnsafeRawBufferPointer(rebasing: mapping[range]) }
        // `madvise` takes a page-aligned start.
        let page = Int(sysconf(Int32(_SC_PAGESIZE))), start = range.lowerBound / page * page
        guard let base = mapping.baseAddress,
              madvise(UnsafeMutableRawPointer(mutating: base + start), range.upperBound - start, Self.populateRead) == 0 else { return nil }
        return UnsafeRawBufferPointer(rebasing: mapping[range])
    }

    /// `MADV_POPULATE_READ` (Linux 5.14): maps every page of a range readable, reading what is
    /// not in memory, and returns an error where an access would fault. Glibc's headers have
    /// it, Swift's Glibc module does not.
    private static let populateRead: Int32 = 22

    /// Local file systems, whose pages fault only on a disk error (`statfs(2)`'s magic numbers):
    /// ext4, XFS, Btrfs, tmpfs.
    private static let localFileSystems: Set<Int> = [0xEF53, 0x5846_5342, 0x9123_683E, 0x0102_1994]

    /// Whether the file `facts` describes may be mapped: owned by this process's user or root,
    /// writable by no one, on a local file system.
    private static func mayMap(_ facts: stat, descriptor: Int32) -> Bool {
        (facts.st_uid == geteuid() || facts.st_uid == 0) && facts.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH) == 0
            && localFileSystems.contains(qingling_file_system_type(descriptor))
    }

    /// The file read-only and shared (its pages are the page cache's), or `nil`.
    private static func map(_ descriptor: Int32, size: Int) -> UnsafeRawBufferPointer? {
        guard size > 0, let base = mmap(nil, size, PROT_READ, MAP_SHARED, descriptor, 0), base != MAP_FAILED else { return nil }
        return UnsafeRawBufferPointer(start: base, count: size)
    }
}
