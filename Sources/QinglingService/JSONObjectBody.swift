import Hummingbird
import QinglingEvents

/// A small JSON object in a request's body, read by the same strict reader as the events
/// (`JSONParser`: RFC 8259, valid UTF-8, no duplicate key): the bodies of `POST /login` and of
/// a reveal.
enum JSONObjectBody {
    /// The most bytes such a body may hold (413 beyond).
    static let maximumBytes = 64 << 10

    /// The string members `keys` of the object in `request`'s body, in that order; `nil` when
    /// the body is not JSON, not an object, lacks one of them, holds one that is not a string,
    /// or holds any other member.
    static func strings(_ request: Request, _ keys: [String]) async throws -> [String]? {
        let body = try await request.body.collect(upTo: maximumBytes)
        guard case .object(let members)? = try? JSONParser.parse(Array(buffer: body)), members.count == keys.count else { return nil }
        var values: [String] = []
        for key in keys {
            guard case .string(let value)? = members.first(where: { $0.key == key })?.value else { return nil }
            values.append(value)
        }
        return values
    }
}
