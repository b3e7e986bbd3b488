import Crypto

/// The derived index of one segment, `index/<segment stem>.qlidx`: where its batches start
/// (sparse, sequence → offset) and which sequences carry each stream key. See `docs/format.md`.
///
/// An index is a hint: any file may have been crafted, so nothing in it is used before it is
/// checked. `load` bounds every count by the file's size and checks the structure (checksums,
/// the sparse entries' order, the directory); `matching` ties the header to the segment (its
/// last batch is where, and what, it says); each stream block is checked as a lookup reads it;
/// a sparse entry is checked against the segment the first time it is used. A failed check
/// makes the index unusable (the caller scans the segment instead): it costs time, never an
/// answer. What remains trusted, and why, is in `docs/format.md` §6.4.
struct SegmentIndex: Sendable {
    static let magic: [UInt8] = Array("QLINDEX1".utf8)
    static let version: UInt16 = 1
    static let headerSize = 104
    static let blockEntries = 256
    /// A sparse entry is written for the first batch and then for the first batch at least this
    /// many bytes after the previous entry.
    static let sparseInterval: Int64 = 16 << 10

    struct SparseEntry: Equatable, Sendable { var sequence: UInt64; var offset: Int64 }
    struct StreamEntry: Comparable, Sendable {
        var keyHash: UInt64
        var sequence: UInt64
        static func < (a: StreamEntry, b: StreamEntry) -> Bool { (a.keyHash, a.sequence) < (b.keyHash, b.sequence) }
    }
    struct Block: Sendable { var firstKeyHash: UInt64; var count: Int; var checksum: UInt32; var fileOffset: Int64 }

    var baseSequence: UInt64
    var nextSequence: UInt64
    var coveredBytes: Int64
    var lastBatchOffset: Int64
    var lastRecordedAt: Int64
    var lastBatchHash: [UInt8]
    var sparse: [SparseEntry]
    var blocks: [Block]
    var streamEntryCount: Int
    /// Checks sparse entries against the segment when `startOffset(for:)` first uses them; set
    /// by `matching`. Without it only the first entry (the segment's first batch) is used.
    private var sparseProbe: SparseEntryProbe?

