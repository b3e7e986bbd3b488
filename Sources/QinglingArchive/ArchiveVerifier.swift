import QinglingLog

/// Re-checks a log with its sealed years: every checksum and the hash chain (the log's own
/// verification, across archives), and for each sealed year its signature, its files against
/// the manifest (changed, missing or added), its link, its Merkle root, and the chain of
/// yearly roots.
public enum ArchiveVerifier {
    public struct Report: Sendable {
        /// The log's verification (all segments, live and sealed); `nil` when one year was asked.
        public var log: VerifyReport?
        /// The sealed years checked.
        public var years: [Int] = []
        /// Every problem, naming its file (and position where one is known).
        public var problems: [String] = []
        public var passed: Bool { problems.isEmpty && (log?.passed ?? true) }
    }

    /// Verifies the log in `directory`: everything, or only sealed year `year`. The manifests'
    /// signatures are checked against `publicKey`, by default the log's `signing.pub`.
    public static func verify(directory: String, year: Int? = nil, publicKey: [UInt8]? = nil,
                              fileSystem: any FileSystem = PosixFileSystem()) throws(ArchiveError) -> Report {
        let layout = LogLayout(directory: directory)
        let sealed = SealedYears(layout: layout, fileSystem: fileSystem)
        var report = Report()
        // Whether there is a readable log at all comes first: a year is not "not sealed" in a
        // directory that cannot be read.
        do throws(LogError) { _ = try LogMetadata.read(directory: directory, fileSystem: fileSystem) } catch { throw .log(error) }
        let years = try sealed.years()
        if let year, !years.contains(year) {
            let sealedYears = years.isEmpty ? "none" : years.map(String.init).joined(separator: ", ")
            throw .notSealed(path: layout.sealedYear(year), reason: "\(year) is not sealed (sealed years: \(sealedYears)); a year is verified on its own once `qingling seal` has sealed it")
        }
        var key = publicKey
        if key == nil, !years.isEmpty {
            do throws(ArchiveError) { key = try SigningKeys.loadPublicKey(SigningKeys.publicKeyPath(forLog: directory)) } catch {
                report.problems.append(error.description)
            }
        }
        if year == nil {
            do throws(LogError) { report.log = try LogReader(directory: directory, fileSystem: fileSystem).verify() } catch { throw .log(error) }
        }
        var previous: ArchiveManifest?
        for candidate in years {
            let manifest = check(candidate, sealed: sealed, key: key, previous: previous, report: &report, deep: year == nil || year == candidate)
            previous = manifest
        }
        return report
    }

