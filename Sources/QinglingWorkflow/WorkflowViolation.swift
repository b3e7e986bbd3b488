import QinglingEvents

/// An event refused by the workflow: which event, the rule it breaks, what was found.
public struct WorkflowViolation: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input line (from 1), when the event came from a file.
    public var line: Int?
    public var eventId: String
    public var type: EventType
    /// The rule broken and the state found, e.g. "hazard LX-2024-0031 is awaiting-verification;
    /// closing needs a passed verification".
    public var reason: String

    public init(line: Int?, eventId: String, type: EventType, reason: String) {
        self.line = line
        self.eventId = eventId
        self.type = type
        self.reason = reason
    }

    public var description: String {
        let place = line.map { "line \($0) (event \(eventId))" } ?? "event \(eventId)"
        return "\(place): \(type.rawValue) refused: \(reason)"
    }
}
