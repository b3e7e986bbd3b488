#if canImport(Glibc)
import Glibc
#endif

/// Asks the kernel to back the `bytes` from `start` (memory not touched yet) with transparent
/// huge pages (2 MiB), on Linux where the system allows them on request
/// (`/sys/kernel/mm/transparent_hugepage/enabled`: `madvise` or `always`).
///
/// The state's tables are hundreds of megabytes read at random: with 4 KiB pages nearly every
/// look-up also misses the TLB, and its page walk misses the cache. Huge pages cut that cost,
/// and the page faults of filling the tables. Only advice: where it is refused, nothing
/// changes but speed.
///
/// Only for memory read at random (tables' slots, timeline entries, the parties' newest links).
/// Arrays only ever appended to (party links, long keys, key locations) stay in ordinary pages:
/// they gain nothing in address translation, and on a virtual machine a fresh huge page can
/// cost many times its 4 KiB pages' first touches (the kernel recycles small pages freed a
/// moment before; a huge page often comes fresh from the hypervisor: `docs/performance.md`).
func adviseHugePages(_ start: UnsafeMutableRawPointer, bytes: Int) {
    #if os(Linux)
    let hugePage = EngineTuning.hugePageBytes
    guard bytes >= 2 * hugePage else { return }
    let first = (Int(bitPattern: start) + hugePage - 1) & ~(hugePage - 1)
    let end = (Int(bitPattern: start) + bytes) & ~(hugePage - 1)
    guard end > first, let pages = UnsafeMutableRawPointer(bitPattern: first) else { return }
    _ = madvise(pages, end - first, MADV_HUGEPAGE)
    #endif
}

extension Array {
    /// Makes room for at least `minimum` elements, the new room in huge pages where large
    /// (`adviseHugePages`).
    mutating func reserveCapacityInHugePages(_ minimum: Int) {
        guard minimum > capacity else { return }
        reserveCapacity(minimum)
        let bytes = capacity * MemoryLayout<Element>.stride
        withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress { adviseHugePages(UnsafeMutableRawPointer(base), bytes: bytes) }
        }
    }

    /// Makes room for `extra` more elements, doubling the capacity as `append` would, the new
    /// room in huge pages where large (`adviseHugePages`).
    @inline(__always)
    mutating func makeRoomInHugePages(for extra: Int) {
        if count + extra > capacity { growInHugePages(for: extra) }
    }

    @inline(never)
    private mutating func growInHugePages(for extra: Int) {
        reserveCapacityInHugePages(Swift.max(count + extra, capacity * 2))
    }
}
