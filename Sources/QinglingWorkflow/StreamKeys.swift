import QinglingEvents

/// The stream keys an event's log record carries, so that the log's index finds every event of
/// a hazard, a tip-off, an enterprise, or with a given event id without scanning.
public enum StreamKeys {
    public static func hazard(_ id: String) -> String { "H:" + id }
    public static func tipOff(_ id: String) -> String { "T:" + id }
    public static func enterprise(_ creditCode: String) -> String { "C:" + creditCode }
    public static func event(_ id: String) -> String { "E:" + id }
    public static func attachment(_ sha256: String) -> String { "A:" + sha256 }

    /// Every key of `event`: its event id, each hazard it names, its tip-off and enterprise,
    /// each attachment's hash.
    public static func keys(of event: Event) -> [String] {
        var keys = [Self.event(event.eventId)]
        keys += event.body.hazardIds.map(hazard)
        if let tip = event.body.tipOffId { keys.append(tipOff(tip)) }
        if let code = event.body.creditCode { keys.append(enterprise(code)) }
        keys += event.body.attachments.map { attachment($0.sha256) }
        return keys
    }
}
