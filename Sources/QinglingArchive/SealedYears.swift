import Crypto
import QinglingLog

/// Reading a log's sealed years: their manifests, signatures and files.
struct SealedYears {
    let layout: LogLayout
    let fileSystem: any FileSystem

    func manifestPath(_ year: Int) -> String { layout.sealedYear(year) + "/" + ArchiveManifest.fileName }
    func signaturePath(_ year: Int) -> String { layout.sealedYear(year) + "/" + ArchiveManifest.signatureFileName }

    func years() throws(ArchiveError) -> [Int] {
        do throws(LogError) { return try layout.sealedYears(fileSystem) } catch { throw .log(error) }
    }

    /// The manifest of `year`, its exact bytes, and its signature.
    func manifest(_ year: Int) throws(ArchiveError) -> (manifest: ArchiveManifest, bytes: [UInt8], signature: [UInt8]) {
        let bytes = try read(manifestPath(year))
        let manifest = try ArchiveManifest.decode(bytes, path: manifestPath(year))
        let text = String(decoding: try read(signaturePath(year)), as: UTF8.self).trimmingCharacters(in: [" ", "\n", "\r", "\t"])
        guard let signature = [UInt8](hexString: text), signature.count == 64 else {
            throw .invalid(path: signaturePath(year), reason: "not an Ed25519 signature (128 hexadecimal digits)")
        }
        return (manifest, bytes, signature)
    }

    func read(_ path: String) throws(ArchiveError) -> [UInt8] {
        do throws(LogError) {
            let file = try fileSystem.openForReading(path)
            defer { file.close() }
            return try file.read(at: 0, count: Int(try file.size()))
        } catch {
            throw .log(error)
        }
    }

    /// SHA-256 and size of a file, read in 1 MiB pieces.
    func digest(_ path: String) throws(ArchiveError) -> (bytes: Int64, sha256: [UInt8]) {
        do throws(LogError) {
            let file = try fileSystem.openForReading(path)
            defer { file.close() }
            let size = try file.size()
            var hasher = SHA256()
            var offset: Int64 = 0
            while offset < size {
                let piece = try file.read(at: offset, count: 1 << 20)
                guard !piece.isEmpty else { break }
                hasher.update(data: piece)
                offset += Int64(piece.count)
            }
            return (size, Array(hasher.finalize()))
        } catch {
            throw .log(error)
        }
    }

    /// The leaf hashes of a sealed year's events, read from its archive segments.
    func leafHashes(_ year: Int, firstPreviousHash: [UInt8]) throws(ArchiveError) -> (hashes: [[UInt8]], first: UInt64?, last: UInt64?) {
        var hashes: [[UInt8]] = []
        var first: UInt64?
        var last: UInt64?
        do throws(LogError) {
            try SealedYearWriter.forEachRecord(in: layout.sealedYear(year), year: year, firstPreviousHash: firstPreviousHash, fileSystem: fileSystem) { record in
                hashes.append(ArchiveLeaf.hash(sequence: record.sequence, recordedAt: record.recordedAt, stored: record.payload))
                if first == nil { first = record.sequence }
                last = record.sequence
            }
        } catch {
            throw .log(error)
        }
        return (hashes, first, last)
    }
}