    /// Loads an index file's header, sparse entries and block directory, and checks them (see
    /// `checkStructure`): anything the file may hold ends in an index or a `.corrupt` error
    /// naming the file and the offset of what is wrong.
    static func load(path: String, fileSystem: any FileSystem) throws(LogError) -> SegmentIndex {
        let file = try fileSystem.openForReading(path)
        defer { file.close() }
        let fileSize = try file.size()
        let head = try file.read(at: 0, count: headerSize)
        guard head.count == headerSize, head[0..<8].elementsEqual(magic) else {
            throw .corrupt(path: path, offset: 0, reason: "not an index file")
        }
        guard CRC32C.checksum(head[0..<100]) == readLittleEndian(head, at: 100, as: UInt32.self) else {
            throw .corrupt(path: path, offset: 0, reason: "index header checksum mismatch")
        }
        let version: UInt16 = readLittleEndian(head, at: 8)
        guard version == Self.version else { throw .unsupportedVersion(path: path, found: Int(version), supported: Int(Self.version)) }
        guard readLittleEndian(head, at: 10, as: UInt16.self) == 0, readLittleEndian(head, at: 96, as: UInt32.self) == 0 else {
            throw .corrupt(path: path, offset: 0, reason: "reserved index header bytes are not zero")
        }
        let sparseCount = Int(readLittleEndian(head, at: 12, as: UInt32.self))
        let blockCount = Int(readLittleEndian(head, at: 56, as: UInt32.self))
        let entryCount = Int(readLittleEndian(head, at: 60, as: UInt32.self))
        guard blockCount == (entryCount + blockEntries - 1) / blockEntries else {
            throw .corrupt(path: path, offset: 56, reason: "index block count \(blockCount) does not match its entry count \(entryCount)")
        }
        // The counts say how long the file is: checked before anything is read (or allocated) by them.
        let expectedSize = Int64(headerSize + 8) + 16 * Int64(sparseCount + blockCount + entryCount)
        guard fileSize == expectedSize else {
            throw .corrupt(path: path, offset: 12, reason: "an index of \(sparseCount) sparse entries, \(blockCount) blocks and \(entryCount) stream entries is \(expectedSize) bytes long; the file has \(fileSize)")
        }
        let sparseOffset = Int64(headerSize)
        let sparseBytes = try file.read(at: sparseOffset, count: sparseCount * 16 + 4)
        guard sparseBytes.count == sparseCount * 16 + 4,
              CRC32C.checksum(sparseBytes[0..<sparseCount * 16]) == readLittleEndian(sparseBytes, at: sparseCount * 16, as: UInt32.self)
        else { throw .corrupt(path: path, offset: sparseOffset, reason: "sparse index checksum mismatch") }
        let sparse = (0..<sparseCount).map {
            SparseEntry(sequence: readLittleEndian(sparseBytes, at: $0 * 16), offset: readLittleEndian(sparseBytes, at: $0 * 16 + 8))
        }
        let directoryOffset = sparseOffset + Int64(sparseBytes.count)
        let directory = try file.read(at: directoryOffset, count: blockCount * 16 + 4)
        guard directory.count == blockCount * 16 + 4,
              CRC32C.checksum(directory[0..<blockCount * 16]) == readLittleEndian(directory, at: blockCount * 16, as: UInt32.self)
        else { throw .corrupt(path: path, offset: directoryOffset, reason: "stream block directory checksum mismatch") }
        var blocks: [Block] = []
        blocks.reserveCapacity(blockCount)
        var blockOffset = directoryOffset + Int64(directory.count)
        for index in 0..<blockCount {
            // Blocks of 256 entries, the last one shorter: so every block's place in the file is known.
            let expected = index < blockCount - 1 ? blockEntries : entryCount - blockEntries * (blockCount - 1)
            let count = Int(readLittleEndian(directory, at: index * 16 + 8, as: UInt32.self))
            guard count == expected else {
                throw .corrupt(path: path, offset: directoryOffset + Int64(index * 16 + 8),
                               reason: "stream block \(index) claims \(count) entries; it must hold \(expected)")
            }
            blocks.append(Block(
                firstKeyHash: readLittleEndian(directory, at: index * 16), count: count,
                checksum: readLittleEndian(directory, at: index * 16 + 12), fileOffset: blockOffset))
            blockOffset += Int64(count * 16)
        }
        let index = SegmentIndex(
            baseSequence: readLittleEndian(head, at: 16), nextSequence: readLittleEndian(head, at: 24),
            coveredBytes: readLittleEndian(head, at: 32), lastBatchOffset: readLittleEndian(head, at: 40),
            lastRecordedAt: readLittleEndian(head, at: 48), lastBatchHash: Array(head[64..<96]),
            sparse: sparse, blocks: blocks, streamEntryCount: entryCount)
        try index.checkStructure(path: path, directoryOffset: directoryOffset)
        return index
    }

    /// How many bytes of segment `name` its index file (if intact) says were written: the
    /// writer writes a segment's index only after syncing those bytes, so a last segment that
    /// now holds fewer valid bytes has lost synced data (truncated or damaged). An index is a
    /// hint: a crafted one can make a reader stop with this error, never return other data.
    static func claimedBytes(_ name: SegmentName, layout: LogLayout, fileSystem: any FileSystem) -> Int64? {
        guard let index = try? load(path: layout.index(name), fileSystem: fileSystem), index.baseSequence == name.baseSequence else { return nil }
        return index.coveredBytes
    }

