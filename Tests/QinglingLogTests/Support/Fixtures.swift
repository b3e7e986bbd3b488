@testable import QinglingLog

/// Records with recognisable payloads: record `i` of batch `batch` carries keys `H-<i % 7>`
/// and `B-<batch>`. Payloads mix text with pseudo-random hex digits, so they compress about as
/// well as JSON-like events do (2–4×).
func sampleRecords(_ count: Int, batch: Int = 0, payloadBytes: Int = 300) -> [Record] {
    var state = UInt64(truncatingIfNeeded: batch &* 1_000_003 &+ 17)
    return (0..<count).map { index in
        var text = "batch \(batch) record \(index) 隐患整改 "
        while text.utf8.count < payloadBytes {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            text += String(state >> 40, radix: 16) + " "
        }
        return Record(keys: ["H-\(index % 7)", "B-\(batch)"], payload: Array(text.utf8.prefix(payloadBytes)))
    }
}

/// 2024-06-01T00:00:00+08:00 in microseconds.
let june2024: Int64 = ShanghaiTime.startOfYear(2024) + 152 * 86_400 * 1_000_000

/// Options for a test log on the simulated clock.
func simulatedOptions(at time: Int64 = june2024, segmentBytes: Int64 = LogLimits.defaultSegmentBytes,
                      fileSystem: any FileSystem = PosixFileSystem()) -> (LogOptions, SimulatedClock) {
    let clock = SimulatedClock(microseconds: time)
    return (LogOptions(fileSystem: fileSystem, clock: clock, segmentBytes: segmentBytes), clock)
}

/// The path of the only (or last) segment of a log.
func lastSegmentPath(_ directory: String) -> String {
    let names = RawFile.files(in: directory + "/segments")
    return directory + "/segments/" + (names.last ?? "")
}

/// The offsets of a segment's batches and of its sync marks, read from its bytes.
func segmentLayout(_ bytes: [UInt8]) throws -> (batches: [Int], marks: [Int]) {
    var batches: [Int] = [], marks: [Int] = []
    var offset = SegmentHeader.size
    while offset < bytes.count {
        if SyncMark.startsMark(bytes[offset...]) {
            marks.append(offset)
            offset += SyncMark.size
        } else {
            batches.append(offset)
            offset += try BatchHeader.decode(bytes[offset...]).totalLength
        }
    }
    return (batches, marks)
}
