import Foundation
import Testing
@testable import QinglingLog

@Suite struct RecoveryTests {
    /// Writes `batches` batches of 3 records, each synced (followed by its sync mark) unless
    /// `lastDeferred`, and returns the segment's bytes and the offset of each batch. With
    /// `lastDeferred` the last batch is written but never synced, and the writer is dropped
    /// as at a crash (no close, no index).
    private func makeLog(_ directory: String, batches: Int = 4, lastDeferred: Bool = false) throws -> (bytes: [UInt8], offsets: [Int]) {
        let (options, _) = simulatedOptions()
        do {
            let writer = try LogWriter(directory: directory, options: options)
            for batch in 0..<batches {
                try writer.append(sampleRecords(3, batch: batch, payloadBytes: 60),
                                  durability: lastDeferred && batch == batches - 1 ? .deferred : .synced)
            }
            if !lastDeferred { try writer.close() }
        }
        let bytes = RawFile.read(lastSegmentPath(directory))
        return (bytes, try segmentLayout(bytes).batches)
    }

    /// An unsynced last batch torn at any byte is cut, before the next write, and saved.
    @Test func truncatingAnUnsyncedLastBatchAtEveryByteKeepsExactlyTheEarlierBatches() throws {
        let template = TemporaryDirectory("template")
        let (bytes, offsets) = try makeLog(template.path, lastDeferred: true)
        let lastStart = offsets[offsets.count - 1]
        let (options, _) = simulatedOptions(at: june2024 + 10_000_000)
        for cut in lastStart..<bytes.count {
            let directory = TemporaryDirectory("cut")
            try FileManager.default.copyItem(atPath: template.path + "/log.meta", toPath: directory.child("log.meta"))
            try FileManager.default.createDirectory(atPath: directory.child("segments"), withIntermediateDirectories: true)
            let segment = directory.child("segments/" + RawFile.files(in: template.child("segments"))[0])
            RawFile.write(segment, Array(bytes[..<cut]))
            let writer = try LogWriter(directory: directory.path, options: options)
            let report = writer.recovery
            if cut == lastStart {
                #expect(report.cutTails.isEmpty)
            } else {
                #expect(report.cutTails.count == 1)
                #expect(report.cutTails.first?.offset == Int64(lastStart))
                #expect(RawFile.read(segment) == Array(bytes[..<cut]), "opening changes nothing")
            }
            #expect(writer.nextSequence == UInt64(3 * (offsets.count - 1)))
            try writer.append(sampleRecords(1, batch: 50))
            try writer.close()
            if cut > lastStart {
                let saved = RawFile.read(try #require(report.cutTails.first?.savedTo))
                #expect(saved == Array(bytes[lastStart..<cut]), "the cut bytes are kept in recovered/")
            }
            let records = try LogReader(directory: directory.path).readAll()
            #expect(records.count == 3 * (offsets.count - 1) + 1)
            #expect(try LogReader(directory: directory.path).verify().passed)
        }
    }

    @Test func garbageAfterTheLastSyncMarkIsCutAndSavedWhenTheWriterFirstWrites() throws {
        let directory = TemporaryDirectory()
        let (bytes, _) = try makeLog(directory.path)
        let garbage: [UInt8] = (0..<500).map { UInt8(truncatingIfNeeded: $0 &* 97) }
        RawFile.write(lastSegmentPath(directory.path), bytes + garbage)
        let (options, _) = simulatedOptions()
        let idle = try LogWriter(directory: directory.path, options: options)
        #expect(idle.recovery.cutTails.map(\.bytes) == [500])
        #expect(idle.nextSequence == 12)
        try idle.close()
        #expect(RawFile.read(lastSegmentPath(directory.path)) == bytes + garbage, "a writer that writes nothing cuts nothing")
        #expect(try LogReader(directory: directory.path).readAll().count == 12)
        let writer = try LogWriter(directory: directory.path, options: options)
        try writer.append(sampleRecords(1, batch: 9))
        try writer.close()
        #expect(Array(RawFile.read(lastSegmentPath(directory.path)).prefix(bytes.count)) == bytes)
        #expect(RawFile.read(try #require(writer.recovery.cutTails.first?.savedTo)) == garbage)
        #expect(try LogReader(directory: directory.path).readAll().count == 13)
    }

    /// Six batches of three records appended by a writer that is never closed: the process died.
    private func writeAndDie(_ directory: String, options: LogOptions) throws {
        let writer = try LogWriter(directory: directory, options: options)
        for batch in 0..<6 { try writer.append(sampleRecords(3, batch: batch)) }
    }

    /// What the index file of segment `name` covers (`nil`: none), and its inode.
    private static func indexFile(of name: SegmentName, _ layout: LogLayout) -> (covers: () -> UInt64?, inode: () -> Int?) {
        ({ (try? SegmentIndex.load(path: layout.index(name), fileSystem: PosixFileSystem()))?.nextSequence },
         { (try? FileManager.default.attributesOfItem(atPath: layout.index(name)))?[.systemFileNumber] as? Int })
    }

    /// A writer that dies leaves its segment's index file behind what the segment holds (or
    /// none): the next writer writes it again at its first write, once the segment is synced,
    /// so that look-ups by key read the index instead of scanning the rest each time. After a
    /// clean close the index file is left as it is.
    @Test func theFirstWriteAfterACrashIndexesTheActiveSegmentAgain() throws {
        let directory = TemporaryDirectory()
        let (options, _) = simulatedOptions()
        try writeAndDie(directory.path, options: options)
        let layout = LogLayout(directory: directory.path)
        let name = try #require(try LogReader(directory: directory.path).segments().last)
        let (indexed, inode) = Self.indexFile(of: name, layout)
        #expect(indexed() == nil)
        let writer = try LogWriter(directory: directory.path, options: options)
        #expect(indexed() == nil, "opening writes nothing")
        try writer.append(sampleRecords(2, batch: 6))
        #expect(indexed() == 18, "the records before the first write, all synced")
        try writer.close()
        #expect(indexed() == 20)
        let closed = inode()
        let reopened = try LogWriter(directory: directory.path, options: options)
        try reopened.append(sampleRecords(1, batch: 7))
        #expect(inode() == closed && indexed() == 20, "the index of a clean close is not written again")
        try reopened.close()
        #expect(try LogReader(directory: directory.path).records(forKey: "B-6").count == 2)
        #expect(try LogReader(directory: directory.path).verify().passed)
    }

    /// `indexLastSegment` writes at once the index the first write would write again after a
    /// crash, so that a service's first look-ups read it, and changes no segment: a torn tail
    /// stays until the first write cuts it. Once written, it is not written again.
    @Test func indexingTheLastSegmentAfterACrashChangesNoSegment() throws {
        let directory = TemporaryDirectory()
        let (options, _) = simulatedOptions()
        try writeAndDie(directory.path, options: options)
        let garbage: [UInt8] = (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 53) }
        let torn = RawFile.read(lastSegmentPath(directory.path)) + garbage
        RawFile.write(lastSegmentPath(directory.path), torn)
        let layout = LogLayout(directory: directory.path)
        let name = try #require(try LogReader(directory: directory.path).segments().last)
        let (indexed, inode) = Self.indexFile(of: name, layout)
        let writer = try LogWriter(directory: directory.path, options: options)
        #expect(indexed() == nil)
        try writer.indexLastSegment()
        #expect(indexed() == 18, "every record the segment holds before its torn tail")
        #expect(RawFile.read(lastSegmentPath(directory.path)) == torn, "the torn tail stays")
        #expect(!FileManager.default.fileExists(atPath: layout.recovered))
        let first = inode()
        try writer.indexLastSegment()
        #expect(inode() == first, "covered already: not written again")
        try writer.append(sampleRecords(2, batch: 6))
        #expect(inode() == first, "nor at the first write")
        #expect(RawFile.read(try #require(writer.recovery.cutTails.first?.savedTo)) == garbage)
        try writer.close()
        #expect(indexed() == 20)
        #expect(try LogReader(directory: directory.path).verify().passed)
    }

