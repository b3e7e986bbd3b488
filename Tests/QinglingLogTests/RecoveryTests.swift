import Foundation
import Testing
@testable import QinglingLog

@Suite struct RecoveryTests {
    /// Writes `batches` batches of 3 records and returns the segment's bytes and the offset of
    /// each batch.
    private func makeLog(_ directory: String, batches: Int = 4) throws -> (bytes: [UInt8], offsets: [Int]) {
        let (options, _) = simulatedOptions()
        let writer = try LogWriter(directory: directory, options: options)
        for batch in 0..<batches { try writer.append(sampleRecords(3, batch: batch, payloadBytes: 60)) }
        try writer.close()
        let bytes = RawFile.read(lastSegmentPath(directory))
        var offsets: [Int] = []
        var offset = SegmentHeader.size
        while offset < bytes.count {
            offsets.append(offset)
            offset += try BatchHeader.decode(bytes[offset...]).totalLength
        }
        return (bytes, offsets)
    }

    @Test func truncatingTheLastBatchAtEveryByteKeepsExactlyTheEarlierBatches() throws {
        let template = TemporaryDirectory("template")
        let (bytes, offsets) = try makeLog(template.path)
        let lastStart = offsets[offsets.count - 1]
        let (options, _) = simulatedOptions(at: june2024 + 10_000_000)
        for cut in lastStart..<bytes.count {
            let directory = TemporaryDirectory("cut")
            try FileManager.default.copyItem(atPath: template.path + "/log.meta", toPath: directory.child("log.meta"))
            try FileManager.default.createDirectory(atPath: directory.child("segments"), withIntermediateDirectories: true)
            RawFile.write(directory.child("segments/" + RawFile.files(in: template.child("segments"))[0]), Array(bytes[..<cut]))
            let writer = try LogWriter(directory: directory.path, options: options)
            let report = writer.recovery
            if cut == lastStart {
                #expect(report.cutTails.isEmpty)
            } else {
                #expect(report.cutTails.count == 1)
                #expect(report.cutTails.first?.offset == Int64(lastStart))
                let saved = RawFile.read(try #require(report.cutTails.first?.savedTo))
                #expect(saved == Array(bytes[lastStart..<cut]), "the cut bytes are kept in recovered/")
            }
            #expect(writer.nextSequence == UInt64(3 * (offsets.count - 1)))
            try writer.append(sampleRecords(1, batch: 50))
            try writer.close()
            let records = try LogReader(directory: directory.path).readAll()
            #expect(records.count == 3 * (offsets.count - 1) + 1)
            #expect(try LogReader(directory: directory.path).verify().passed)
        }
    }

    @Test func garbageAfterTheLastBatchIsCutAndSaved() throws {
        let directory = TemporaryDirectory()
        let (bytes, _) = try makeLog(directory.path)
        let garbage: [UInt8] = (0..<500).map { UInt8(truncatingIfNeeded: $0 &* 97) }
        RawFile.write(lastSegmentPath(directory.path), bytes + garbage)
        let (options, _) = simulatedOptions()
        let writer = try LogWriter(directory: directory.path, options: options)
        #expect(writer.recovery.cutTails.map(\.bytes) == [500])
        #expect(writer.nextSequence == 12)
        try writer.close()
        #expect(RawFile.read(lastSegmentPath(directory.path)) == bytes)
    }

    /// A damaged last batch that no later record declares synced (the writer died before
    /// writing the segment's index) is a torn tail. (With the index present, the bytes are known
    /// synced and the damage is refused: `TruncationTests`.)
    @Test func aBitFlipInTheLastBatchIsCutAsATornTail() throws {
        let directory = TemporaryDirectory()
        let (bytes, offsets) = try makeLog(directory.path)
        var damaged = bytes
        damaged[offsets[3] + BatchHeader.size + 5] ^= 0x10
        RawFile.write(lastSegmentPath(directory.path), damaged)
        try FileManager.default.removeItem(atPath: directory.path + "/index")
        let (options, _) = simulatedOptions()
        let writer = try LogWriter(directory: directory.path, options: options)
        #expect(writer.recovery.cutTails.first?.offset == Int64(offsets[3]))
        #expect(writer.nextSequence == 9)
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
        // Plain byte flips anywhere are caught.
        for target in stride(from: SegmentHeader.size, to: bytes.count, by: 37) {
            var damaged = bytes
            damaged[target] ^= 0x80
            RawFile.write(lastSegmentPath(directory.path), damaged)
            #expect(!(try LogReader(directory: directory.path).verify().passed), "flip at \(target)")
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

    @Test func anInterruptedRollLeavesAnEmptySegmentThatIsRemoved() throws {
        let directory = TemporaryDirectory()
        let (bytes, _) = try makeLog(directory.path)
        _ = bytes
        let empty = directory.child("segments/" + SegmentName(year: 2024, baseSequence: 12).fileName)
        RawFile.write(empty, Array(SegmentHeader(year: 2024, baseSequence: 12).encoded().prefix(20)))
        let (options, _) = simulatedOptions(at: june2024 + 1_000_000_000)
        let writer = try LogWriter(directory: directory.path, options: options)
        #expect(writer.nextSequence == 12)
        #expect(writer.recovery.removedEmptySegments == [SegmentName(year: 2024, baseSequence: 12).fileName])
        try writer.append(sampleRecords(2))
        try writer.close()
        #expect(try LogReader(directory: directory.path).readAll().count == 14)
    }
}
