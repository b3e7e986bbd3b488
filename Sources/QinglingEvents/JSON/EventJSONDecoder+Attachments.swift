extension EventJSONDecoder {
    /// `data.attachments`: optional (absent is none), at most `Attachment.maxPerEvent` objects
    /// `{"sha256", "size", "mediaType", "caption"}`, each hash once.
    static func attachments(_ reader: inout ObjectReader) -> [Attachment]? {
        guard reader.has("attachments") else { return [] }
        let path = reader.path.isEmpty ? "attachments" : reader.path + ".attachments"
        guard let list = reader.objects("attachments", maxCount: Attachment.maxPerEvent, attachment) else { return nil }
        var seen: Set<String> = []
        for (index, item) in list.enumerated() where !seen.insert(item.sha256).inserted {
            reader.problems.add("\(path)[\(index)].sha256", .duplicate(item.sha256))
            return nil
        }
        return list
    }

    private static func attachment(_ object: inout ObjectReader) -> Attachment? {
        let hash = object.string("sha256", maxLength: 64)
        if let hash, !Attachment.isSHA256(hash) { object.problems.add(object.path + ".sha256", .notASHA256) }
        let size = object.integer("size", in: 1...Attachment.maxBytes)
        let mediaType = object.code("mediaType", as: AttachmentMediaType.self)
        let caption = object.optionalText("caption", maxLength: Attachment.maxCaptionLength)
        guard let hash, Attachment.isSHA256(hash), let size, let mediaType, let caption else { return nil }
        return Attachment(sha256: hash, size: size, mediaType: mediaType, caption: caption)
    }
}
