import Foundation
@testable import QinglingLog
import Testing

/// Synced data cut off the end of the last segment (a truncated file, or its last batches
/// damaged) is lost data, not a torn tail: the sync mark after a damaged batch says it was
/// synced, and where whole batches are gone the segment's index, written after they were
/// synced, says how far the segment went.
@Suite struct TruncationTests {
    static func closedLog(_ directory: String) throws -> (segment: String, size: Int64) {
        let (options, _) = simulatedOptions()
        let writer = try LogWriter(directory: directory, options: options)
        for batch in 0..<4 { try writer.append(sampleRecords(20, batch: batch)) }
        try writer.close()
        let segment = lastSegmentPath(directory)
        return (segment, Int64(RawFile.read(segment).count))
    }

    @Test(arguments: ["at a batch boundary", "inside the last batch", "to the segment header", "a byte flipped in the last batch"])
    func lostSyncedDataIsRefusedNotCut(_ damage: String) throws {
        let temporary = TemporaryDirectory()
        let directory = temporary.child("log")
        let (segment, size) = try Self.closedLog(directory)
        let records = try LogReader(directory: directory).readAll()
        var bytes = RawFile.read(segment)
        switch damage {
        case "at a batch boundary":
            // Cut the last batch exactly, at its start as the index records it.
            let index = try SegmentIndex.load(path: LogLayout(directory: directory).index(SegmentName(year: 2024, baseSequence: 0)), fileSystem: PosixFileSystem())
            bytes = Array(bytes.prefix(Int(index.lastBatchOffset)))
        case "inside the last batch": bytes = Array(bytes.prefix(try segmentLayout(bytes).batches.last.map { $0 + 100 } ?? Int(size)))
        case "to the segment header": bytes = Array(bytes.prefix(SegmentHeader.size))
        default: bytes[try segmentLayout(bytes).batches.last.map { $0 + 100 } ?? 0] ^= 0x20
        }
        RawFile.write(segment, bytes)
        #expect(throws: LogError.self) { try LogWriter(directory: directory, options: simulatedOptions(at: june2024 + 10_000_000).0) }
        do {
            _ = try LogReader(directory: directory).readAll()
            Issue.record("\(damage): a reader returned a log missing synced records")
        } catch {
            guard case let .corrupt(path, _, reason) = error else { Issue.record("\(error)"); return }
            #expect(path == segment && (reason.contains("synced data was lost") || reason.contains("checksum")), "\(reason)")
        }
        let report = try LogReader(directory: directory).verify()
        #expect(!report.passed && report.tornTail == nil, "\(damage): verify calls synced bytes a torn tail")
        // `qingling recover` calls it damage to acknowledged data and refuses to cut it.
        let shown = try #require(try LogRecovery.inspect(directory: directory), "\(damage): recover sees nothing to recover")
        #expect(shown.kind == .acknowledged, "\(damage): \(shown)")
        #expect(throws: LogError.self) { try LogRecovery.cut(shown, directory: directory) }
        // Nothing was cut: the bytes are as damaged, for an operator to look at.
        #expect(RawFile.read(segment) == bytes)
        #expect(records.count == 80)
    }

    /// A last segment cut inside its header (a segment appears under its name only once its
    /// header is synced): refused by the writer, saying why, though no batch follows.
    @Test func aSegmentCutInsideItsHeaderIsRefusedSayingWhy() throws {
        let temporary = TemporaryDirectory()
        let directory = temporary.child("log")
        let (segment, _) = try Self.closedLog(directory)
        RawFile.write(segment, Array(RawFile.read(segment).prefix(20)))
        do {
            _ = try LogWriter(directory: directory, options: simulatedOptions(at: june2024 + 10_000_000).0)
            Issue.record("the writer opened a log whose last segment is cut inside its header")
        } catch {
            guard case let .corrupt(path, offset, reason) = error else { Issue.record("\(error)"); return }
            #expect(path == segment && offset == 0 && reason.contains("header is synced") && !reason.contains("valid batch"), "\(reason)")
        }
    }

    /// A garbled header of a last segment that holds synced batches: refused, never emptied.
    @Test func aGarbledSegmentHeaderWithBatchesBehindItIsCorruption() throws {
        let temporary = TemporaryDirectory()
        let directory = temporary.child("log")
        let (segment, _) = try Self.closedLog(directory)
        var bytes = RawFile.read(segment)
        bytes[3] ^= 0x01
        RawFile.write(segment, bytes)
        #expect(throws: LogError.self) { try LogWriter(directory: directory, options: simulatedOptions(at: june2024 + 10_000_000).0) }
        #expect(throws: LogError.self) { try LogReader(directory: directory).readAll() }
        #expect(RawFile.read(segment) == bytes)
    }
}
