import Foundation
import Hummingbird

/// The fields of an `application/x-www-form-urlencoded` body, as a web form posts them.
struct FormBody: Sendable {
    /// The largest form body read: forms hold a few short fields.
    static let maximumBytes = 64 << 10

    private var fields: [String: String] = [:]

    /// The first value of field `name`.
    subscript(name: String) -> String? { fields[name] }

    /// Whether `request` carries a form body.
    static func isForm(_ request: Request) -> Bool {
        request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true
    }

    /// Reads the form body of `request`, leaving it collected in `request` for whoever reads it
    /// next; empty for another content type. A body above `maximumBytes` is refused (413).
    static func read(_ request: inout Request, context: ServiceContext) async throws -> FormBody {
        guard isForm(request) else { return FormBody() }
        let buffer = try await request.collectBody(upTo: maximumBytes)
        return FormBody(String(buffer: buffer))
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
}
