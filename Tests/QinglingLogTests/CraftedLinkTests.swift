import Foundation
import QinglingTestSupport
import Testing
@testable import QinglingLog

/// A sealed year's link (`chain.qllink`) is what the writer goes on from when the log ends with
/// that year: a link whose fields do not hold together, even with its checksum right, is
/// refused with a clear error, never taken up.
@Suite struct CraftedLinkTests {
    /// A log whose only year, 2023, is sealed; the path of its link (made writable).
    private func sealedLog(_ directory: String) throws -> String {
        let (options, clock) = simulatedOptions(at: ShanghaiTime.startOfYear(2023) + SealingTests.midYear)
        let writer = try LogWriter(directory: directory, options: options)
        try writer.append(sampleRecords(30))
        clock.set(microseconds: ShanghaiTime.startOfYear(2025) + SealingTests.midYear)
        let plan = try writer.sealingPlan(year: 2023)
        _ = try writer.prepareSealing(plan)
        try writer.commitSealing(plan)
        try writer.close()
        let path = LogLayout(directory: directory).link(2023)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        return path
    }

    private func writerOptions() -> LogOptions {
        simulatedOptions(at: ShanghaiTime.startOfYear(2025) + SealingTests.midYear).0
    }

    @Test func aLinkWhoseLastTimeIsNotInItsYearIsRefusedNotTakenUp() throws {
        let temporary = TemporaryDirectory()
        let directory = temporary.child("log")
        let path = try sealedLog(directory)
        let written = RawFile.read(path)
        var crafted = written
        let future = ShanghaiTime.startOfYear(2030)
        withUnsafeBytes(of: future.littleEndian) { for (index, byte) in $0.enumerated() { crafted[18 + index] = byte } }
        RawFile.write(path, ChecksumFixer.link(crafted))
        // Before: the writer went on from the link's time, and stamped the next records in 2030.
        #expect(throws: LogError.corrupt(path: path, offset: 18, reason: "link's last recorded time \(future) is not in 2023")) {
            let writer = try LogWriter(directory: directory, options: writerOptions())
            defer { try? writer.close() }
            try writer.append(sampleRecords(1, batch: 1))
        }
        RawFile.write(path, written)
        let writer = try LogWriter(directory: directory, options: writerOptions())
        try writer.append(sampleRecords(1, batch: 1))
        try writer.close()
        #expect(try LogReader(directory: directory).verify().passed)
    }

    @Test func aLinkIsDecodedOnlyWhenEveryFieldHoldsTogether() throws {
        let temporary = TemporaryDirectory()
        let bytes = RawFile.read(try sealedLog(temporary.child("log")))
        let link = try SealedYearLink.decode(bytes, year: 2023, path: "link")
        #expect(link.encoded() == bytes && link.nextSequence == 30)
        func crafted(_ offset: Int, _ field: [UInt8]) -> [UInt8] {
            var changed = bytes
            changed.replaceSubrange(offset..<offset + field.count, with: field)
            return ChecksumFixer.link(changed)
        }
        let refused: [(bytes: [UInt8], offset: Int64)] = [
            (Array(bytes.dropLast()), 0), (bytes + [0], 0), (crafted(0, Array("QLLINK02".utf8)), 0),
            (crafted(8, [0xE8, 0x07]), 8),                                      // year 2024
            (crafted(10, [UInt8](repeating: 0, count: 8)), 10),                  // the year ends before sequence 0
            (crafted(18, withUnsafeBytes(of: ShanghaiTime.startOfYear(2024).littleEndian, Array.init)), 18),
            (crafted(18, withUnsafeBytes(of: Int64.min.littleEndian, Array.init)), 18),   // its year was computed with an overflow
            (crafted(18, withUnsafeBytes(of: Int64.max.littleEndian, Array.init)), 18),
            ({ var damaged = bytes; damaged[30] ^= 1; return damaged }(), 58),   // the checksum no longer matches
        ]
        for (bytes, offset) in refused {
            #expect { try SealedYearLink.decode(bytes, year: 2023, path: "link") } throws: { error in
                guard case let .corrupt(path, at, _) = error as? LogError else { return false }
                return path == "link" && at == offset
            }
        }
    }

    @Test func theYearOfAnyRecordedTimeIsComputedWithoutOverflow() {
        #expect(ShanghaiTime.year(ofMicroseconds: .max) == 294_247)
        #expect(ShanghaiTime.year(ofMicroseconds: .min) == -290_308)
        #expect(ShanghaiTime.year(ofMicroseconds: ShanghaiTime.startOfYear(2024) - 1) == 2023)
        #expect(ShanghaiTime.year(ofMicroseconds: ShanghaiTime.startOfYear(2024)) == 2024)
        #expect(ShanghaiTime.year(ofMicroseconds: -1) == 1970)
    }
}
