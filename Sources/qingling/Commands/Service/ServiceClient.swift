import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import QinglingEvents

/// The admin tool as a client of `qingling serve` (`docs/api.md`): a session token and the
/// service's address, and the two requests it makes.
struct ServiceClient {
    /// The service's base address, e.g. `http://127.0.0.1:8080` (no trailing slash).
    let server: String
    let token: String?

    /// A request's answer: its status and body.
    struct Answer {
        var status: HTTPResponseStatus
        var body: [UInt8]

        /// The body as a JSON object, when it is one.
        var object: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] }
    }

    /// The largest answer read.
    static let answerLimit = 16 << 20

    init(server: String, token: String?) {
        var server = server
        while server.hasSuffix("/") { server.removeLast() }
        self.server = server
        self.token = token
    }

    /// Whether `server` reads as an `http://` or `https://` address.
    static func isAddress(_ server: String) -> Bool {
        guard let url = URL(string: server), let scheme = url.scheme?.lowercased(), url.host != nil else { return false }
        return scheme == "http" || scheme == "https"
    }

    /// Sends `body` to `path` (under `/api/v1`) and returns the answer; throws when the service
    /// cannot be reached.
    func post(_ path: String, body: [UInt8], contentType: String) async throws -> Answer {
        var request = HTTPClientRequest(url: server + "/api/v1/" + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: contentType)
        request.headers.add(name: "Accept-Language", value: Messages.language == .en ? "en" : "zh")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
        let answer = try await response.body.collect(upTo: Self.answerLimit)
        return Answer(status: response.status, body: Array(buffer: answer))
    }

    /// The error answer's message and its problems' messages, as lines to print.
    static func problems(of answer: Answer) -> [String] {
        guard let object = answer.object else { return [String(decoding: answer.body.prefix(500), as: UTF8.self)] }
        var lines: [String] = []
        for problem in object["problems"] as? [[String: Any]] ?? [] {
            let place = (problem["index"] as? Int).map { Messages.say(zh: "第 \($0 + 1) 个事件", en: "event \($0 + 1)") }
            let id = problem["eventId"] as? String
            let message = problem["message"] as? String ?? ""
            lines.append([place, id, message].compactMap { $0 }.joined(separator: ": "))
        }
        if let message = object["message"] as? String { lines.append(message) }
        return lines
    }
}

/// The session `qingling login` saved: `~/.qingling/session.json` (mode 0600), one service's
/// address and token. `$QINGLING_TOKEN` takes its place when set.
struct SavedSession: Codable {
    var server: String
    var login: String
    var token: String

    /// Where it is kept: `$QINGLING_SESSION_FILE`, else `~/.qingling/session.json`.
    static var path: String {
        if let path = ProcessInfo.processInfo.environment["QINGLING_SESSION_FILE"], !path.isEmpty { return path }
        return FileManager.default.homeDirectoryForCurrentUser.path + "/.qingling/session.json"
    }

    /// The saved session for `server`, if one was saved for that address.
    static func load(for server: String) -> SavedSession? {
        guard let data = FileManager.default.contents(atPath: path), let saved = try? JSONDecoder().decode(SavedSession.self, from: data) else { return nil }
        return ServiceClient(server: saved.server, token: nil).server == ServiceClient(server: server, token: nil).server ? saved : nil
    }

    /// Writes the session, readable by its owner only.
    func save() throws {
        let url = URL(fileURLWithPath: Self.path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let data = try JSONEncoder().encode(self)
        let temporary = Self.path + ".tmp-\(getpid())"
        // Created 0600 from the start, not written first and given its mode after: the token
        // is never readable by others, not even for a moment.
        let file = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard file >= 0 else { throw CocoaError(.fileWriteUnknown) }
        let written = fchmod(file, 0o600) == 0 ? data.withUnsafeBytes { Glibc.write(file, $0.baseAddress, $0.count) } : -1
        let closed = close(file) == 0
        guard written == data.count, closed, rename(temporary, Self.path) == 0 else {
            unlink(temporary)
            throw CocoaError(.fileWriteUnknown)
        }
    }

    /// The token for `server`: `$QINGLING_TOKEN`, else the saved session's.
    static func token(for server: String) -> String? {
        if let token = ProcessInfo.processInfo.environment["QINGLING_TOKEN"], !token.isEmpty { return token }
        return load(for: server)?.token
    }
}
