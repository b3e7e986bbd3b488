import QinglingEvents

/// An event refused by the workflow: which event, the rule it breaks with what was found.
public struct WorkflowViolation: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input line (from 1), when the event came from a file.
    public var line: Int?
    public var eventId: String
    public var type: EventType
    /// The rule broken and the values found, e.g. `.wrongStatus(hazardId: "LX-2024-0031",
    /// status: .awaitingVerification, .hazardClosed)`; `rule.message(_:)` says it in words.
    public var rule: Rule

    public init(line: Int?, eventId: String, type: EventType, rule: Rule) {
        self.line = line
        self.eventId = eventId
        self.type = type
        self.rule = rule
    }

    /// The whole line in English: where, which type, and why (see `text(_:)`).
    public var description: String { text(.en) }

    /// The whole line in `language`: the input line and event id, the event type, the rule's message.
    public func text(_ language: Language) -> String {
        switch language {
        case .zh:
            let place = line.map { "第 \($0) 行（事件 \(eventId)）" } ?? "事件 \(eventId)"
            return "\(place)：\(type.label)（\(type.rawValue)）被拒绝：\(rule.message(.zh))"
        case .en:
            let place = line.map { "line \($0) (event \(eventId))" } ?? "event \(eventId)"
            return "\(place): \(type.rawValue) refused: \(rule.message(.en))"
        }
    }
}
