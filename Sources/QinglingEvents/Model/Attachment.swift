/// A file of evidence an event refers to (整改前后照片、验收报告): a photo or a document kept in
/// the log directory's blob store (`QinglingEvidence.BlobStore`) under its SHA-256, named by
/// that hash in the event. See `docs/evidence.md`.
public struct Attachment: Hashable, Sendable {
    /// The file's SHA-256: 64 lowercase hexadecimal digits.
    public var sha256: String
    /// The file's size in bytes, 1 to `Attachment.maxBytes`.
    public var size: Int64
    public var mediaType: AttachmentMediaType
    /// What the file shows, 0 to `Attachment.maxCaptionLength` characters (empty: none).
    public var caption: String

    public init(sha256: String, size: Int64, mediaType: AttachmentMediaType, caption: String = "") {
        self.sha256 = sha256
        self.size = size
        self.mediaType = mediaType
        self.caption = caption
    }

    /// The largest file accepted: 20 MiB (a phone photo is 2–8 MiB; a scanned acceptance report
    /// of a few dozen pages fits).
    public static let maxBytes: Int64 = 20 << 20
    /// The most attachments one event carries.
    public static let maxPerEvent = 20
    /// The longest caption, in Unicode scalars.
    public static let maxCaptionLength = 200

    /// Whether `text` is a SHA-256 as attachments name it: 64 lowercase hexadecimal digits.
    public static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}

/// The kinds of file accepted as evidence, told from their first bytes (never their name).
public enum AttachmentMediaType: String, CaseIterable, Sendable {
    case jpeg = "image/jpeg"
    case png = "image/png"
    case pdf = "application/pdf"

    /// The type whose signature `bytes` begin with: JPEG `FF D8 FF`, PNG `89 50 4E 47 0D 0A
    /// 1A 0A`, PDF `%PDF-`; `nil` for anything else.
    public init?(sniffing bytes: some Collection<UInt8>) {
        let head = Array(bytes.prefix(8))
        if head.starts(with: [0xFF, 0xD8, 0xFF]) {
            self = .jpeg
        } else if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = .png
        } else if head.starts(with: Array("%PDF-".utf8)) {
            self = .pdf
        } else {
            return nil
        }
    }

    /// Whether a browser shows it as an image.
    public var isImage: Bool { self != .pdf }

    /// The usual file extension, for names given to downloads.
    public var fileExtension: String {
        switch self {
        case .jpeg: "jpg"
        case .png: "png"
        case .pdf: "pdf"
        }
    }
}
