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
        let files = try await copiedFiles(county: county, from: database)
        let copy = CopiedFiles(county: county, database: database, hashes: files)
        let building = (target as NSString).deletingLastPathComponent + "/.\((target as NSString).lastPathComponent).restoring-\(getpid())"
        try? FileManager.default.removeItem(atPath: building)
        var report = RestoreReport()
        do {
            try makeDirectory(building)
            try write(Array(meta.readableBytesView), to: building + "/" + LogMetadata.fileName)
            try makeDirectory(building + "/segments")
            var previousHash = [UInt8](repeating: 0, count: 32)
            var expected: UInt64 = 0
            var sealedYears: Set<Int> = []
            // The sealed year whose archive segments were restored last: after them the chain
            // goes on from the year's last live batch, as its link keeps it.
            var sealedBefore: Int?
            for row in segmentRows {
                guard let (path, header, trailing) = try? row.decode((String, ByteBuffer, ByteBuffer).self),
                      let name = CountyShipper.segmentName(path), !path.contains("..") else {
                    throw ProvinceError.damagedCopy(county: county, reason: "a segment row is not readable")
                }
                if let year = sealedBefore, !(name.sealed && name.year == year) {
                    previousHash = try await copy.link(year, endingAt: expected).lastLiveBatchHash
                    sealedBefore = nil
                }
                if name.sealed {
                    sealedYears.insert(name.year)
                    sealedBefore = name.year
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
                try write(file, to: destination, mode: name.sealed ? 0o444 : 0o644)
                report.segments += 1
                report.bytes += file.count
            }
            report.nextSequence = expected
            if let year = sealedBefore { _ = try await copy.link(year, endingAt: expected) }
            for year in sealedYears.sorted() {
                guard files["archive/\(year)/manifest.json"] != nil else {
                    throw ProvinceError.damagedCopy(county: county, reason: "sealed year \(year) has no manifest in the copy; run qingling ship again")
                }
            }
            // A sealed year's files go with its segments; the public key always.
            for path in files.keys.sorted() where path == "signing.pub" || sealedYears.contains(where: { path.hasPrefix("archive/\($0)/") }) {
                let destination = building + "/" + path
                try makeDirectory((destination as NSString).deletingLastPathComponent)
                try write(try await copy.bytes(path), to: destination, mode: path.hasPrefix("archive/") ? 0o444 : 0o644)
            }
            for year in sealedYears {
                for folder in ["/archive/\(year)/attachments", "/archive/\(year)"] where FileManager.default.fileExists(atPath: building + folder) {
                    try syncDirectory(building + folder)
                }
            }
            if !sealedYears.isEmpty { try syncDirectory(building + "/archive") }
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

    /// The copy's files of the log directory besides its segments (`qingling.files`): each
    /// path, kept inside the log directory, with its SHA-256.
    static func copiedFiles(county: String, from database: ProvinceDatabase) async throws(ProvinceError) -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for row in try await database.run("SELECT path, sha256 FROM qingling.files WHERE county = \(county)", during: "reading the files of county \(county)") {
            guard let (path, hash) = try? row.decode((String, ByteBuffer).self) else {
                throw .damagedCopy(county: county, reason: "a file row is not readable")
            }
            let parts = path.split(separator: "/", omittingEmptySubsequences: false)
            guard path == "signing.pub" || (parts.count >= 3 && parts[0] == "archive" && Int(parts[1]) != nil
                                              && parts.allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }) else {
                throw .damagedCopy(county: county, reason: "a file row names \(path.prefix(80)), which is not a file of a log directory")
            }
            files[path] = Array(hash.readableBytesView)
        }
        return files
    }

    /// Writes and syncs a file.
    private static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(ProvinceError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
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

/// The copy's files of a county, read one at a time when needed (evidence files may be large).
struct CopiedFiles {
    let county: String
    let database: ProvinceDatabase
    /// Each file's SHA-256, by path.
    let hashes: [String: [UInt8]]

    /// The bytes of the file at `path`, checked against its hash.
    func bytes(_ path: String) async throws(ProvinceError) -> [UInt8] {
        let rows = try await database.run("SELECT bytes FROM qingling.files WHERE county = \(county) AND path = \(path)", during: "reading \(path) of county \(county)")
        guard let hash = hashes[path], let bytes = try? rows.first?.decode(ByteBuffer.self) else {
            throw .damagedCopy(county: county, reason: "the file \(path) is missing")
        }
        let content = Array(bytes.readableBytesView)
        guard Array(SHA256.hash(data: content)) == hash else {
            throw .damagedCopy(county: county, reason: "the file \(path) does not match its hash")
        }
        return content
    }

    /// The link of sealed year `year`, which must say that the year ends before `sequence`,
    /// where its restored segments end.
    func link(_ year: Int, endingAt sequence: UInt64) async throws(ProvinceError) -> SealedYearLink {
        let path = "archive/\(year)/\(SealedYearLink.fileName)"
        guard hashes[path] != nil else {
            throw .damagedCopy(county: county, reason: "sealed year \(year) has no \(SealedYearLink.fileName) in the copy; run qingling ship again")
        }
        let bytes = try await bytes(path)
        let link: SealedYearLink
        do { link = try SealedYearLink.decode(bytes, year: year, path: path) } catch {
            throw .damagedCopy(county: county, reason: "\(error)")
        }
        guard link.nextSequence == sequence else {
            throw .damagedCopy(county: county, reason: "sealed year \(year)'s segments end before sequence \(sequence), but its link says \(link.nextSequence)")
        }
        return link
    }
}