    /// Checks one sealed year; returns its manifest when it could be read. `deep` re-reads its
    /// segments for the Merkle root (otherwise only what chains the years is checked).
    private static func check(_ year: Int, sealed: SealedYears, key: [UInt8]?, previous: ArchiveManifest?,
                              report: inout Report, deep: Bool) -> ArchiveManifest? {
        let entry: (manifest: ArchiveManifest, bytes: [UInt8], signature: [UInt8])
        do throws(ArchiveError) { entry = try sealed.manifest(year) } catch {
            report.problems.append(error.description)
            return nil
        }
        let manifest = entry.manifest
        let manifestPath = sealed.manifestPath(year)
        func problem(_ path: String, _ text: String) { report.problems.append("\(path): \(text)") }
        if let key {
            if !SigningKeys.isValid(signature: entry.signature, of: entry.bytes, publicKey: key) {
                problem(sealed.signaturePath(year), "the signature does not verify with public key \(key.hexString.prefix(16))…: the manifest was changed or signed by another key")
            }
            if manifest.publicKey != key { problem(manifestPath, "names public key \(manifest.publicKey.hexString.prefix(16))…, not the one checked against") }
        }
        if manifest.year != year { problem(manifestPath, "is the manifest of \(manifest.year), found in the directory of \(year)") }
        if let previous {
            if manifest.previousYear != previous.year || manifest.previousRoot != previous.merkleRoot {
                problem(manifestPath, "does not chain to the root of \(previous.year) (the chain of yearly roots is broken)")
            }
            if manifest.firstPreviousBatchHash != previous.lastBatchHash {
                problem(manifestPath, "its first batch does not follow \(previous.year)'s last batch in the hash chain")
            }
        } else if manifest.previousYear != nil {
            problem(manifestPath, "names a previous sealed year \(manifest.previousYear ?? 0) that is not there")
        }
        guard deep else { return manifest }
        report.years.append(year)

        // Files: changed, missing, added.
        let directory = sealed.layout.sealedYear(year)
        let present: Set<String>
        do throws(LogError) { present = Set(try sealed.fileSystem.contentsOfDirectory(directory)) } catch {
            report.problems.append(error.description)
            return manifest
        }
        let listed = Set(manifest.files.map(\.name))
        let known: Set<String> = [ArchiveManifest.fileName, ArchiveManifest.signatureFileName, LogLayout.sealedAttachmentsFolder]
        for name in present.subtracting(listed).subtracting(known).sorted() {
            problem(directory + "/" + name, "is not listed in the manifest (added)")
        }
        for file in manifest.files {
            let path = directory + "/" + file.name
            guard present.contains(file.name) else {
                problem(path, "is listed in the manifest but missing")
                continue
            }
            do throws(ArchiveError) {
                let digest = try sealed.digest(path)
                if digest.bytes != file.bytes || digest.sha256 != file.sha256 {
                    problem(path, "differs from the manifest (\(digest.bytes) bytes, SHA-256 \(digest.sha256.hexString.prefix(16))…; manifest: \(file.bytes) bytes, \(file.sha256.hexString.prefix(16))…)")
                }
            } catch {
                report.problems.append(error.description)
            }
        }
        checkAttachments(of: manifest, in: directory, present: present.contains(LogLayout.sealedAttachmentsFolder), sealed: sealed, report: &report)
        // The link to the live chain.
        do throws(LogError) {
            let link = try SealedYearLink.read(year, layout: sealed.layout, fileSystem: sealed.fileSystem)
            if link.lastLiveBatchHash != manifest.lastBatchHash || link.nextSequence != manifest.lastSequence &+ 1 || link.lastRecordedAt != manifest.lastRecordedAt {
                problem(sealed.layout.link(year), "does not match the manifest")
            }
        } catch {
            report.problems.append(error.description)
        }
        // The events: every batch, the sequence range, the Merkle root.
        do throws(ArchiveError) {
            let leaves = try sealed.leafHashes(year, firstPreviousHash: manifest.firstPreviousBatchHash)
            if leaves.first != manifest.firstSequence || leaves.last != manifest.lastSequence || UInt64(leaves.hashes.count) != manifest.eventCount {
                problem(directory, "holds events \(leaves.first.map(String.init) ?? "none")–\(leaves.last.map(String.init) ?? "none") (\(leaves.hashes.count)); the manifest says \(manifest.firstSequence)–\(manifest.lastSequence) (\(manifest.eventCount))")
            }
            if MerkleTree.root(leaves.hashes) != manifest.merkleRoot {
                problem(directory, "the Merkle root of its events is not the manifest's root")
            }
        } catch {
            report.problems.append(error.description)
        }
        return manifest
    }

    /// Re-hashes every evidence file the manifest lists (`attachments/<sha256>`): one missing,
    /// changed, or there and not listed, is a problem.
    private static func checkAttachments(of manifest: ArchiveManifest, in directory: String, present: Bool, sealed: SealedYears, report: inout Report) {
        let folder = directory + "/" + LogLayout.sealedAttachmentsFolder
        func problem(_ path: String, _ text: String) { report.problems.append("\(path): \(text)") }
        var held: Set<String> = []
        if present {
            do throws(LogError) { held = Set(try sealed.fileSystem.contentsOfDirectory(folder)) } catch {
                report.problems.append(error.description)
                return
            }
        }
        let listed = Set(manifest.attachments.map(\.sha256.hexString))
        for name in held.subtracting(listed).sorted() { problem(folder + "/" + name, "is not listed in the manifest (added)") }
        for file in manifest.attachments {
            let path = folder + "/" + file.sha256.hexString
            guard held.contains(file.sha256.hexString) else {
                problem(path, "the attachment is listed in the manifest but missing")
                continue
            }
            do throws(ArchiveError) {
                let digest = try sealed.digest(path)
                if digest.bytes != file.bytes || digest.sha256 != file.sha256 {
                    problem(path, "the attachment differs from the manifest (\(digest.bytes) bytes, SHA-256 \(digest.sha256.hexString.prefix(16))…; manifest: \(file.bytes) bytes, \(file.sha256.hexString.prefix(16))…)")
                }
            } catch {
                report.problems.append(error.description)
            }
        }
    }
}
