import Crypto
import QinglingEvidence
import QinglingLog

/// The archive job: seals a finished year of the log into `archive/<year>/` — the year's
/// events re-packed (LZ4 HC), a Merkle tree over them, a manifest signed with Ed25519 — and
/// only then removes the year's live segments (see `LogWriter.prepareSealing`).
public enum ArchiveSealer {
    /// What a seal did.
    public struct Report: Sendable, Equatable {
        public var manifest: ArchiveManifest
        public var directory: String
    }

    /// Seals `year` of the log in `directory`, opened for writing with `options` (its clock
    /// decides whether the year has ended), signing with `key`.
    public static func seal(year: Int, directory: String, options: LogOptions,
                            key: Curve25519.Signing.PrivateKey) throws(ArchiveError) -> Report {
        let writer: LogWriter
        do throws(LogError) { writer = try LogWriter(directory: directory, options: options) } catch { throw .log(error) }
        defer { try? writer.close() }
        let layout = writer.layout
        let fileSystem = options.fileSystem
        let sealed = SealedYears(layout: layout, fileSystem: fileSystem)
        let publicKey = Array(key.publicKey.rawRepresentation)
        let publicPath = SigningKeys.publicKeyPath(forLog: directory)
        if fileSystem.fileExists(publicPath) {
            guard try SigningKeys.loadPublicKey(publicPath) == publicKey else {
                throw .key(path: publicPath, reason: "the signing key given is not the one whose public key the log keeps; use that key, or move \(publicPath) away to change keys")
            }
        } else {
            try SigningKeys.writePublicKey(publicKey, logDirectory: directory)
        }

        do {
            let plan = try writer.sealingPlan(year: year)
            // The tree over the live records, before anything is written.
            let reader = try LogReader(directory: directory, fileSystem: fileSystem)
            var leaves: [[UInt8]] = []
            leaves.reserveCapacity(plan.sequences.count)
            var evidence = SealedAttachments()
            try reader.forEach(in: plan.sequences) { record in
                leaves.append(ArchiveLeaf.hash(sequence: record.sequence, recordedAt: record.recordedAt, stored: record.payload))
                evidence.note(record)
            }
            if let undecodable = evidence.undecodable {
                throw ArchiveError.invalid(path: directory, reason: "record \(undecodable.sequence) is not an event: \(undecodable.error.reason); nothing was sealed")
            }
            let root = MerkleTree.root(leaves)
            let previousYear = try sealed.years().filter { $0 < year }.last
            var previousRoot: [UInt8]?
            if let previousYear {
                let previous = try sealed.manifest(previousYear).manifest
                guard previous.lastBatchHash == plan.firstPreviousHash else {
                    throw ArchiveError.invalid(path: sealed.manifestPath(previousYear), reason: "its last batch hash is not the hash \(year)'s first batch names")
                }
                previousRoot = previous.merkleRoot
            }

            let (temporary, written) = try writer.prepareSealing(plan)
            // Read the archive back: every batch checked, the same events, the same root.
            let readBack = SealedYears(layout: layout, fileSystem: fileSystem)
            var again: [[UInt8]] = []
            try SealedYearWriter.forEachRecord(in: temporary, year: year, firstPreviousHash: plan.firstPreviousHash, fileSystem: fileSystem) { record in
                again.append(ArchiveLeaf.hash(sequence: record.sequence, recordedAt: record.recordedAt, stored: record.payload))
            }
            guard again == leaves else {
                throw ArchiveError.invalid(path: temporary, reason: "the archive read back differs from the live segments; nothing was removed")
            }
            let attachments = try evidence.copy(from: BlobStore(logDirectory: directory, fileSystem: fileSystem), into: temporary, fileSystem: fileSystem)
            var files: [ArchiveManifest.File] = []
            for name in written.files {
                let digest = try readBack.digest(temporary + "/" + name)
                files.append(ArchiveManifest.File(name: name, bytes: digest.bytes, sha256: digest.sha256))
            }
            let manifest = ArchiveManifest(
                year: year, firstSequence: plan.sequences.lowerBound, lastSequence: plan.sequences.upperBound - 1,
                eventCount: UInt64(plan.sequences.count), merkleRoot: root, previousYear: previousYear, previousRoot: previousRoot,
                firstPreviousBatchHash: plan.firstPreviousHash, lastBatchHash: plan.lastLiveBatchHash, lastRecordedAt: plan.lastRecordedAt,
                simulatedClock: writer.metadata.clock == .simulated, liveBytes: plan.liveBytes, archiveBytes: written.segmentBytes,
                files: files, attachments: attachments, publicKey: publicKey)
            let bytes = manifest.encoded()
            let signature: [UInt8]
            do { signature = Array(try key.signature(for: bytes)) } catch {
                throw ArchiveError.key(path: publicPath, reason: "signing failed: \(error)")
            }
            try write(bytes, to: temporary + "/" + ArchiveManifest.fileName, fileSystem: fileSystem)
            try write(Array((signature.hexString + "\n").utf8), to: temporary + "/" + ArchiveManifest.signatureFileName, fileSystem: fileSystem)
            let stored = try readBack.read(temporary + "/" + ArchiveManifest.fileName)
            guard stored == bytes, SigningKeys.isValid(signature: signature, of: stored, publicKey: publicKey) else {
                throw ArchiveError.invalid(path: temporary, reason: "the manifest read back does not verify; nothing was removed")
            }
            try writer.commitSealing(plan)
            return Report(manifest: manifest, directory: layout.sealedYear(year))
        } catch let error as BlobError {
            throw .invalid(path: directory, reason: "an attachment of the year cannot be sealed: \(error); nothing was sealed")
        } catch let error as ArchiveError {
            throw error
        } catch let error as LogError {
            throw .log(error)
        } catch {
            throw .invalid(path: directory, reason: "\(error)")
        }
    }

    private static func write(_ bytes: [UInt8], to path: String, fileSystem: any FileSystem) throws(LogError) {
        let file = try fileSystem.openForWriting(path, create: true)
        defer { file.close() }
        try file.write(bytes, at: 0)
        try file.sync()
    }
}
