import QinglingEvents
import QinglingLog

/// Why the blob store refused a file or could not give one back.
public enum BlobError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file has no bytes.
    case empty
    /// The file is larger than `Attachment.maxBytes`.
    case tooLarge(bytes: Int64)
    /// The file's first bytes are not those of a JPEG, PNG or PDF.
    case unsupportedType(firstBytes: [UInt8])
    /// The store holds no file of this hash.
    case notFound(String)
    /// The file kept under a hash does not hold the bytes the hash names (changed on disk).
    case damaged(path: String, reason: String)
    /// Reading or writing failed.
    case io(LogError)

    public var description: String {
        switch self {
        case .empty:
            return "the file is empty; an attachment holds a photo (JPEG, PNG) or a document (PDF)"
        case .tooLarge(let bytes):
            return "the file has \(bytes) bytes, more than the \(Attachment.maxBytes) bytes (\(Attachment.maxBytes >> 20) MiB) an attachment may hold; reduce the photo's resolution or split the document"
        case .unsupportedType(let head):
            let shown = head.map { byte in String(byte, radix: 16, uppercase: true).count == 1 ? "0" + String(byte, radix: 16, uppercase: true) : String(byte, radix: 16, uppercase: true) }
            return "the file is not a JPEG, PNG or PDF (it begins with \(shown.joined(separator: " "))); the type is read from the file's bytes, not its name"
        case .notFound(let hash):
            return "no attachment \(hash) in the blob store"
        case let .damaged(path, reason):
            return "\(path): the attachment is damaged: \(reason)"
        case .io(let error):
            return error.description
        }
    }
}
