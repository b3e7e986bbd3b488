/// Damage at the end of a log's last segment, as `LogRecovery.inspect` finds it.
public struct TailDamage: Equatable, Sendable {
    /// The segment file.
    public var segment: String
    /// Where the damage starts, and how many bytes lie from there to the end of the file.
    public var offset: Int64
    public var bytes: Int64
    /// What is wrong at `offset`.
    public var reason: String
    /// A torn tail, damage to acknowledged data, or ambiguous.
    public var kind: DamageKind
    /// Intact-looking batch headers in the bytes from the damage on: how many, and the sequences
    /// they claim. A cut moves these aside with the rest.
    public var batchesAfter: Int
    public var sequencesAfter: ClosedRange<UInt64>?
}

/// Finding and cutting damage at the end of a log (`qingling status`, `qingling recover`).
///
/// The writer cuts a torn tail by itself (`docs/format.md` §7.2) and refuses to open at any other
/// damage. `cut` is the explicit step for ambiguous damage (a segment written before sync
/// marks): it moves the bytes from the damage on aside to `recovered/`, as the writer does with a
/// torn tail. Damage to acknowledged data is never cut: the segment must be restored from a copy.
public enum LogRecovery {
    /// The damage at the end of the log's last live segment, or `nil` when it reads to its end.
    /// Where the segment's index shows more bytes were synced than are valid, it is damage to
    /// acknowledged data (also when the valid bytes end cleanly: then of 0 bytes), as the writer
    /// and the readers judge it. A last segment its writer finished for a later one, which is
    /// absent, is an error, as for them. Reads only: takes no lock, writes nothing.
    public static func inspect(directory: String, fileSystem: any FileSystem = PosixFileSystem()) throws(LogError) -> TailDamage? {
        let layout = LogLayout(directory: directory)
        _ = try LogMetadata.read(directory: directory, fileSystem: fileSystem)
        let names = try layout.checkedSegments(fileSystem)
        guard !names.isEmpty else { return nil }
        let last = names[try layout.tailPosition(of: names, fileSystem: fileSystem)]
        guard !last.sealed else { return nil }
        let scan = try SegmentScan.run(last, layout: layout, fileSystem: fileSystem)
        if scan.damage == nil, scan.finishedByWriter, last == names.last {
            throw LogOpener.missingSuccessor(layout.segment(last), next: scan.builder.nextSequence)
        }
        // The index is written only once the bytes it covers are synced: if it covers more than
        // the valid bytes, synced data was lost, whatever the damage looks like (or if none shows).
        let claimed = SegmentIndex.claimedBytes(last, layout: layout, fileSystem: fileSystem) ?? 0
        guard scan.damage != nil || claimed > scan.end else { return nil }
        var kind = scan.damage?.kind ?? .acknowledged
        var reasons = scan.damage.map { [$0.reason] } ?? []
        if claimed > scan.end {
            kind = .acknowledged
            reasons.append("the segment's index shows \(claimed) bytes were written and synced, but only \(scan.end) are valid")
        }
        let path = layout.segment(last)
        let file = try fileSystem.openForReading(path)
        defer { file.close() }
        let tail = try file.read(at: scan.end, count: Int(scan.fileSize - scan.end))
        var batches = 0
        var sequences: ClosedRange<UInt64>?
        // From the damage itself: the batch there may look whole (the first batch of an append
        // never committed, or one whose payload is damaged), and is moved aside with the rest.
        var position = 0
        while position + BatchHeader.size <= tail.count {
            if tail[position] == BatchHeader.magic[0], let header = try? BatchHeader.decode(tail[position..<position + BatchHeader.size]) {
                batches += 1
                let claimed = header.baseSequence...(header.nextSequence - 1)
                sequences = sequences.map { min($0.lowerBound, claimed.lowerBound)...max($0.upperBound, claimed.upperBound) } ?? claimed
            }
            position += 1
        }
        return TailDamage(segment: path, offset: scan.end, bytes: scan.fileSize - scan.end, reason: reasons.joined(separator: "; "),
                          kind: kind, batchesAfter: batches, sequencesAfter: sequences)
    }

    /// Moves the bytes from `damage.offset` to the end of its segment aside to `recovered/`
    /// (synced), then cuts and syncs the segment. Holds the writer's lock, and first checks that
    /// the log still shows exactly `damage` (as shown to whoever asked for the cut). Refuses
    /// damage to acknowledged data. Returns where the bytes were saved.
    public static func cut(_ damage: TailDamage, directory: String, fileSystem: any FileSystem = PosixFileSystem()) throws(LogError) -> String {
        guard damage.kind != .acknowledged else {
            throw .corrupt(path: damage.segment, offset: damage.offset, reason: damage.reason + "; a valid batch or sync mark after it shows these bytes had been synced: this damage is not cut; restore the segment from a copy")
        }
        let layout = LogLayout(directory: directory)
        let lock = try fileSystem.lockExclusively(layout.lock)
        defer { lock.release() }
        guard let current = try inspect(directory: directory, fileSystem: fileSystem), current == damage,
              let name = try layout.checkedSegments(fileSystem).first(where: { layout.segment($0) == damage.segment })
        else {
            throw .changedMeanwhile(directory: directory, reason: "its last segment is no longer as inspected; inspect it again")
        }
        return try LogRepairs.cutTail(.init(segment: name, offset: damage.offset, fileSize: damage.offset + damage.bytes, reason: damage.reason),
                                      layout: layout, fileSystem: fileSystem)
    }
}
