// Throughput figures of the segment log, from a release build:
//
//     swift run -c release log-bench [--quick] [DIRECTORY]
//
// Measures durable appends (two fdatasyncs per batch: the batch, then its sync mark) for batches of 1, 100 and 1,000 records
// of about 300 bytes, the scan rate (read, checksums, decompress, decode), the stock `lz4 -d`
// on the same payload bytes, and bytes per record on disk. Prints a table; asserts nothing.
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import QinglingLog

let arguments = CommandLine.arguments.dropFirst()
let quick = arguments.contains("--quick")
let root = arguments.first { !$0.hasPrefix("--") } ?? NSTemporaryDirectory() + "qingling-log-bench-\(getpid())"
try? FileManager.default.removeItem(atPath: root)
try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: root) }

/// A JSON-like event of about 300 bytes, varied enough to compress like real events.
func record(_ number: Int) -> Record {
    let hazard = "LX-2024-\(String(format: "%04d", number % 5_000))"
    let regions = ["长安街道", "桃矿街道", "五里牌街道", "云湖街道", "忠防镇", "聂市镇", "江南镇", "桃林镇"]
    let text = """
    {"eventId":"ev-\(number)-\(number &* 2_654_435_761 % 1_000_003)","type":"HazardSupervised","occurredAt":"2024-\(String(format: "%02d", number % 12 + 1))-\(String(format: "%02d", number % 28 + 1))T09:\(String(format: "%02d", number % 60)):00+08:00","actor":{"organization":{"kind":"department","id":"yjj","name":"临湘市应急管理局"},"person":{"id":"p\(number % 97)","name":"王\(number % 13)"}},"data":{"hazardId":"\(hazard)","region":"\(regions[number % regions.count])","deadline":"2024-\(String(format: "%02d", (number / 7) % 12 + 1))-15"}}
    """
    return Record(keys: [hazard], payload: Array(text.utf8))
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func format(_ value: Double) -> String {
    value >= 100 ? String(format: "%.0f", value) : String(format: "%.2f", value)
}

print("Qingling segment log benchmark (\(quick ? "quick" : "full") run) in \(root)")
print("")
print("| measurement | records | seconds | records/s | MB/s (raw) |")
print("|---|---:|---:|---:|---:|")

let averageBytes = Double((0..<1000).reduce(0) { $0 + record($1).payload.count }) / 1000

// 1. Durable appends: two fdatasyncs per batch (the batch, then its sync mark).
var number = 0
for (batchSize, batches) in [(1, quick ? 300 : 2_000), (100, quick ? 50 : 300), (1_000, quick ? 10 : 60)] {
    let directory = root + "/append-\(batchSize)"
    let writer = try LogWriter(directory: directory)
    let batchesOfRecords = (0..<batches).map { _ in (0..<batchSize).map { _ -> Record in number += 1; return record(number) } }
    let elapsed = try seconds {
        for batch in batchesOfRecords { try writer.append(batch) }
    }
    try writer.close()
    let count = Double(batchSize * batches)
    print("| durable append, \(batchSize)-record batches (\(format(Double(batches) / elapsed)) batches/s) | \(batchSize * batches) | \(format(elapsed)) | \(format(count / elapsed)) | \(format(count * averageBytes / elapsed / 1e6)) |")
}

// 1b. The floor a durable append stands on: a write of the same size to a plain file, then one
// fdatasync. A durable append costs two (the batch, then the sync mark proving it synced).
do {
    let path = root + "/bare-fdatasync"
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    let bytes = [UInt8](repeating: 0x61, count: Int(averageBytes) + BatchHeader.size)
    let count = quick ? 300 : 2_000
    var offset = 0
    let elapsed = seconds {
        for _ in 0..<count {
            _ = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, off_t(offset)) }
            offset += bytes.count
            _ = fdatasync(descriptor)
        }
    }
    close(descriptor)
    print("| bare write + fdatasync of one record's bytes, for comparison | \(count) | \(format(elapsed)) | \(format(Double(count) / elapsed)) | |")
}

// 2. A larger log for scanning, written in bulk (deferred sync).
let scanDirectory = root + "/scan"
let scanRecords = quick ? 200_000 : 2_000_000
do {
    let writer = try LogWriter(directory: scanDirectory)
    let template = (0..<10_000).map(record)
    let elapsed = try seconds {
        var written = 0
        while written < scanRecords {
            try writer.append(Array(template[(written % 10_000)..<(written % 10_000 + 1_000)]), durability: .deferred)
            written += 1_000
        }
        try writer.sync()
    }
    try writer.close()
    print("| bulk import, 1,000-record batches, one sync | \(scanRecords) | \(format(elapsed)) | \(format(Double(scanRecords) / elapsed)) | \(format(Double(scanRecords) * averageBytes / elapsed / 1e6)) |")
}

// 3. Scan: read, check checksums, decompress, decode every record.
let reader = try LogReader(directory: scanDirectory)
var scanned = 0
var rawBytes = 0
let scanSeconds = try seconds {
    try reader.forEach { record in
        scanned += 1
        rawBytes += record.payload.count
    }
}
print("| scan (checksums + LZ4 decompress + decode) | \(scanned) | \(format(scanSeconds)) | \(format(Double(scanned) / scanSeconds)) | \(format(Double(rawBytes) / scanSeconds / 1e6)) |")

// 4. Verify: the same plus the SHA-256 hash chain.
let verifySeconds = try seconds { _ = try reader.verify() }
print("| verify (scan + SHA-256 chain) | \(scanned) | \(format(verifySeconds)) | \(format(Double(scanned) / verifySeconds)) | \(format(Double(rawBytes) / verifySeconds / 1e6)) |")

// 5. The stock lz4 tool on the same payload bytes: every batch's LZ4 frame, concatenated.
var frames = Data()
var diskBytes = 0
var batchRawBytes = 0
for name in try reader.segments() {
    let bytes = try Data(contentsOf: URL(fileURLWithPath: reader.layout.segment(name)))
    diskBytes += bytes.count
    var offset = SegmentHeader.size
    while offset + BatchHeader.size <= bytes.count {
        let header = try BatchHeader.decode([UInt8](bytes[offset..<offset + BatchHeader.size]))
        frames.append(bytes[(offset + BatchHeader.size)..<(offset + header.totalLength)])
        batchRawBytes += Int(header.rawLength)
        offset += header.totalLength
    }
}
let framesPath = root + "/payloads.lz4"
try frames.write(to: URL(fileURLWithPath: framesPath))
let lz4 = Process()
lz4.executableURL = URL(fileURLWithPath: "/usr/bin/lz4")
lz4.arguments = ["-d", "-c", "-q", framesPath]
lz4.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
let lz4Seconds = try seconds {
    try lz4.run()
    lz4.waitUntilExit()
}
print("| `lz4 -d` on the same payload bytes (the limit) | \(scanned) | \(format(lz4Seconds)) | \(format(Double(scanned) / lz4Seconds)) | \(format(Double(batchRawBytes) / lz4Seconds / 1e6)) |")

print("")
print("Scan speed is \(String(format: "%.0f", 100 * lz4Seconds / scanSeconds))% of `lz4 -d` on the same bytes.")
print("On disk: \(diskBytes) bytes for \(scanned) records = \(format(Double(diskBytes) / Double(scanned))) bytes/record (payload \(format(averageBytes)) bytes/record, ratio \(format(Double(rawBytes) / Double(diskBytes))):1 including headers).")