    /// The segment's index, if its file exists, is intact and matches the segment: same base
    /// sequence, covering no more than the file (exactly the file when `wholeFile`), and its last
    /// batch is where it says: a valid batch there ends at the covered bytes, with the index's
    /// next sequence and last recorded time. `nil` otherwise: the caller scans instead.
    ///
    /// With `checkingHash` the last batch is read whole, its checksum and chain hash checked;
    /// without, only its header is read (readers check every batch they read anyway; the writer
    /// checks the hash where it continues the chain).
    static func matching(_ name: SegmentName, layout: LogLayout, fileSystem: any FileSystem,
                         file: any FileHandle, size: Int64, wholeFile: Bool, checkingHash: Bool = true) throws(LogError) -> SegmentIndex? {
        guard var index = try? load(path: layout.index(name), fileSystem: fileSystem),
              index.baseSequence == name.baseSequence,
              wholeFile ? index.coveredBytes == size : index.coveredBytes <= size
        else { return nil }
        let header: BatchHeader
        if checkingHash {
            var probe = SegmentScanner(file: file, path: layout.segment(name), name: name, fileSize: index.coveredBytes,
                                       offset: index.lastBatchOffset)
            // A batch of another version there is the index's claim, not the segment's damage: no index.
            guard case .batch(let batch)? = try? probe.nextIgnoringSequence(), batch.hash() == index.lastBatchHash else { return nil }
            header = batch.header
        } else {
            let bytes = try file.read(at: index.lastBatchOffset, count: BatchHeader.size)
            guard let decoded = try? BatchHeader.decode(bytes) else { return nil }
            header = decoded
        }
        // `load` checked that the last batch lies after the last sparse entry and inside the covered bytes.
        guard index.lastBatchOffset + Int64(header.totalLength) == index.coveredBytes,
              header.nextSequence == index.nextSequence,
              header.lastRecordedAt == index.lastRecordedAt,
              let lastSparse = index.sparse.last, lastSparse.sequence <= header.baseSequence
        else { return nil }
        index.sparseProbe = SparseEntryProbe(segment: layout.segment(name), name: name, coveredBytes: index.coveredBytes, fileSystem: fileSystem)
        return index
    }

    /// For each of `keyHashes`, in their order, the distinct sequences, ascending, whose records
    /// may carry a key with that hash, read from the index file. For each hash the blocks the
    /// directory leads to are read, and the block after them, whose first key hash (past the
    /// hash) is what ends the search; each is checked (`checkBlock`). A block that fails is
    /// corruption of the index file, and the caller scans the segment instead. The file is
    /// opened once and each block read and checked once (the hashes are searched in ascending
    /// order, so the blocks kept are those from the last search's first on).
    func sequences(forKeyHashes keyHashes: [UInt64], path: String, fileSystem: any FileSystem) throws(LogError) -> [[UInt64]] {
        guard !blocks.isEmpty else { return keyHashes.map { _ in [] } }
        let file = try fileSystem.openForReading(path)
        defer { file.close() }
        var read: [(block: Int, entries: [StreamEntry])] = []  // ascending, from the last search's first block
        var found = [[UInt64]](repeating: [], count: keyHashes.count)
        for position in keyHashes.indices.sorted(by: { keyHashes[$0] < keyHashes[$1] }) {
            let keyHash = keyHashes[position]
            // The first block that may hold the hash is the last one starting below it.
            var low = 0, high = blocks.count
            while low < high {
                let middle = (low + high) / 2
                if blocks[middle].firstKeyHash < keyHash { low = middle + 1 } else { high = middle }
            }
            var index = max(0, low - 1)
            read.removeAll { $0.block < index }
            var previous: StreamEntry?
            var pastTheHash = false
            while index < blocks.count, !pastTheHash {
                let block = blocks[index]
                pastTheHash = block.firstKeyHash > keyHash
                let entries: [StreamEntry]
                if let kept = read.first(where: { $0.block == index }) {
                    entries = kept.entries
                    try checkBlock(index, entries: entries[...], after: previous, path: path, checked: true)
                } else {
                    let bytes = try file.read(at: block.fileOffset, count: block.count * 16)
                    guard bytes.count == block.count * 16, CRC32C.checksum(bytes) == block.checksum else {
                        throw .corrupt(path: path, offset: block.fileOffset, reason: "stream block checksum mismatch")
                    }
                    entries = (0..<block.count).map {
                        StreamEntry(keyHash: readLittleEndian(bytes, at: $0 * 16), sequence: readLittleEndian(bytes, at: $0 * 16 + 8))
                    }
                    try checkBlock(index, entries: entries[...], after: previous, path: path)
                    read.append((index, entries))
                }
                // Sorted (checked): the hash's entries from the first not below it; equal
                // sequences (a record with two keys of one hash) come together.
                var entry = 0, end = entries.count
                while entry < end {
                    let middle = (entry + end) / 2
                    if entries[middle].keyHash < keyHash { entry = middle + 1 } else { end = middle }
                }
                while entry < entries.count, entries[entry].keyHash == keyHash {
                    if found[position].last != entries[entry].sequence { found[position].append(entries[entry].sequence) }
                    entry += 1
                }
                previous = entries.last
                index += 1
            }
        }
        return found
    }