    /// A link planted at the side file's first name, leading nowhere, is a name taken: the cut
    /// bytes go to the next name, and the link is left alone.
    @Test func aDanglingLinkAtTheSideFilesNameIsPassedOver() throws {
        let directory = TemporaryDirectory()
        let (bytes, _) = try makeLog(directory.path)
        let garbage: [UInt8] = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        RawFile.write(lastSegmentPath(directory.path), bytes + garbage)
        let layout = LogLayout(directory: directory.path)
        let last = try #require(try LogReader(directory: directory.path).segments().last)
        try FileManager.default.createDirectory(atPath: layout.recovered, withIntermediateDirectories: true)
        let planted = layout.recoveredTail(last, offset: Int64(bytes.count))
        try FileManager.default.createSymbolicLink(atPath: planted, withDestinationPath: directory.child("nowhere"))
        let writer = try LogWriter(directory: directory.path, options: simulatedOptions().0)
        try writer.append(sampleRecords(1, batch: 9))
        try writer.close()
        let saved = try #require(writer.recovery.cutTails.first?.savedTo)
        #expect(saved == layout.recoveredTail(last, offset: Int64(bytes.count), attempt: 1))
        #expect(RawFile.read(saved) == garbage)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: planted) == directory.child("nowhere"))
        #expect(!FileManager.default.fileExists(atPath: directory.child("nowhere")))
    }

