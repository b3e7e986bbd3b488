import Crypto
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import QinglingEvents
import QinglingLog

/// The log directory's store of evidence files (photos, reports), content-addressed:
///
/// ```
/// <log>/attachments/sha256/<first 2 hex digits>/<64 hex digits>
/// ```
///
/// A file is accepted when its first bytes say JPEG, PNG or PDF (`AttachmentMediaType`) and it
/// holds 1 to `Attachment.maxBytes` bytes. It is written under a temporary name in its final
/// directory, synced, renamed into place and the directory synced: a crash leaves either no
/// file under the final name or the whole file. The same bytes stored twice are kept once.
/// Reading re-hashes: a file whose bytes no longer match its name is refused, never returned.
///
/// The log itself never looks into `attachments/` (its recovery and verification read
/// `segments/`, `index/`, `archive/` and `recovered/` only).
public struct BlobStore: AttachmentCatalog {
    /// The store's root, `<log>/attachments`.
    public let directory: String
    let fileSystem: any FileSystem

    /// The name of the store's directory in a log directory.
    public static let folderName = "attachments"
    /// A file written but not yet renamed into place ends in this (a crash may leave one;
    /// it is never read, and may be removed).
    public static let temporarySuffix = ".tmp"

    /// The store of the log in `logDirectory` (created on first `store`).
    public init(logDirectory: String, fileSystem: any FileSystem = PosixFileSystem()) {
        directory = LogLayout(directory: logDirectory).directory + "/" + Self.folderName
        self.fileSystem = fileSystem
    }

    /// Where the file of `sha256` (64 lowercase hex digits) is kept.
    public func path(of sha256: String) -> String {
        directory + "/sha256/" + sha256.prefix(2) + "/" + sha256
    }

    /// What `store` did: the attachment to name in an event (its caption empty), and whether
    /// the file is new to the store.
    public struct Stored: Sendable, Equatable {
        public var attachment: Attachment
        public var created: Bool
    }

    /// Checks `bytes` (type from its first bytes, size), then keeps it under its SHA-256,
    /// durably; a file already held is not written again.
    public func store(_ bytes: [UInt8]) throws(BlobError) -> Stored {
        let attachment = try Self.describe(bytes)
        let final = path(of: attachment.sha256)
        // Held and intact: not written again. Held but damaged: written again, which repairs it.
        if fileSystem.fileExists(final), (try? read(attachment.sha256)) != nil {
            return Stored(attachment: attachment, created: false)
        }
        let folder = String(final.prefix(upTo: final.lastIndex(of: "/") ?? final.endIndex))
        let temporary = final + ".\(UInt64.random(in: 0...UInt64.max))" + Self.temporarySuffix
        do throws(LogError) {
            if !fileSystem.fileExists(folder) {
                // New folders: each one's entry made durable in its parent, up to the log directory.
                try fileSystem.createDirectory(folder)
                for parent in [directory + "/sha256", directory, String(directory.dropLast(Self.folderName.count + 1))] {
                    try fileSystem.syncDirectory(parent)
                }
            }
            let file = try fileSystem.openForWriting(temporary, create: true)
            do throws(LogError) {
                try file.write(bytes, at: 0)
                try file.sync()
                file.close()
            } catch {
                file.close()
                try? fileSystem.removeFile(temporary)
                throw error
            }
            try fileSystem.rename(temporary, to: final)
            try fileSystem.syncDirectory(folder)
        } catch {
            throw .io(error)
        }
        return Stored(attachment: attachment, created: true)
    }

    /// The attachment `bytes` would be (caption empty), or why they are refused.
    public static func describe(_ bytes: [UInt8]) throws(BlobError) -> Attachment {
        guard !bytes.isEmpty else { throw .empty }
        guard Int64(bytes.count) <= Attachment.maxBytes else { throw .tooLarge(bytes: Int64(bytes.count)) }
        guard let mediaType = AttachmentMediaType(sniffing: bytes) else { throw .unsupportedType(firstBytes: Array(bytes.prefix(8))) }
        return Attachment(sha256: SHA256.hash(data: bytes).hexString, size: Int64(bytes.count), mediaType: mediaType)
    }

    /// The bytes of `sha256`, re-hashed: `.notFound` when the store does not hold it,
    /// `.damaged` when the file's bytes are not those the hash names.
    public func read(_ sha256: String) throws(BlobError) -> [UInt8] {
        guard Attachment.isSHA256(sha256) else { throw .notFound(sha256) }
        let path = path(of: sha256)
        guard fileSystem.fileExists(path) else { throw .notFound(sha256) }
        let bytes: [UInt8]
        do throws(LogError) {
            let file = try fileSystem.openForReading(path)
            defer { file.close() }
            // Never more than an attachment may hold: a larger file is damaged (its hash says so).
            bytes = try file.read(at: 0, count: Int(min(try file.size(), Attachment.maxBytes + 1)))
        } catch {
            // Gone since it was seen, or a link at its name leading nowhere: not held.
            if case .io(_, _, ENOENT) = error { throw .notFound(sha256) }
            throw .io(error)
        }
        guard Int64(bytes.count) <= Attachment.maxBytes else { throw .damaged(path: path, reason: "more than \(Attachment.maxBytes) bytes, more than any attachment holds") }
        let found = SHA256.hash(data: bytes).hexString
        guard found == sha256 else { throw .damaged(path: path, reason: "its SHA-256 is \(found.prefix(16))…, not the \(sha256.prefix(16))… it is kept under") }
        return bytes
    }

    /// The size and type of the file held for `sha256` (from its length and first bytes, not
    /// re-hashed: `read` does that), or `nil` when the store does not hold it.
    public func info(_ sha256: String) -> (size: Int64, mediaType: AttachmentMediaType)? {
        guard Attachment.isSHA256(sha256) else { return nil }
        let path = path(of: sha256)
        guard fileSystem.fileExists(path) else { return nil }
        do throws(LogError) {
            let file = try fileSystem.openForReading(path)
            defer { file.close() }
            let size = try file.size()
            guard let type = AttachmentMediaType(sniffing: try file.read(at: 0, count: 8)) else { return nil }
            return (size, type)
        } catch {
            return nil
        }
    }
}

extension SHA256.Digest {
    /// The digest as 64 lowercase hex digits.
    var hexString: String { Array(self).hexString }
}
