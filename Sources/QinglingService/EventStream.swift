import Foundation
import HTTPTypes
import Hummingbird
import QinglingEvents
import QinglingLog
import ServiceLifecycle

/// `GET /events/stream`: the log's events as Server-Sent Events, for live dashboards and
/// followers (the committee, analysts, archivists). The events after the one named by the
/// `Last-Event-ID` header (a reconnecting browser's) or `?after=SEQ` come first, then each new
/// one as it is appended; every event is `id: SEQ`, `event: event` and its JSON as `qingling
/// export` writes it. A comment line every `keepAliveInterval` keeps proxies from closing a
/// quiet stream. Streams end when the service shuts down.
///
/// `GET /events/changes` is the same stream with nothing of the events: `id: SEQ`, `event:
/// length`, `data:` the log's length, each time the log grows past what the client has, for the
/// dashboards of every role that has one (departments too, who do not read the log itself).
struct EventStream {
    let ledger: LiveLedger
    /// What the stream sends.
    let content: Content

    enum Content: Sendable {
        /// Each event (`/events/stream`: the county's office).
        case events
        /// The log's length only (`/events/changes`: the roles with a dashboard).
        case lengths
    }

    /// A comment is sent after this long without an event.
    static let keepAliveInterval: Duration = .seconds(15)
    /// The events read from the log at a time.
    static let pageSize = 1_000

    /// What wakes a stream: the log's new length, or the keep-alive timer.
    enum Signal: Sendable {
        case logLength(UInt64)
        case keepAlive
    }

    func stream(_ request: Request, context: ServiceContext) async throws -> Response {
        switch content {
        case .events: try LogRoutes.requireCountyOffice(context)
        case .lengths: guard context.identity?.account.role.seesDashboard == true else { throw APIError.notFound }
        }
        let content = self.content
        let lastSeen = try Self.lastSeen(request)
        let (signals, continuation) = AsyncStream.makeStream(of: Signal.self, bufferingPolicy: .bufferingNewest(8))
        guard let watcher = await ledger.watch(continuation) else {
            throw APIError(.serviceUnavailable, "too-many-streams", "too many event streams are open; try again later")
        }
        let ledger = self.ledger
        let body = ResponseBody { writer in
            let ticker = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: Self.keepAliveInterval)
                    continuation.yield(.keepAlive)
                }
            }
            defer { ticker.cancel() }
            defer { Task { await ledger.unwatch(watcher) } }
            try await withGracefulShutdownHandler {
                var next = lastSeen.map { $0 + 1 } ?? 0
                for await signal in signals {
                    switch signal {
                    case .keepAlive:
                        try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                    case .logLength(let length) where content == .lengths:
                        guard next < length else { continue }
                        try await writer.write(ByteBuffer(string: "id: \(length - 1)\nevent: length\ndata: \(length)\n\n"))
                        next = length
                    case .logLength(let length):
                        while next < length {
                            let events: [StoredEvent]
                            switch await ledger.events(after: next == 0 ? nil : next - 1, limit: Self.pageSize) {
                            case .success(let found): events = found
                            case .failure: return  // the log cannot be read: the client reconnects with Last-Event-ID
                            }
                            guard let last = events.last else { break }
                            try await writer.write(ByteBuffer(string: events.map(Self.message).joined()))
                            next = last.sequence + 1
                        }
                    }
                }
            } onGracefulShutdown: {
                continuation.finish()
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"], body: body)
    }

    /// One event as a Server-Sent Event.
    static func message(_ stored: StoredEvent) -> String {
        var json: [UInt8] = []
        EventJSONEncoder.write(stored, to: &json)
        return "id: \(stored.sequence)\nevent: event\ndata: \(String(decoding: json, as: UTF8.self))\n\n"
    }

    /// The sequence of the last event the client has: `Last-Event-ID`, else `after`.
    private static func lastSeen(_ request: Request) throws -> UInt64? {
        let text = request.headers[HTTPField.Name("Last-Event-ID")!] ?? request.uri.queryParameters["after"].map(String.init)
        guard let text else { return nil }
        guard let value = UInt64(text) else { throw APIError(.badRequest, "bad-request", "Last-Event-ID or after must be a whole number, not \(text.prefix(32))") }
        return value
    }
}