    /// Every stream entry of the index file, sorted, each block checked (`checkBlock`).
    func streamEntries(path: String, fileSystem: any FileSystem) throws(LogError) -> [StreamEntry] {
        guard let first = blocks.first else { return [] }
        let file = try fileSystem.openForReading(path)
        defer { file.close() }
        let bytes = try file.read(at: first.fileOffset, count: streamEntryCount * 16)
        guard bytes.count == streamEntryCount * 16 else {
            throw .corrupt(path: path, offset: first.fileOffset, reason: "the index file ends inside its stream blocks")
        }
        for block in blocks {
            let start = Int(block.fileOffset - first.fileOffset)
            guard CRC32C.checksum(bytes[start..<start + block.count * 16]) == block.checksum else {
                throw .corrupt(path: path, offset: block.fileOffset, reason: "stream block checksum mismatch")
            }
        }
        let entries = bytes.withUnsafeBytes { raw in
            [StreamEntry](unsafeUninitializedCapacity: streamEntryCount) { entries, initialized in
                for entry in 0..<streamEntryCount {
                    entries[entry] = StreamEntry(keyHash: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: entry * 16, as: UInt64.self)),
                                                 sequence: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: entry * 16 + 8, as: UInt64.self)))
                }
                initialized = streamEntryCount
            }
        }
        for (position, block) in blocks.enumerated() {
            let start = position * Self.blockEntries
            try checkBlock(position, entries: entries[start..<start + block.count], after: position > 0 ? entries[start - 1] : nil, path: path)
        }
        return entries
    }

    /// The offset of the batch to start from to reach `sequence`: the last sparse entry at or
    /// before it (the segment's first batch when there is none). An entry is used only once the
    /// segment is found to hold a valid batch of the entry's sequence at its offset
    /// (`SparseEntryProbe`, on first use); when it does not, the segment's first batch is.
    func startOffset(for sequence: UInt64) -> (offset: Int64, sequence: UInt64) {
        var low = 0, high = sparse.count
        while low < high {
            let middle = (low + high) / 2
            if sparse[middle].sequence <= sequence { low = middle + 1 } else { high = middle }
        }
        // Entry 0 is the segment's first batch (`checkStructure`): it needs no probe.
        guard low > 1, let probe = sparseProbe, probe.holdsBatch(sparse[low - 1], at: low - 1) else {
            return (Int64(SegmentHeader.size), baseSequence)
        }
        return (sparse[low - 1].offset, sparse[low - 1].sequence)
    }
}

/// Collects a segment's index entries as its batches are written or scanned.
struct SegmentIndexBuilder {
    let baseSequence: UInt64
    private(set) var sparse: [SegmentIndex.SparseEntry] = []
    private(set) var stream: [SegmentIndex.StreamEntry] = []
    private(set) var nextSequence: UInt64
    private(set) var coveredBytes = Int64(SegmentHeader.size)
    private(set) var lastBatchOffset: Int64 = 0
    private(set) var lastRecordedAt: Int64 = .min
    private(set) var lastBatchHash = [UInt8](repeating: 0, count: 32)

    init(baseSequence: UInt64) {
        self.baseSequence = baseSequence
        self.nextSequence = baseSequence
    }

    /// A builder holding what an index file covers (its stream entries read with
    /// `SegmentIndex.streamEntries`), to go on adding the batches after it.
    init(resuming index: SegmentIndex, entries: [SegmentIndex.StreamEntry]) {
        baseSequence = index.baseSequence
        sparse = index.sparse
        stream = entries
        nextSequence = index.nextSequence
        coveredBytes = index.coveredBytes
        lastBatchOffset = index.lastBatchOffset
        lastRecordedAt = index.lastRecordedAt
        lastBatchHash = index.lastBatchHash
    }

