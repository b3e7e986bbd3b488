import QinglingEvents

extension EventStore {
    /// The rule an event's attachments break against `catalog` (the log's blob store), or
    /// `nil`: each must name a file the store holds, with that file's size and media type.
    /// Without a catalog, any attachment is refused as not stored.
    static func attachmentRefusal(of event: Event, in catalog: (any AttachmentCatalog)?) -> WorkflowViolation.Rule? {
        for attachment in event.body.attachments {
            guard let held = catalog?.info(attachment.sha256) else { return .attachmentNotStored(sha256: attachment.sha256) }
            if held.size != attachment.size || held.mediaType != attachment.mediaType {
                return .attachmentDiffers(sha256: attachment.sha256, stated: "\(attachment.size) bytes \(attachment.mediaType.rawValue)",
                                          stored: "\(held.size) bytes \(held.mediaType.rawValue)")
            }
        }
        return nil
    }
}
