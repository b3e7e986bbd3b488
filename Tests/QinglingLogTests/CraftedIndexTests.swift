import Foundation
import QinglingTestSupport
import Testing
@testable import QinglingLog

/// An index is a hint: whatever an index file holds, with every checksum right, readers and the
/// writer give the answers they give without it (or a clear error), never a crash.
@Suite struct CraftedIndexTests {
    /// Ways an index can lie with its checksums right. Each led a reader astray before the
    /// index was checked in full (`docs/format.md` §6.4), as noted.
    enum Craft: String, CaseIterable, Sendable {
        /// The header claims 2^32 − 1 sparse entries: every command aborted on a 64 GiB allocation.
        case fourBillionSparseEntries
        /// The header claims 2^32 − 1 stream entries (and the blocks for them).
        case fourBillionStreamEntries
        /// A block's first key hash raised past its first entry: lookups skipped the block.
        case directoryHashRaised
        /// A block's first key hash lowered to the block before's: lookups started past the
        /// entries at the end of the block before.
        case directoryHashLowered
        /// Two entries of different blocks swapped: a lookup missed the one out of place.
        case entriesSwappedAcrossBlocks
        /// An entry written twice: lookups returned its record twice.
        case entryDuplicated
        /// An entry naming a sequence past the segment: lookups failed with "corrupt segment".
        case entryPastTheSegment
        /// A sparse entry naming the next sequence at a batch's offset: reads from a sequence
        /// silently ended, or failed with "corrupt segment".
        case sparseEntryOfAnotherSequence
        /// A sparse entry inside a batch: reads from a sequence failed.
        case sparseEntryInsideABatch
        /// A sparse entry past the end of the segment: whole segments read as empty.
        case sparseEntryPastTheEnd
        /// A stale index (covering part of its segment) with a later last recorded time: the
        /// batches after it were taken for damage.
        case laterLastRecordedTime
        /// Blocks of 255 and 257 entries in place of 256.
        case unevenBlocks
        /// The last 16 bytes cut off.
        case truncated
    }

    /// A log of three segments of 16 batches of 30 records each (at least four stream blocks and
    /// two sparse entries per index), the last one's index stale: it covers the segment as it
    /// was before two more batches were appended.
    private func writeLog(_ directory: TemporaryDirectory) throws -> LogOptions {
        let (options, _) = simulatedOptions(segmentBytes: 25_000)
        let writer = try LogWriter(directory: directory.path, options: options)
        for batch in 0..<46 { try writer.append(sampleRecords(30, batch: batch, payloadBytes: 60)) }
        try writer.close()
        let lastIndex = directory.child("index/" + (RawFile.files(in: directory.child("index")).last ?? ""))
        let stale = RawFile.read(lastIndex)
        let more = try LogWriter(directory: directory.path, options: options)
        for batch in 46..<48 { try more.append(sampleRecords(30, batch: batch, payloadBytes: 60)) }
        try more.close()
        RawFile.write(lastIndex, stale)
        return options
    }

    /// What readers answer: every record, each key's records, reads from many sequences and of
    /// single records, the end, and whether the log verifies.
    private struct Answers: Equatable {
        var all: [LogRecord] = []
        var byKey: [String: [LogRecord]] = [:]
        var byKeys: [String: [LogRecord]] = [:]
        var fromSequences: [UInt64: [UInt64]] = [:]
        var ranges: [[UInt64]] = []
        var single: [LogRecord] = []
        var nextSequence: UInt64 = 0
        var lastRecordedAt: Int64?
        var verified = false

        init(_ directory: String) throws {
            let reader = try LogReader(directory: directory)
            all = try reader.readAll()
            let keys = ["H-0", "H-3", "H-6", "missing"] + (0..<48).map({ "B-\($0)" })
            for key in keys { byKey[key] = try reader.records(forKey: key) }
            // Looked up together, the same (a key no record carries has no entry).
            byKeys = try reader.records(forKeys: Set(keys))
            for key in keys where byKeys[key] == nil { byKeys[key] = [] }
            for from in stride(from: UInt64(0), to: UInt64(all.count), by: 23) {
                fromSequences[from] = try reader.readAll(from: from).map(\.sequence)
            }
            for lower in stride(from: UInt64(5), to: UInt64(all.count), by: 97) {
                var sequences: [UInt64] = []
                try reader.forEach(in: lower..<lower + 40) { sequences.append($0.sequence) }
                ranges.append(sequences)
            }
            for sequence in stride(from: UInt64(1), to: UInt64(all.count), by: 41) { single.append(try reader.record(at: sequence)) }
            nextSequence = try reader.nextSequence()
            lastRecordedAt = try reader.lastRecordedAt()
            verified = try reader.verify().passed
        }
    }

