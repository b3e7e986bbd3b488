import Crypto
import Foundation
import PostgresNIO
import QinglingLog

/// What a restore wrote.
public struct RestoreReport: Equatable, Sendable {
    public var segments = 0
    public var batches = 0
    public var bytes = 0
    /// The sequence after the last record restored.
    public var nextSequence: UInt64 = 0
}

/// Rebuilds a county's log from the physical copy (`qingling restore`): every segment byte for
/// byte, with `log.meta`. The batches' hashes and chain are checked on the way; the log is
/// built in a hidden directory beside the target and renamed into place only when complete
/// and synced, so a failed restore leaves nothing behind.
public enum CountyRestorer {
    public static func restore(county: String, from database: ProvinceDatabase, into directory: String) async throws(ProvinceError) -> RestoreReport {
        let target = URL(fileURLWithPath: directory).standardizedFileURL.path
        try checkTarget(target)
        try await SchemaMigrations.check(database)
        let metaRows = try await database.run("SELECT log_meta FROM qingling.counties WHERE county = \(county)", during: "reading county \(county)")
        guard let meta = try? metaRows.first?.decode(ByteBuffer.self) else { throw .noCopy(county: county) }
        let segmentRows = try await database.run("""
            SELECT path, header, marks_after FROM qingling.segments WHERE county = \(county) ORDER BY base_sequence, year, path
            """, during: "reading the segments of county \(county)")
        let building = (target as NSString).deletingLastPathComponent + "/.\((target as NSString).lastPathComponent).restoring-\(getpid())"
        try? FileManager.default.removeItem(atPath: building)
        var report = RestoreReport()
        do {
            try makeDirectory(building)
            try write(Array(meta.readableBytesView), to: building + "/" + LogMetadata.fileName)
            try makeDirectory(building + "/segments")
            var previousHash = [UInt8](repeating: 0, count: 32)
            var expected: UInt64 = 0
            for row in segmentRows {
                guard let (path, header, trailing) = try? row.decode((String, ByteBuffer, ByteBuffer).self),
                      CountyShipper.segmentName(path) != nil, !path.contains("..") else {
                    throw ProvinceError.damagedCopy(county: county, reason: "a segment row is not readable")
                }
                var file = Array(header.readableBytesView)
                let batchRows = try await database.run("""
                    SELECT "offset", base_sequence, marks_before, bytes, hash FROM qingling.batches
                    WHERE county = \(county) AND path = \(path) ORDER BY "offset"
                    """, during: "reading the batches of \(path)")
                for batchRow in batchRows {
                    guard let (offset, base, leading, bytes, hash) = try? batchRow.decode((Int64, Int64, ByteBuffer, ByteBuffer, ByteBuffer).self) else {
                        throw ProvinceError.damagedCopy(county: county, reason: "a batch row of \(path) is not readable")
                    }
                    let batch = Array(bytes.readableBytesView)
                    file += Array(leading.readableBytesView)
                    guard Int64(file.count) == offset else {
                        throw ProvinceError.damagedCopy(county: county, reason: "\(path): the batch at sequence \(base) was copied at offset \(offset), but the bytes before it end at \(file.count)")
                    }
                    guard batch.count >= BatchHeader.size, Array(SHA256.hash(data: batch)) == Array(hash.readableBytesView),
                          let decoded = try? BatchHeader.decode(Array(batch[0..<BatchHeader.size])) else {
                        throw ProvinceError.damagedCopy(county: county, reason: "\(path): the batch at sequence \(base) does not match its hash")
                    }
                    guard decoded.baseSequence == expected, decoded.previousHash == previousHash else {
                        throw ProvinceError.damagedCopy(county: county, reason: "\(path): the batch at sequence \(base) does not follow the one before it (expected sequence \(expected) and the previous batch's hash)")
                    }
                    file += batch
                    previousHash = Array(hash.readableBytesView)
                    expected = decoded.nextSequence
                    report.batches += 1
                }
                file += Array(trailing.readableBytesView)
                let destination = building + "/" + path
                try makeDirectory((destination as NSString).deletingLastPathComponent)
                try write(file, to: destination)
                report.segments += 1
                report.bytes += file.count
            }
            report.nextSequence = expected
            try syncDirectory(building + "/segments")
            try syncDirectory(building)
            try moveIntoPlace(building, target)
        } catch let error as ProvinceError {
            try? FileManager.default.removeItem(atPath: building)
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: building)
            throw .restoreTarget(path: target, reason: "\(error)")
        }
        return report
    }

    /// The target must be absent or an empty directory.
    static func checkTarget(_ path: String) throws(ProvinceError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw .restoreTarget(path: path, reason: "it is a file; name a new or empty directory") }
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? ["?"]
        guard contents.isEmpty else { throw .restoreTarget(path: path, reason: "it is not empty; name a new or empty directory") }
    }

    private static func makeDirectory(_ path: String) throws(ProvinceError) {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw .restoreTarget(path: path, reason: error.localizedDescription)
        }
    }

    /// Writes and syncs a file.
    private static func write(_ bytes: [UInt8], to path: String) throws(ProvinceError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .restoreTarget(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + written, $0.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                throw .restoreTarget(path: path, reason: String(cString: strerror(errno)))
            }
            written += result
        }
        guard fsync(fd) == 0 else { throw .restoreTarget(path: path, reason: String(cString: strerror(errno))) }
    }

    private static func syncDirectory(_ path: String) throws(ProvinceError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .restoreTarget(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .restoreTarget(path: path, reason: String(cString: strerror(errno))) }
    }

    /// Renames the built log over the target (an empty directory is replaced by rename(2)).
    private static func moveIntoPlace(_ building: String, _ target: String) throws(ProvinceError) {
        guard rename(building, target) == 0 else {
            throw .restoreTarget(path: target, reason: "renaming the restored log into place: \(String(cString: strerror(errno)))")
        }
        try syncDirectory((target as NSString).deletingLastPathComponent)
    }
}
