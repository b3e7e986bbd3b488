import Synchronization

/// Checks, the first time an index's sparse entry is used, that its segment really has a batch
/// boundary there: a valid batch (header and payload checksums, the entry's sequence, recorded
/// times in the segment's year) at the entry's offset, ending within the bytes the index
/// covers. A read started at an offset the index merely claimed could begin inside a batch or
/// at a batch of another sequence, and skip records; probing each entry once, on use, costs a
/// read of one batch instead of a walk over every batch header when the index is opened.
final class SparseEntryProbe: Sendable {
    private let segment: String
    private let name: SegmentName
    private let coveredBytes: Int64
    private let fileSystem: any FileSystem
    /// What the probe found for each entry it checked, by the entry's position.
    private let verdicts = Mutex<[Int: Bool]>([:])

    init(segment: String, name: SegmentName, coveredBytes: Int64, fileSystem: any FileSystem) {
        self.segment = segment
        self.name = name
        self.coveredBytes = coveredBytes
        self.fileSystem = fileSystem
    }

    /// Whether the segment holds a valid batch starting at `entry` (the index's entry at
    /// `position`). A failure to read counts as no: the caller then starts at the segment's first
    /// batch, and meets the failure there if it lasts.
    func holdsBatch(_ entry: SegmentIndex.SparseEntry, at position: Int) -> Bool {
        if let known = verdicts.withLock({ $0[position] }) { return known }
        let found = probe(entry)
        verdicts.withLock { $0[position] = found }
        return found
    }

    private func probe(_ entry: SegmentIndex.SparseEntry) -> Bool {
        guard let file = try? fileSystem.openForReading(segment) else { return false }
        defer { file.close() }
        var scanner = SegmentScanner(file: file, path: segment, name: name, fileSize: coveredBytes, offset: entry.offset, nextSequence: entry.sequence)
        guard case .batch = try? scanner.next() else { return false }
        return true
    }
}