    /// Adds a batch at `offset` with its records' keys; `hash` is the batch's chain hash.
    mutating func add(offset: Int64, header: BatchHeader, keys: [[String]], hash: [UInt8]) {
        if sparse.isEmpty || offset - sparse[sparse.count - 1].offset >= SegmentIndex.sparseInterval {
            sparse.append(.init(sequence: header.baseSequence, offset: offset))
        }
        for (index, recordKeys) in keys.enumerated() {
            for key in recordKeys {
                stream.append(.init(keyHash: StreamKeyHash.hash(key), sequence: header.baseSequence + UInt64(index)))
            }
        }
        nextSequence = header.nextSequence
        coveredBytes = offset + Int64(header.totalLength)
        lastBatchOffset = offset
        lastRecordedAt = header.lastRecordedAt
        lastBatchHash = hash
    }

    /// What the builder held at one moment, to roll back to after a failed write.
    struct Mark {
        let sparseCount: Int
        let streamCount: Int
        let nextSequence: UInt64
        let coveredBytes: Int64
        let lastBatchOffset: Int64
        let lastRecordedAt: Int64
        let lastBatchHash: [UInt8]
    }

    func mark() -> Mark {
        Mark(sparseCount: sparse.count, streamCount: stream.count, nextSequence: nextSequence, coveredBytes: coveredBytes,
             lastBatchOffset: lastBatchOffset, lastRecordedAt: lastRecordedAt, lastBatchHash: lastBatchHash)
    }

    /// Forgets every batch added after `mark` was taken.
    mutating func rollBack(to mark: Mark) {
        sparse.removeLast(sparse.count - mark.sparseCount)
        stream.removeLast(stream.count - mark.streamCount)
        nextSequence = mark.nextSequence
        coveredBytes = mark.coveredBytes
        lastBatchOffset = mark.lastBatchOffset
        lastRecordedAt = mark.lastRecordedAt
        lastBatchHash = mark.lastBatchHash
    }

    /// The bytes of the index file.
    func encoded() -> [UInt8] {
        let entries = stream.sorted()
        let blockCount = (entries.count + SegmentIndex.blockEntries - 1) / SegmentIndex.blockEntries
        var bytes: [UInt8] = SegmentIndex.magic
        bytes.appendLittleEndian(SegmentIndex.version)
        bytes.appendLittleEndian(UInt16(0))
        bytes.appendLittleEndian(UInt32(sparse.count))
        bytes.appendLittleEndian(baseSequence)
        bytes.appendLittleEndian(nextSequence)
        bytes.appendLittleEndian(coveredBytes)
        bytes.appendLittleEndian(lastBatchOffset)
        bytes.appendLittleEndian(lastRecordedAt)
        bytes.appendLittleEndian(UInt32(blockCount))
        bytes.appendLittleEndian(UInt32(entries.count))
        bytes.append(contentsOf: lastBatchHash)
        bytes.appendLittleEndian(UInt32(0))
        bytes.appendLittleEndian(CRC32C.checksum(bytes))

        let sparseStart = bytes.count
        for entry in sparse {
            bytes.appendLittleEndian(entry.sequence)
            bytes.appendLittleEndian(entry.offset)
        }
        bytes.appendLittleEndian(CRC32C.checksum(bytes[sparseStart...]))

        var blockBytes: [UInt8] = []
        var directory: [UInt8] = []
        for start in stride(from: 0, to: entries.count, by: SegmentIndex.blockEntries) {
            let block = entries[start..<min(start + SegmentIndex.blockEntries, entries.count)]
            var encoded: [UInt8] = []
            for entry in block {
                encoded.appendLittleEndian(entry.keyHash)
                encoded.appendLittleEndian(entry.sequence)
            }
            directory.appendLittleEndian(entries[start].keyHash)
            directory.appendLittleEndian(UInt32(block.count))
            directory.appendLittleEndian(CRC32C.checksum(encoded))
            blockBytes.append(contentsOf: encoded)
        }
        bytes.append(contentsOf: directory)
        bytes.appendLittleEndian(CRC32C.checksum(directory))
        bytes.append(contentsOf: blockBytes)
        return bytes
    }
}
