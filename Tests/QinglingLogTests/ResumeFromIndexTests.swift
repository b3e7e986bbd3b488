import Foundation
import Testing
@testable import QinglingLog

/// Opening a log takes the last segment's batches from its index (checking their checksums)
/// and scans only what the index does not cover; the result must be what a full scan gives.
@Suite struct ResumeFromIndexTests {
    private func indexPath(_ directory: String) -> String {
        directory + "/index/" + (RawFile.files(in: directory + "/index").last ?? "")
    }

    @Test func aStaleIndexIsResumedAndTheRestScannedToTheSameIndexAsAFullScan() throws {
        let directory = TemporaryDirectory()
        let (options, _) = simulatedOptions()
        let first = try LogWriter(directory: directory.path, options: options)
        for batch in 0..<3 { try first.append(sampleRecords(20, batch: batch)) }
        try first.close()
        let staleIndex = RawFile.read(indexPath(directory.path))

        let second = try LogWriter(directory: directory.path, options: options)
        #expect(second.nextSequence == 60)
        for batch in 3..<5 { try second.append(sampleRecords(20, batch: batch)) }
        try second.close()
        let fullIndex = RawFile.read(indexPath(directory.path))

        // As after a crash: the index covers only the first three batches.
        RawFile.write(indexPath(directory.path), staleIndex)
        let resumed = try LogWriter(directory: directory.path, options: options)
        #expect(resumed.nextSequence == 100)
        #expect(resumed.recovery.batchesValidated == 5)
        try resumed.close()
        #expect(RawFile.read(indexPath(directory.path)) == fullIndex)

        // Without any index, the full scan writes the same index.
        try FileManager.default.removeItem(atPath: directory.path + "/index")
        try LogWriter(directory: directory.path, options: options).close()
        #expect(RawFile.read(indexPath(directory.path)) == fullIndex)
        #expect(try LogReader(directory: directory.path).records(forKey: "B-4").map(\.sequence) == Array(80..<100))
    }

    @Test func aDamagedIndexBlockFallsBackToAFullScan() throws {
        let directory = TemporaryDirectory()
        let (options, _) = simulatedOptions()
        let writer = try LogWriter(directory: directory.path, options: options)
        for batch in 0..<3 { try writer.append(sampleRecords(20, batch: batch)) }
        try writer.close()
        var index = RawFile.read(indexPath(directory.path))
        index[index.count - 3] ^= 0x40  // inside the last stream block
        RawFile.write(indexPath(directory.path), index)
        let reopened = try LogWriter(directory: directory.path, options: options)
        #expect(reopened.nextSequence == 60)
        try reopened.append(sampleRecords(20, batch: 3))
        try reopened.close()
        #expect(try LogReader(directory: directory.path).records(forKey: "H-3").count == 12)
    }
}
