import Foundation
import Hummingbird
import MultipartKit
import QinglingEvents

/// The fields of a web form's body: `application/x-www-form-urlencoded`, or
/// `multipart/form-data` when the form sends evidence files (field `files`).
struct FormBody: Sendable {
    /// The largest form body read without files: forms hold a few short fields.
    static let maximumBytes = 64 << 10
    /// The largest form body with files: the fields and 20 MiB of files (`Attachment.maxBytes`).
    static let maximumUploadBytes = Int(Attachment.maxBytes) + maximumBytes
    /// The field of the evidence files (`<input type="file" name="files" multiple>`).
    static let filesField = "files"

    private var fields: [String: String] = [:]
    /// The files posted in `filesField`, in order (empty parts, a file input left empty, left out).
    private(set) var files: [[UInt8]] = []

    /// The first value of field `name`.
    subscript(name: String) -> String? { fields[name] }

    /// Whether `request` carries a form body.
    static func isForm(_ request: Request) -> Bool {
        guard let type = request.headers[.contentType]?.lowercased() else { return false }
        return type.hasPrefix("application/x-www-form-urlencoded") || type.hasPrefix("multipart/form-data")
    }

    /// Reads the form body of `request`, leaving it collected in `request` for whoever reads it
    /// next; empty for another content type. A body above `maximumBytes` (with files,
    /// `maximumUploadBytes`) is refused (413); a multipart body that cannot be parsed, 400.
    static func read(_ request: inout Request, context: ServiceContext) async throws -> FormBody {
        guard isForm(request), let type = request.headers[.contentType] else { return FormBody() }
        guard let boundary = multipartBoundary(type) else {
            let buffer = try await request.collectBody(upTo: maximumBytes)
            return FormBody(String(buffer: buffer))
        }
        let buffer = try await request.collectBody(upTo: maximumUploadBytes)
        do {
            return try FormBody(multipart: buffer, boundary: boundary)
        } catch {
            throw APIError(.badRequest, "form", "the form's multipart body cannot be read")
        }
    }

    /// The `boundary` parameter of a `multipart/form-data` content type, if it is one.
    static func multipartBoundary(_ contentType: String) -> String? {
        guard contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            let value = pair[1].hasPrefix("\"") && pair[1].hasSuffix("\"") && pair[1].count >= 2 ? String(pair[1].dropFirst().dropLast()) : pair[1]
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// The fields of `text` (`a=1&b=x+y%21`); a field named twice keeps its first value.
    init(_ text: String = "") {
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String? {
                part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            }
            guard let name = decode(parts[0]), fields[name] == nil else { continue }
            fields[name] = parts.count > 1 ? decode(parts[1]) ?? "" : ""
        }
    }

    /// The fields and files of a `multipart/form-data` body (parsed by MultipartKit).
    init(multipart body: ByteBuffer, boundary: String) throws {
        final class Collected {
            var parts: [MultipartPart] = []
            var headers = HTTPHeaders()
            var body = ByteBuffer()
        }
        let collected = Collected()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in collected.headers.add(name: name, value: value) }
        parser.onBody = { chunk in collected.body.writeBuffer(&chunk) }
        parser.onPartComplete = {
            collected.parts.append(MultipartPart(headers: collected.headers, body: collected.body))
            collected.headers = HTTPHeaders()
            collected.body = ByteBuffer()
        }
        try parser.execute(body)
        for part in collected.parts {
            guard let name = part.name else { continue }
            if name == Self.filesField {
                if part.body.readableBytes > 0 { files.append(Array(part.body.readableBytesView)) }
            } else if fields[name] == nil {
                fields[name] = String(buffer: part.body)
            }
        }
    }
}
