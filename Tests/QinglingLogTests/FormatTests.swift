import Foundation
import QinglingTestSupport
import Testing
@testable import QinglingLog

@Suite struct FormatTests {
    @Test func crc32cMatchesTheStandardCheckValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8]()) == 0)
        // Slicing-by-8 and the byte-wise tail agree on every length.
        let bytes = (0..<100).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        for length in 0...bytes.count {
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in bytes[..<length] {
                crc ^= UInt32(byte)
                for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
            }
            #expect(CRC32C.checksum(bytes[..<length]) == crc ^ 0xFFFF_FFFF)
            #expect(bytes[..<length].withUnsafeBytes { CRC32C.softwareChecksum($0) } == crc ^ 0xFFFF_FFFF)
        }
    }

    @Test func theProcessorInstructionAndTheTablesAgreeAtEveryAlignment() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let bytes = (0..<(1 << 20) + 13).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        for start in 0..<9 {
            for length in [0, 1, 7, 8, 9, 63, 64, 65, 4_096, 100_003, (1 << 20)] {
                let slice = bytes[start..<start + length]
                #expect(CRC32C.checksum(slice) == slice.withUnsafeBytes { CRC32C.softwareChecksum($0) }, "start \(start), length \(length)")
            }
        }
        // Where the processor has the instruction (x86-64 with SSE4.2, as CI's machines do), it is used.
        #if arch(x86_64)
        #expect(CRC32C.hardware)
        #endif
    }

    @Test func batchHeaderRoundTripsAndRefusesAnyFlippedBit() throws {
        let header = BatchHeader(baseSequence: 42, recordCount: 3, payloadLength: 100, rawLength: 250,
                                 payloadChecksum: 0xDEAD_BEEF, firstRecordedAt: 10, lastRecordedAt: 12,
                                 previousHash: (0..<32).map { UInt8($0) })
        let bytes = header.encoded()
        #expect(bytes.count == BatchHeader.size)
        #expect(try BatchHeader.decode(bytes) == header)
        for bit in 0..<(BatchHeader.size * 8) {
            var damaged = bytes
            damaged[bit / 8] ^= 1 << UInt8(bit % 8)
            #expect(throws: BatchHeader.HeaderError.self) { try BatchHeader.decode(damaged) }
        }
        #expect(throws: BatchHeader.HeaderError.incomplete) { try BatchHeader.decode(bytes.prefix(87)) }
    }

    @Test func segmentNamesParseAndSortBySequence() {
        let name = SegmentName(year: 2024, baseSequence: 1234)
        #expect(name.fileName == "2024-00000000000000001234.qlseg")
        #expect(SegmentName(fileName: name.fileName) == name)
        #expect(SegmentName(fileName: "2024-1234.qlseg") == nil)
        #expect(SegmentName(fileName: "notes.txt") == nil)
        #expect(SegmentName(year: 2025, baseSequence: 9) < SegmentName(year: 2025, baseSequence: 10))
    }

    @Test func shanghaiYearTurnsAtMidnightUTCPlusEight() {
        let start2025 = ShanghaiTime.startOfYear(2025)
        // 2025-01-01T00:00:00+08:00 is 2024-12-31T16:00:00Z.
        #expect(start2025 == 1_735_660_800_000_000)
        #expect(ShanghaiTime.year(ofMicroseconds: start2025) == 2025)
        #expect(ShanghaiTime.year(ofMicroseconds: start2025 - 1) == 2024)
        #expect(ShanghaiTime.year(ofMicroseconds: 0) == 1970)
        for year in [1969, 2000, 2023, 2024, 2100] {
            #expect(ShanghaiTime.year(ofMicroseconds: ShanghaiTime.startOfYear(year)) == year)
            #expect(ShanghaiTime.year(ofMicroseconds: ShanghaiTime.startOfYear(year) - 1) == year - 1)
        }
        let date = ShanghaiTime.civilDate(daysSinceEpoch: ShanghaiTime.daysSinceEpoch(year: 2024, month: 2, day: 29))
        #expect(date.year == 2024 && date.month == 2 && date.day == 29)
    }

    @Test func lz4FrameRoundTripsAndRejectsDamage() throws {
        let raw = Array(String(repeating: "重大事故隐患 closed-loop ", count: 200).utf8)
        let frame = LZ4Frame.compress(raw)
        #expect(frame.count < raw.count)
        #expect(try LZ4Frame.decompress(frame, expectedCount: raw.count).get() == raw)
        var damaged = frame
        damaged[damaged.count - 2] ^= 0x40  // inside the content checksum
        #expect(throws: LZ4Frame.FrameError.self) { try LZ4Frame.decompress(damaged, expectedCount: raw.count).get() }
        #expect(throws: LZ4Frame.FrameError.self) { try LZ4Frame.decompress(Array(frame.dropLast(5)), expectedCount: raw.count).get() }
        #expect(throws: LZ4Frame.FrameError.self) { try LZ4Frame.decompress(frame, expectedCount: raw.count + 1).get() }
    }

    /// The scan's path for frames whose bytes a CRC has vouched for decodes exactly what the
    /// frame decoder does: one-block frames of each block size, a stored (incompressible)
    /// block, the empty frame, and a frame of linked blocks (which it hands to the frame decoder).
    @Test func checkedFramesDecompressLikeTheFrameDecoder() throws {
        var random = SystemRandomNumberGenerator()
        let text = Array(String(repeating: "隐患整改 verified and closed; ", count: 400).utf8)
        let contents: [[UInt8]] = [
            [], Array(text.prefix(10)), text, Array(repeating: text, count: 30).flatMap { $0 },
            (0..<70_000).map { _ in UInt8.random(in: 0...255, using: &random) },
            Array(repeating: text, count: 500).flatMap { $0 },  // over 4 MiB: linked blocks
        ]
        for raw in contents {
            let frame = LZ4Frame.compress(raw)
            var output: [UInt8] = [7, 7, 7]
            let error = frame.withUnsafeBytes { LZ4Frame.decompress(checked: $0, into: &output, expectedCount: raw.count) }
            #expect(error == nil, "\(raw.count) bytes: \(error?.reason ?? "")")
            #expect(output == raw, "\(raw.count) bytes")
            let wrongCount = frame.withUnsafeBytes { LZ4Frame.decompress(checked: $0, into: &output, expectedCount: raw.count + 1) }
            #expect(wrongCount != nil, "\(raw.count) bytes, one more expected")
            for cut in [Array(frame.dropLast(1)), frame + [0]] {
                let broken = cut.withUnsafeBytes { LZ4Frame.decompress(checked: $0, into: &output, expectedCount: raw.count) }
                #expect(broken != nil, "\(raw.count) bytes, frame of \(cut.count) bytes instead of \(frame.count)")
            }
        }
    }

    /// Damaged bytes on the checked path (which only a broken CRC check would let through)
    /// are refused or decoded to the expected length, never read or written out of bounds.
    @Test func damagedCheckedFramesNeverOverrun() {
        var random = SystemRandomNumberGenerator()
        let raw = Array(String(repeating: "重大事故隐患 closed-loop ", count: 300).utf8)
        let frame = LZ4Frame.compress(raw)
        var output: [UInt8] = []
        for _ in 0..<3_000 {
            var damaged = frame
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                damaged[Int.random(in: 0..<damaged.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            let error = damaged.withUnsafeBytes { LZ4Frame.decompress(checked: $0, into: &output, expectedCount: raw.count) }
            if error == nil { #expect(output.count == raw.count) }
        }
    }

    @Test func aPayloadCutOutOfASegmentDecompressesWithTheStockLZ4Tool() throws {
        let lz4 = "/usr/bin/lz4"
        try #require(FileManager.default.isExecutableFile(atPath: lz4), "the lz4 tool (Debian package lz4) is needed")
        let directory = TemporaryDirectory("lz4tool")
        let (options, _) = simulatedOptions()
        let writer = try LogWriter(directory: directory.child("log"), options: options)
        let records = sampleRecords(20)
        try writer.append(records)
        try writer.close()
        let segment = RawFile.read(lastSegmentPath(directory.child("log")))
        let header = try BatchHeader.decode(segment[SegmentHeader.size...])
        let start = SegmentHeader.size + BatchHeader.size
        let payload = Array(segment[start..<start + Int(header.payloadLength)])
        RawFile.write(directory.child("payload.lz4"), payload)
        let lz4Run = try ChildProcess.run(lz4, ["-d", "-f", "-q", directory.child("payload.lz4"), directory.child("payload.raw")])
        #expect(lz4Run.status == 0, "\(lz4Run.stderr)")
        let raw = RawFile.read(directory.child("payload.raw"))
        #expect(raw.count == Int(header.rawLength))
        let decoded = try RecordCodec.decode(raw, header: header).get()
        #expect(decoded.map(\.payload) == records.map(\.payload))
    }

    /// The worked example of `docs/format.md` §10 (bytes computed by a script written from that
    /// page): the writer writes exactly these segment and index bytes.
    @Test func theWriterWritesTheWorkedExampleOfTheFormatPage() throws {
        let directory = TemporaryDirectory()
        let writer = try LogWriter(directory: directory.path, options: LogOptions(clock: SimulatedClock(microseconds: 1_704_067_200_000_000)))
        try writer.append([Record(keys: ["LX-2024-0001"], payload: Array("hello".utf8))])
        try writer.close()
        let segment = "514c5345474d4e540200e80700000000000000000000000000000000a1c77029514c4231030001000000000000000000010000003a0000001f000000f0dc696b00202110d70d060000202110d70d060000000000000000000000000000000000000000000000000000000000000000002000000088fb564d04224d186c401f00000000000000221f0000801b00000000202110d70d0600010c4c582d323032342d3030303168656c6c6f0000000012779bec514c534d01000000b200000000000000010000000000000000000000728d5f1e"
        let index = "514c494e44455831010000000100000000000000000000000100000000000000b200000000000000200000000000000000202110d70d060001000000010000008611653e50283bb0b152bd73e9b293e8772c32e5d74d37b4bcbd307e6ee246ec00000000d0d532e50000000000000000200000000000000073ff704f4479a806c5d7997601000000332566f966796d544479a806c5d799760000000000000000"
        #expect(RawFile.read(directory.child("segments/2024-00000000000000000000.qlseg")) == Self.bytes(hex: segment))
        #expect(RawFile.read(directory.child("index/2024-00000000000000000000.qlidx")) == Self.bytes(hex: index))
    }

    static func bytes(hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16) ?? 0 }
    }
}
