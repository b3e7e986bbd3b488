import Foundation
import QinglingLog

/// Durable appends through the log library: the generated log's own records (keys and event
/// payloads) written again into a new log, one `fdatasync` per batch; then a bulk import of the
/// whole log with one sync at the end. The bare `fdatasync` of the same number of bytes on a plain
/// file is the floor a single-event append is compared with.
enum AppendMeasures {
    static func run(log: String, scratch: String) throws {
        let reader = try LogReader(directory: log)
        var sample: [Record] = []
        try reader.forEach(in: 0..<121_000) { sample.append(Record(keys: $0.keys, payload: $0.payload)) }
        guard sample.count == 121_000 else {
            throw BenchError("\(log) holds \(sample.count) records; the appends rewrite its first 121,000")
        }
        let recordBytes = sample.prefix(1_000).reduce(0) { $0 + $1.payload.count } / 1_000
        result("record_payload_bytes", Double(recordBytes))

        result("fdatasync_seconds", try bareFdatasync(path: scratch + "/fdatasync.bin", bytes: recordBytes + 120, count: 1_000))

        for (size, batches) in [(1, 1_000), (100, 200), (1_000, 100)] {
            let directory = scratch + "/append-\(size)"
            try? FileManager.default.removeItem(atPath: directory)
            let writer = try LogWriter(directory: directory)
            var offset = 0
            let elapsed = try seconds {
                for _ in 0..<batches {
                    try writer.append(Array(sample[offset..<offset + size]), durability: .synced)
                    offset += size
                }
            }
            try writer.close()
            try FileManager.default.removeItem(atPath: directory)
            result("append_\(size)_batch_seconds", elapsed / Double(batches))
            result("append_\(size)_events_per_second", Double(size * batches) / elapsed)
            note("durable append, \(size)-event batches: \(String(format: "%.3f", elapsed * 1e3 / Double(batches))) ms per batch")
        }

        // Bulk import: every record of the log, 10,000 per batch, deferred, one sync. Only the
        // appends are timed (reading the source log is not).
        let directory = scratch + "/bulk"
        try? FileManager.default.removeItem(atPath: directory)
        let writer = try LogWriter(directory: directory)
        var pending: [Record] = []
        pending.reserveCapacity(10_000)
        var appendSeconds = 0.0
        var count = 0
        try reader.forEach { record throws(LogError) in
            pending.append(Record(keys: record.keys, payload: record.payload))
            if pending.count == 10_000 {
                let start = DispatchTime.now().uptimeNanoseconds
                try writer.append(pending, durability: .deferred)
                appendSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                count += pending.count
                pending.removeAll(keepingCapacity: true)
            }
        }
        appendSeconds += try seconds {
            if !pending.isEmpty { try writer.append(pending, durability: .deferred) }
            try writer.sync()
        }
        count += pending.count
        try writer.close()
        try FileManager.default.removeItem(atPath: directory)
        result("bulk_import_events_per_second", Double(count) / appendSeconds)
        note("bulk import: \(count) events in \(String(format: "%.1f", appendSeconds)) s")
    }

    /// The mean time to append `bytes` bytes to a plain file and `fdatasync` it.
    static func bareFdatasync(path: String, bytes: Int, count: Int) throws -> Double {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0o644)
        guard descriptor >= 0 else { throw BenchError("cannot create \(path)") }
        defer {
            close(descriptor)
            unlink(path)
        }
        let block = [UInt8](repeating: 0x5A, count: bytes)
        let elapsed = try seconds {
            for _ in 0..<count {
                guard block.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) == bytes, fdatasync(descriptor) == 0 else {
                    throw BenchError("write or fdatasync of \(path) failed")
                }
            }
        }
        return elapsed / Double(count)
    }
}
