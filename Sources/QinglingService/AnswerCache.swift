import QinglingEvents
import Synchronization

/// The figure routes' rendered answers for the log as it stands, so that a dashboard's
/// repeated questions are answered without computing the figures again.
///
/// An answer is a function of the events in the log, the request's query string, the caller's
/// scope and, for the dates a query defaults to, today's date: those are its key, with the
/// log's length. The log only grows, so an answer kept for a shorter log is never given: the
/// whole cache is emptied when the log grows, and when it holds `capacity` answers.
final class AnswerCache: Sendable {
    /// What an answer depends on besides the log.
    struct Key: Hashable, Sendable {
        /// The route (`stats`, `overdue`, …).
        var route: String
        /// The request's query string, as sent.
        var query: String
        /// Whose figures: the county's, or a town's region.
        var scope: String
        /// Today (Asia/Shanghai), the default as-of date of a log on the real clock.
        var today: CalendarDate
    }

    /// The most answers kept at once (a few MB of JSON at most).
    static let capacity = 256

    private struct Entries {
        /// The length of the log the answers were computed from.
        var logLength: UInt64 = 0
        var answers: [Key: String] = [:]
    }

    private let entries = Mutex(Entries())

    /// The answer kept for `key` on a log of `logLength` events, if any.
    func answer(_ key: Key, logLength: UInt64) -> String? {
        entries.withLock { $0.logLength == logLength ? $0.answers[key] : nil }
    }

    /// Keeps `answer`, computed for `key` from a log of `logLength` events (unless the log has
    /// grown past that since).
    func keep(_ answer: String, for key: Key, logLength: UInt64) {
        entries.withLock { entries in
            if entries.logLength != logLength {
                guard logLength > entries.logLength else { return }
                entries = Entries(logLength: logLength)
            }
            if entries.answers.count >= Self.capacity { entries.answers.removeAll(keepingCapacity: true) }
            entries.answers[key] = answer
        }
    }
}
