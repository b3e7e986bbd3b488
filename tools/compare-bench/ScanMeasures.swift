import Foundation
import QinglingLog

/// The log's read path without the projections (checksums, LZ4 decompression, record framing:
/// `LogReader.forEachPayload`), and the stock `lz4 -d` on the same compressed bytes: every batch
/// payload is a standard LZ4 frame, so the frames cut out of the segments and concatenated are a
/// file `lz4 -d` reads (`run.sh` times it next to each rebuild).
enum ScanMeasures {
    /// Times the scan of the whole log.
    static func run(log: String) throws {
        let reader = try LogReader(directory: log)
        var events = 0
        let scan = try seconds {
            try reader.forEachPayload { _, _, _ in events += 1 }
        }
        result("scan_seconds", scan)
        result("scan_events_per_second", Double(events) / scan)
        note("scan \(events) events in \(String(format: "%.2f", scan)) s")
    }

    /// Writes the log's LZ4 frames, back to back, to `frames` (for `timeLZ4`).
    static func writeFrames(log: String, frames path: String) throws {
        let frames = try extractFrames(try LogReader(directory: log), to: path)
        result("frames_raw_bytes", Double(frames.raw))
        result("frames_compressed_bytes", Double(frames.compressed))
        note("\(frames.compressed) bytes of LZ4 frames written to \(path)")
    }

    /// Times `lz4 -d` decompressing the frames `writeFrames` wrote.
    static func timeLZ4(frames path: String) throws {
        let lz4 = try seconds { try runProgram("/usr/bin/lz4", ["-d", "-c", "-q", path]) }
        result("lz4_seconds", lz4)
        note("lz4 -d on \(path) in \(String(format: "%.2f", lz4)) s")
    }

    /// Writes every batch's LZ4 frame to `path`; returns the decompressed and compressed sizes.
    static func extractFrames(_ reader: LogReader, to path: String) throws -> (raw: Int, compressed: Int) {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let output = FileHandle(forWritingAtPath: path) else { throw BenchError("cannot create \(path)") }
        defer { try? output.close() }
        var raw = 0
        var compressed = 0
        for name in try reader.segments() {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: reader.layout.segment(name)))
            var offset = SegmentHeader.size
            var frames = Data()
            while offset + BatchHeader.size <= bytes.count {
                let header = try BatchHeader.decode([UInt8](bytes[offset..<offset + BatchHeader.size]))
                frames.append(bytes[(offset + BatchHeader.size)..<(offset + header.totalLength)])
                raw += Int(header.rawLength)
                offset += header.totalLength
            }
            compressed += frames.count
            try output.write(contentsOf: frames)
        }
        return (raw, compressed)
    }
}
