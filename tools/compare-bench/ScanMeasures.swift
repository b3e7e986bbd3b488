import Foundation
import QinglingLog

/// The log's read path without the projections (checksums, LZ4 decompression with its content
/// checksum, record framing: `LogReader.forEachPayload`) against the stock `lz4 -d` on the same compressed bytes: every
/// batch payload is a standard LZ4 frame, so the frames cut out of the segments and concatenated
/// are a file `lz4 -d` reads.
enum ScanMeasures {
    static func run(log: String, scratch: String) throws {
        let reader = try LogReader(directory: log)
        var events = 0
        var rawBytes = 0
        let scan = try seconds {
            try reader.forEachPayload { _, _, payload in
                events += 1
                rawBytes += payload.count
            }
        }
        result("scan_seconds", scan)
        result("scan_events_per_second", Double(events) / scan)

        let framesPath = scratch + "/payloads.lz4"
        let frames = try extractFrames(reader, to: framesPath)
        let lz4 = try seconds { try ScanMeasures.lz4(framesPath) }
        try FileManager.default.removeItem(atPath: framesPath)
        result("lz4_seconds", lz4)
        result("lz4_events_per_second", Double(events) / lz4)
        result("frames_raw_bytes", Double(frames.raw))
        result("frames_compressed_bytes", Double(frames.compressed))
        note("scan \(events) events in \(String(format: "%.2f", scan)) s; lz4 -d on the same \(frames.compressed) bytes in \(String(format: "%.2f", lz4)) s")
    }

    static func lz4(_ path: String) throws {
        try runProgram("/usr/bin/lz4", ["-d", "-c", "-q", path])
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