    /// An index that leaves out one entry of a record, all else consistent, hides the record
    /// from that key's look-up (the limit `docs/format.md` §6.4 names). Looked up together with
    /// a key it is still listed for, it is not given to the key it was left out for: keys
    /// looked up together get what each gets alone, however a look-up groups them.
    @Test func keysLookedUpTogetherGetWhatEachGetsAlone() throws {
        let directory = TemporaryDirectory()
        _ = try writeLog(directory)
        let path = directory.child("index/" + (RawFile.files(in: directory.child("index")).first ?? ""))
        var image = try #require(IndexImage(RawFile.read(path)))
        let left = try #require(image.entries.firstIndex { $0.keyHash == StreamKeyHash.hash("B-7") })
        image.entries.remove(at: left)
        image.reblock()
        RawFile.write(path, image.encoded())
        let reader = try LogReader(directory: directory.path)
        let keys = ["B-7", "B-8"] + (0..<7).map { "H-\($0)" }
        var alone: [String: [LogRecord]] = [:]
        for key in keys { alone[key] = try reader.records(forKey: key) }
        #expect(alone["B-7"]?.count == 29 && alone["B-8"]?.count == 30)
        #expect(try reader.records(forKeys: Set(keys)) == alone)
    }

    @Test(arguments: Craft.allCases)
    func aCraftedIndexCostsTimeNeverAnAnswer(_ craft: Craft) throws {
        let directory = TemporaryDirectory()
        let options = try writeLog(directory)
        let expected = try Answers(directory.path)
        #expect(expected.all.count == 1440 && expected.verified)
        #expect(expected.byKey["H-3"]?.count == 48 * 4 && expected.byKey["B-7"]?.count == 30)
        #expect(expected.byKeys == expected.byKey)
        let indexes = RawFile.files(in: directory.child("index"))
        #expect(indexes.count == 3)
        for name in indexes {
            let path = directory.child("index/" + name)
            let written = RawFile.read(path)
            let crafted = try Self.apply(craft, to: written)
            #expect(crafted != written, "the craft changes \(name)")
            RawFile.write(path, crafted)
        }
        #expect(try Answers(directory.path) == expected)

        // The writer opens over the crafted indexes, appends, and readers still agree.
        let writer = try LogWriter(directory: directory.path, options: options)
        #expect(writer.nextSequence == 1440)
        try writer.append([Record(keys: ["H-3"], payload: Array("after".utf8))])
        try writer.close()
        let after = try Answers(directory.path)
        #expect(after.all == expected.all + [after.all[1440]] && after.all[1440].payload == Array("after".utf8))
        #expect(after.byKey["H-3"] == (expected.byKey["H-3"] ?? []) + [after.all[1440]])
        #expect(after.byKey["B-7"] == expected.byKey["B-7"] && after.verified)
    }

    /// The crafted bytes of an index written for its segment.
    private static func apply(_ craft: Craft, to written: [UInt8]) throws -> [UInt8] {
        var image = try #require(IndexImage(written))
        #expect(image.directory.count >= 3 && image.sparse.count >= 2, "the segment has the blocks and sparse entries to craft")
        switch craft {
        case .fourBillionSparseEntries:
            var bytes = written
            for (index, byte) in [UInt8](repeating: 0xFF, count: 4).enumerated() { bytes[12 + index] = byte }
            return IndexImage.withChecksumsFixed(bytes)
        case .fourBillionStreamEntries:
            var bytes = written
            let counts: [UInt8] = [0x00, 0x00, 0x00, 0x01, 0xFF, 0xFF, 0xFF, 0xFF]  // B = 2^24, E = 2^32 − 1
            for (index, byte) in counts.enumerated() { bytes[56 + index] = byte }
            return IndexImage.withChecksumsFixed(bytes)
        case .directoryHashRaised:
            image.directory[1].firstKeyHash = min(image.directory[1].firstKeyHash + 1, image.directory[2].firstKeyHash)
        case .directoryHashLowered:
            image.directory[2].firstKeyHash = image.directory[1].firstKeyHash
        case .entriesSwappedAcrossBlocks:
            image.entries.swapAt(5, 2 * 256 + 5)
            image.directory = zip(image.directory, stride(from: 0, to: image.entries.count, by: 256)).map {
                IndexImage.DirectoryEntry(firstKeyHash: image.entries[$1].keyHash, count: $0.count)
            }
        case .entryDuplicated:
            image.entries.insert(image.entries[300], at: 300)
            image.reblock()
        case .entryPastTheSegment:
            // The last entry of the first run of a hash, so the order holds.
            let run = image.entries.firstIndex { $0.keyHash != image.entries[0].keyHash } ?? 1
            image.entries[run - 1].sequence = image.nextSequence + 1_000
        case .sparseEntryOfAnotherSequence:
            image.sparse[1].sequence += 1
        case .sparseEntryInsideABatch:
            image.sparse[1].offset += Int64(BatchHeader.size)
        case .sparseEntryPastTheEnd:
            image.sparse.append(.init(sequence: image.nextSequence - 1, offset: image.coveredBytes + 1_000))
        case .laterLastRecordedTime:
            image.lastRecordedAt += 3_600_000_000
        case .unevenBlocks:
            image.directory[0].count -= 1
            image.directory[1].count += 1
            image.directory[1].firstKeyHash = image.entries[255].keyHash
        case .truncated:
            return Array(written.dropLast(16))
        }
        return image.encoded()
    }
}
