/// What an attachment's hash names in a blob store: the size and type of the file kept under
/// it. The event store asks before it accepts an event naming attachments (it does no file I/O
/// of its own); `QinglingEvidence.BlobStore` answers.
public protocol AttachmentCatalog: Sendable {
    /// The size and media type of the file held under `sha256`, or `nil` when none is.
    func info(_ sha256: String) -> (size: Int64, mediaType: AttachmentMediaType)?
}
