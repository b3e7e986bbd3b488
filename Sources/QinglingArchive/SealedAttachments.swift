import Crypto
import QinglingEvents
import QinglingEvidence
import QinglingLog

/// The evidence files a sealed year's events name, gathered while the year is read, then
/// copied from the log's blob store into the sealing directory
/// (`archive/<year>.tmp/attachments/<sha256>`), each re-hashed on the way: a file missing or
/// damaged in the blob store stops the seal.
struct SealedAttachments {
    /// Each hash named, with the size its first event states.
    private(set) var named: [String: Int64] = [:]
    /// The first record that is not an event.
    private(set) var undecodable: (sequence: UInt64, error: EventDecodingError)?

    /// The types whose records carry attachments (codec version 2 on).
    private static let tags: Set<UInt8> = [EventType.hazardReported, .hazardRectified, .hazardVerified, .penaltyImposed].reduce(into: []) { $0.insert($1.tag) }

    mutating func note(_ record: LogRecord) {
        let payload = record.payload
        guard payload.count > 2, payload[0] >= 2, Self.tags.contains(payload[1]) else { return }
        do throws(EventDecodingError) {
            for attachment in try EventBinaryCodec.decode(payload).body.attachments where named[attachment.sha256] == nil {
                named[attachment.sha256] = attachment.size
            }
        } catch {
            if undecodable == nil { undecodable = (record.sequence, error) }
        }
    }

    /// Copies every file named into `directory/attachments/`, synced, and returns the
    /// manifest's list (by hash, ascending).
    func copy(from store: BlobStore, into directory: String, fileSystem: any FileSystem) throws -> [ArchiveManifest.AttachmentFile] {
        guard !named.isEmpty else { return [] }
        let folder = directory + "/" + LogLayout.sealedAttachmentsFolder
        try fileSystem.createDirectory(folder)
        var files: [ArchiveManifest.AttachmentFile] = []
        for (hash, size) in named.sorted(by: { $0.key < $1.key }) {
            let bytes = try store.read(hash)
            guard Int64(bytes.count) == size else {
                throw ArchiveError.invalid(path: store.path(of: hash), reason: "holds \(bytes.count) bytes; the events name \(size)")
            }
            let file = try fileSystem.openForWriting(folder + "/" + hash, create: true)
            defer { file.close() }
            try file.write(bytes, at: 0)
            try file.sync()
            files.append(ArchiveManifest.AttachmentFile(sha256: Array(SHA256.hash(data: bytes)), bytes: size))
        }
        try fileSystem.syncDirectory(folder)
        return files
    }
}
