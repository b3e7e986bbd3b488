import Crypto
import Foundation
import PostgresNIO
import QinglingArchive
import QinglingLog

/// The files of a county's log directory that a restore needs besides the segments: the archive
/// job's public key and each sealed year's files (its link, signed manifest, indexes and
/// evidence), kept in `qingling.files` by path.
extension CountyShipper {
    /// Ships the files the copy lacks or holds otherwise, one statement each (a file is whole
    /// or absent; evidence files may be large). A sealed year's files never change (they are
    /// read-only once the year is sealed): those held are not read again, and a year found
    /// complete is not listed again by this run.
    func shipFiles() async throws(ProvinceError) {
        let during = "shipping the files of county \(county)'s log"
        var held: [String: [UInt8]] = [:]
        for row in try await database.run("SELECT path, sha256 FROM qingling.files WHERE county = \(county)", during: during) {
            if let (path, hash) = try? row.decode((String, ByteBuffer).self) { held[path] = Array(hash.readableBytesView) }
        }
        let (paths, years) = try logFiles(skipping: sealedYearsWithFiles)
        for path in paths where !(path.hasPrefix("archive/") && held[path] != nil) {
            let bytes: [UInt8]
            do { bytes = Array(try Data(contentsOf: URL(fileURLWithPath: reader.layout.directory + "/" + path))) } catch {
                throw .log("cannot read \(reader.layout.directory)/\(path): \(error.localizedDescription)")
            }
            let hash = Array(SHA256.hash(data: bytes))
            guard held[path] != hash else { continue }
            try await database.run("""
                INSERT INTO qingling.files (county, path, bytes, sha256) VALUES (\(county), \(path), \(ByteBuffer(bytes: bytes)), \(ByteBuffer(bytes: hash)))
                ON CONFLICT (county, path) DO UPDATE SET bytes = EXCLUDED.bytes, sha256 = EXCLUDED.sha256
                """, during: "\(during) (\(path))")
        }
        sealedYearsWithFiles.formUnion(years)
    }

    /// The paths, relative to the log directory, of `signing.pub` (if there is one) and of
    /// every file under each sealed year's directory but its segments (but for the years
    /// `skipped`), with the sealed years listed.
    func logFiles(skipping skipped: Set<Int>) throws(ProvinceError) -> (paths: [String], years: [Int]) {
        let layout = reader.layout
        let manager = FileManager.default
        var paths: [String] = []
        let key = SigningKeys.publicKeyPath(forLog: layout.directory)
        if manager.fileExists(atPath: key) { paths.append(String(key.dropFirst(layout.directory.count + 1))) }
        let years: [Int]
        do { years = try layout.sealedYears(reader.fileSystem) } catch { throw .log("\(error)") }
        for year in years where !skipped.contains(year) {
            let folder = layout.sealedYear(year)
            guard let walker = manager.enumerator(atPath: folder) else { throw .log("cannot list \(folder)") }
            while let file = walker.nextObject() as? String {
                var isDirectory: ObjCBool = false
                guard manager.fileExists(atPath: folder + "/" + file, isDirectory: &isDirectory), !isDirectory.boolValue,
                      SegmentName(fileName: (file as NSString).lastPathComponent) == nil else { continue }
                paths.append("archive/\(year)/\(file)")
            }
        }
        return (paths.sorted(), years)
    }
}