    /// A batch written but never synced (the writer died before its sync) is a torn tail.
    @Test func aBitFlipInAnUnsyncedLastBatchIsCutAsATornTail() throws {
        let directory = TemporaryDirectory()
        let (bytes, offsets) = try makeLog(directory.path, lastDeferred: true)
        var damaged = bytes
        damaged[offsets[3] + BatchHeader.size + 5] ^= 0x10
        RawFile.write(lastSegmentPath(directory.path), damaged)
        #expect(try LogReader(directory: directory.path).readAll().count == 9)
        let (options, _) = simulatedOptions()
        let writer = try LogWriter(directory: directory.path, options: options)
        #expect(writer.recovery.cutTails.first?.offset == Int64(offsets[3]))
        #expect(writer.nextSequence == 9)
        try writer.close()
    }

    /// A synced batch is followed by its sync mark: damage to it is never a torn tail, whether
    /// or not the index is there, and whether the log is one batch or many (issue 21, item 1).
    @Test(arguments: [1, 4]) func aBitFlipInASyncedLastBatchIsRefusedEvenWithoutTheIndex(batches: Int) throws {
        let directory = TemporaryDirectory()
        let (bytes, offsets) = try makeLog(directory.path, batches: batches)
        try FileManager.default.removeItem(atPath: directory.path + "/index")
        var damaged = bytes
        damaged[offsets[batches - 1] + BatchHeader.size + 5] ^= 0x10
        RawFile.write(lastSegmentPath(directory.path), damaged)
        let (options, _) = simulatedOptions()
        let expectedPath = lastSegmentPath(directory.path)
        #expect {
            _ = try LogWriter(directory: directory.path, options: options)
        } throws: { error in
            guard case let LogError.corrupt(path, offset, reason) = error else { return false }
            return path == expectedPath && offset == Int64(offsets[batches - 1]) && reason.contains("synced")
        }
        #expect(throws: LogError.self) { try LogReader(directory: directory.path).readAll() }
        #expect(!(try LogReader(directory: directory.path).verify().passed))
        #expect(try LogRecovery.inspect(directory: directory.path)?.kind == .acknowledged)
        let damage = try #require(try LogRecovery.inspect(directory: directory.path))
        #expect(throws: LogError.self) { try LogRecovery.cut(damage, directory: directory.path) }
        #expect(RawFile.read(lastSegmentPath(directory.path)) == damaged, "nothing is cut")
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/recovered"))
    }

    /// Deferred appends synced once at the end (as `generate --into` and the demo write) are
    /// proven synced by the mark after them.
    @Test func damageInBatchesSyncedTogetherAtTheEndIsRefused() throws {
        let directory = TemporaryDirectory()
        let (options, _) = simulatedOptions()
        let writer = try LogWriter(directory: directory.path, options: options)
        for batch in 0..<6 { try writer.append(sampleRecords(3, batch: batch), durability: .deferred) }
        try writer.sync()
        let bytes = RawFile.read(lastSegmentPath(directory.path))
        let layout = try segmentLayout(bytes)
        #expect(layout.marks.count == 1, "one sync, one mark")
        for batch in layout.batches {
            var damaged = bytes
            damaged[batch + 3] ^= 0x40
            RawFile.write(lastSegmentPath(directory.path), damaged)
            #expect(throws: LogError.self) { try LogReader(directory: directory.path).readAll() }
        }
        RawFile.write(lastSegmentPath(directory.path), bytes)
        try writer.close()
    }

    @Test func aBitFlipInAnEarlierBatchIsCorruptionNamingTheOffset() throws {
        let directory = TemporaryDirectory()
        let (bytes, offsets) = try makeLog(directory.path)
        for (position, target) in [offsets[1] + 20, offsets[2] + BatchHeader.size + 3, offsets[0] + 50].enumerated() {
            var damaged = bytes
            damaged[target] ^= 0x01
            RawFile.write(lastSegmentPath(directory.path), damaged)
            let batchStart = offsets.last { $0 <= target }!
            let (options, _) = simulatedOptions()
            let expectedPath = lastSegmentPath(directory.path)
            #expect("case \(position): a damaged middle batch refuses to open, naming file and offset") {
                _ = try LogWriter(directory: directory.path, options: options)
            } throws: { error in
                guard case let LogError.corrupt(path, offset, _) = error else { return false }
                return path == expectedPath && offset == Int64(batchStart)
            }
            // Readers refuse to return data past the damage, too.
            #expect(throws: LogError.self) { try LogReader(directory: directory.path).readAll() }
            #expect(RawFile.read(lastSegmentPath(directory.path)) == damaged, "nothing is cut")
        }
    }

    /// Writes 20 batches into segments of 2 KiB and returns the segment file names (at least 3).
    private func makeMultiSegmentLog(_ directory: String, options: LogOptions) throws -> [String] {
        let writer = try LogWriter(directory: directory, options: options)
        for batch in 0..<20 { try writer.append(sampleRecords(3, batch: batch, payloadBytes: 80)) }
        try writer.close()
        let segments = RawFile.files(in: directory + "/segments")
        #expect(segments.count >= 3)
        return segments
    }

    @Test func damageInAnEarlierSegmentWithoutIndexRefusesToOpen() throws {
        let directory = TemporaryDirectory()
        let (options, _) = simulatedOptions(segmentBytes: 2048)
        let segments = try makeMultiSegmentLog(directory.path, options: options)
        let first = directory.child("segments/" + segments[0])
        var bytes = RawFile.read(first)
        bytes[bytes.count - 10] ^= 0x04
        RawFile.write(first, bytes)
        try FileManager.default.removeItem(atPath: directory.child("index"))
        #expect {
            _ = try LogWriter(directory: directory.path, options: options)
        } throws: { error in
            guard case let LogError.corrupt(path, _, _) = error else { return false }
            return path == first
        }
    }

    @Test func verifyDetectsAChangedByteInAnyBatchEvenWithChecksumsRecomputed() throws {
        let directory = TemporaryDirectory()
        let (bytes, offsets) = try makeLog(directory.path, batches: 5)
        #expect(try LogReader(directory: directory.path).verify().passed)
        // Plain byte flips anywhere are caught; in the last sync mark, which holds no data and
        // could be a write torn at a power cut, as a torn tail.
        let lastMark = try #require(try segmentLayout(bytes).marks.last)
        for target in stride(from: SegmentHeader.size, to: bytes.count, by: 7) {
            var damaged = bytes
            damaged[target] ^= 0x80
            RawFile.write(lastSegmentPath(directory.path), damaged)
            let report = try LogReader(directory: directory.path).verify()
            if target >= lastMark {
                #expect(report.passed && report.tornTail?.offset == Int64(lastMark), "flip at \(target)")
            } else {
                #expect(!report.passed, "flip at \(target)")
            }
        }
        // A forger who re-encodes a batch with new content and valid checksums breaks the chain.
        for victim in 0..<offsets.count - 1 {
            var forged = bytes
            let start = offsets[victim]
            var header = try BatchHeader.decode(bytes[start...])
            let raw = try LZ4Frame.decompress(Array(bytes[start + BatchHeader.size..<start + header.totalLength]), expectedCount: Int(header.rawLength)).get()
            var changed = raw
            changed[changed.count - 1] ^= 0x01  // the last payload byte of the last record
            let payload = LZ4Frame.compress(changed)
            header.payloadLength = UInt32(payload.count)
            header.payloadChecksum = CRC32C.checksum(payload)
            forged.replaceSubrange(start..<start + BatchHeader.size + Int(try BatchHeader.decode(bytes[start...]).payloadLength),
                                   with: header.encoded() + payload)
            RawFile.write(lastSegmentPath(directory.path), forged)
            let report = try LogReader(directory: directory.path).verify()
            #expect(!report.passed, "forged batch \(victim)")
            #expect(report.problems.contains { if case .corrupt(_, _, let reason) = $0 { reason.contains("hash chain") } else { false } })
        }
    }

    /// A batch whose checksums hold but whose records do not decode (a writer's bug, or a
    /// forger) is reported before any of its records is read in place: a batch whole or not
    /// at all, as `records` reads it.
    @Test func aBatchWhoseRecordsDoNotDecodeIsReportedBeforeAnyOfItsRecords() throws {
        let directory = TemporaryDirectory()
        let (bytes, offsets) = try makeLog(directory.path, batches: 5)
        let start = try #require(offsets.last)
        var header = try BatchHeader.decode(bytes[start...])
        let payloadEnd = start + BatchHeader.size + Int(header.payloadLength)
        let raw = try LZ4Frame.decompress(Array(bytes[start + BatchHeader.size..<payloadEnd]), expectedCount: Int(header.rawLength)).get()
        let payload = LZ4Frame.compress(raw + [1, 2, 3])  // three bytes after the last record
        header.payloadLength = UInt32(payload.count)
        header.rawLength = UInt32(raw.count + 3)
        header.payloadChecksum = CRC32C.checksum(payload)
        RawFile.write(lastSegmentPath(directory.path), Array(bytes[..<start]) + header.encoded() + payload + Array(bytes[payloadEnd...]))
        let reader = try LogReader(directory: directory.path)
        for range in [nil, 0..<100] as [Range<UInt64>?] {
            var seen: [UInt64] = []
            #expect {
                if let range {
                    try reader.forEachPayload(in: range) { sequence, _, _ in seen.append(sequence) }
                } else {
                    try reader.forEachPayload(from: 0) { sequence, _, _ in seen.append(sequence) }
                }
            } throws: { error in
                guard case LogError.corrupt(_, _, let reason) = error else { return false }
                return reason.contains("follow the last record")
            }
            #expect(seen == Array(0..<header.baseSequence))
        }
    }

    @Test func verifyReportsDamageInEachSegmentWithoutCascading() throws {
        let directory = TemporaryDirectory()
        let (options, _) = simulatedOptions(segmentBytes: 2048)
        let segments = try makeMultiSegmentLog(directory.path, options: options)
        for damagedSegment in [segments[0], segments[2]] {
            let path = directory.child("segments/" + damagedSegment)
            var bytes = RawFile.read(path)
            bytes[SegmentHeader.size + 100] ^= 0x20
            RawFile.write(path, bytes)
        }
        let report = try LogReader(directory: directory.path).verify()
        #expect(report.problems.count == 2)
        #expect(report.problems.allSatisfy {
            if case let .corrupt(path, offset, _) = $0 { offset >= Int64(SegmentHeader.size) && !path.contains(segments[1]) } else { false }
        })
    }

    /// A roll interrupted after the new segment's header was renamed into place leaves a
    /// header-only last segment: part of the log, appended to as it is.
    @Test func anInterruptedRollLeavesAHeaderOnlySegmentThatIsAppendedTo() throws {
        let directory = TemporaryDirectory()
        _ = try makeLog(directory.path)
        let empty = directory.child("segments/" + SegmentName(year: 2024, baseSequence: 12).fileName)
        RawFile.write(empty, SegmentHeader(year: 2024, baseSequence: 12).encoded())
        #expect(try LogReader(directory: directory.path).readAll().count == 12)
        let (options, _) = simulatedOptions(at: june2024 + 1_000_000_000)
        let writer = try LogWriter(directory: directory.path, options: options)
        #expect(writer.nextSequence == 12)
        try writer.append(sampleRecords(2))
        try writer.close()
        #expect(try LogReader(directory: directory.path).readAll().count == 14)
        #expect(try LogReader(directory: directory.path).verify().passed)
    }

    /// A roll into a later year interrupted before its first batch (a kill, or a torn tail cut
    /// since) leaves a header-only segment of that year. The next writer goes on in it even
    /// when its clock is in an earlier year (the simulated clock follows business time): it
    /// does not roll back into another segment starting at the same sequence.
    @Test func aHeaderOnlySegmentOfALaterYearIsAppendedToAtAnEarlierClock() throws {
        let directory = TemporaryDirectory()
        _ = try makeLog(directory.path)
        let empty = directory.child("segments/" + SegmentName(year: 2026, baseSequence: 12).fileName)
        RawFile.write(empty, SegmentHeader(year: 2026, baseSequence: 12).encoded())
        let (options, _) = simulatedOptions(at: ShanghaiTime.startOfYear(2025) + 1_000_000)
        let writer = try LogWriter(directory: directory.path, options: options)
        let appended = try writer.append(sampleRecords(2))
        try writer.close()
        #expect(appended.recordedAt.allSatisfy { ShanghaiTime.year(ofMicroseconds: $0) == 2026 })
        #expect(try LogReader(directory: directory.path).segments().map(\.fileName) == [
            SegmentName(year: 2024, baseSequence: 0).fileName, SegmentName(year: 2026, baseSequence: 12).fileName,
        ])
        #expect(try LogReader(directory: directory.path).readAll().count == 14)
        #expect(try LogReader(directory: directory.path).verify().passed)
    }
}
