/// Writes events in their JSON interchange form, members in a fixed order; optional fields that
/// are absent are left out (never `null`).
public enum EventJSONEncoder {
    /// The event's document; with `stored`, also its sequence, recorded time and hash.
    public static func encode(_ event: Event, stored: (sequence: UInt64, recordedAt: ShanghaiDateTime, hash: String)? = nil) -> JSONValue {
        var members: [JSONMember] = []
        if let stored { members.append(JSONMember("sequence", .number(String(stored.sequence)))) }
        members.append(JSONMember("eventId", .string(event.eventId)))
        members.append(JSONMember("type", .string(event.type.rawValue)))
        members.append(JSONMember("occurredAt", .string(event.occurredAt.description)))
        if let stored { members.append(JSONMember("recordedAt", .string(stored.recordedAt.description))) }
        members.append(JSONMember("actor", actor(event.actor)))
        if let version = event.expectedVersion { members.append(JSONMember("expectedVersion", .number(String(version)))) }
        members.append(JSONMember("data", .object(data(event.body))))
        if let stored { members.append(JSONMember("hash", .string(stored.hash))) }
        return .object(members)
    }

    /// An event's `actor` member: its organisation and person.
    public static func actor(_ value: Actor) -> JSONValue {
        .object([JSONMember("organization", organization(value.organization)), JSONMember("person", person(value.person))])
    }

    static func organization(_ value: OrganizationRef) -> JSONValue {
        .object([JSONMember("kind", .string(value.kind.rawValue)), JSONMember("id", .string(value.id)), JSONMember("name", .string(value.name))])
    }

    static func person(_ value: PersonRef) -> JSONValue {
        .object([JSONMember("id", .string(value.id)), JSONMember("name", .string(value.name))])
    }

    private static func enterprise(_ value: EnterpriseRef) -> JSONValue {
        .object([JSONMember("creditCode", .string(value.creditCode)), JSONMember("name", .string(value.name))])
    }

    private static func fen(_ value: Int64) -> JSONValue { .number(String(value)) }
    private static func date(_ value: CalendarDate) -> JSONValue { .string(value.description) }
    private static func strings(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }

    private static func data(_ body: EventBody) -> [JSONMember] {
        var m: [JSONMember] = []
        func add(_ key: String, _ value: JSONValue?) { if let value { m.append(JSONMember(key, value)) } }
        switch body {
        case .hazardReported(let e):
            add("hazardId", .string(e.hazardId)); add("enterprise", e.enterprise.map(enterprise))
            add("region", .string(e.region)); add("industry", .string(e.industry))
            add("criterionClause", .string(e.criterionClause)); add("description", .string(e.description))
            add("source", .string(e.source.rawValue)); add("discoveredOn", date(e.discoveredOn)); add("tipOffId", e.tipOffId.map { .string($0) })
        case .hazardSupervised(let e):
            add("hazardId", .string(e.hazardId))
            add("leadDepartment", .object([JSONMember("id", .string(e.leadDepartment.id)), JSONMember("name", .string(e.leadDepartment.name))]))
            add("supervisionLevel", .string(e.supervisionLevel.rawValue)); add("deadline", date(e.deadline))
            var persons: [JSONMember] = []
            if let principal = e.responsible.enterprisePrincipal { persons.append(JSONMember("enterprisePrincipal", person(principal))) }
            if let controller = e.responsible.actualController { persons.append(JSONMember("actualController", person(controller))) }
            persons.append(JSONMember("departmentOfficer", person(e.responsible.departmentOfficer)))
            persons.append(JSONMember("townOfficer", person(e.responsible.townOfficer)))
            add("responsible", .object(persons))
        case .deadlineExtended(let e):
            add("hazardId", .string(e.hazardId)); add("newDeadline", date(e.newDeadline)); add("reason", .string(e.reason))
        case .hazardRectified(let e):
            add("hazardId", .string(e.hazardId)); add("completedOn", date(e.completedOn)); add("measures", .string(e.measures)); add("fundsFen", fen(e.fundsFen))
        case .hazardVerified(let e):
            add("hazardId", .string(e.hazardId)); add("outcome", .string(e.outcome.rawValue)); add("findings", .string(e.findings))
        case .hazardClosed(let e):
            add("hazardId", .string(e.hazardId)); add("note", .string(e.note))
        case .hazardReopened(let e):
            add("hazardId", .string(e.hazardId)); add("reason", .string(e.reason)); add("newDeadline", date(e.newDeadline))
        case .hazardWithdrawn(let e):
            add("hazardId", .string(e.hazardId)); add("reason", .string(e.reason))
        case .escalationIssued(let e):
            add("level", .string(e.level.rawValue)); add("target", organization(e.target)); add("hazardIds", strings(e.hazardIds))
            add("reason", e.reason.map { .string($0) })
        case .penaltyImposed(let e):
            add("enterprise", enterprise(e.enterprise)); add("kind", .string(e.kind.rawValue)); add("amountFen", fen(e.amountFen))
            add("legalBasis", .string(e.legalBasis)); add("caseNumber", .string(e.caseNumber))
            add("hazardIds", e.hazardIds.isEmpty ? nil : strings(e.hazardIds)); add("tipOffId", e.tipOffId.map { .string($0) })
        case .tipOffReceived(let e):
            add("tipOffId", .string(e.tipOffId)); add("channel", .string(e.channel.rawValue)); add("summary", .string(e.summary))
            add("reporterPseudonym", .string(e.reporterPseudonym))
        case .rewardPaid(let e):
            add("tipOffId", .string(e.tipOffId)); add("amountFen", fen(e.amountFen))
        }
        return m
    }
}
