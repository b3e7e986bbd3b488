/// Writes events in their JSON interchange form, members in a fixed order; optional fields that
/// are absent are left out (never `null`). The one definition of that form: `write` writes the
/// bytes (what `qingling export` and `generate` print), `encode` reads them back as a
/// `JSONValue` for callers that put an event inside a larger document.
public enum EventJSONEncoder {
    /// The members only a stored event has: its sequence, recorded time and the SHA-256 of its
    /// stored bytes.
    public typealias Stored = (sequence: UInt64, recordedAt: ShanghaiDateTime, hash: [UInt8])

    /// Writes the event's document compactly (as `JSONWriter` writes its `encode`) at the end
    /// of `output`; with `stored`, also its sequence, recorded time and hash.
    public static func write(_ event: Event, stored: Stored? = nil, to output: inout [UInt8]) {
        var json = JSONOutput(bytes: output)
        output = []
        write(event, stored: stored, to: &json)
        output = json.bytes
    }

    /// Writes a stored event's document (with its sequence, recorded time and hash) at the end
    /// of `output`.
    public static func write(_ stored: StoredEvent, to output: inout [UInt8]) {
        write(stored.event, stored: (stored.sequence, stored.recordedAt, stored.hash), to: &output)
    }

    /// The event's document; with `stored`, also its sequence, recorded time and hash.
    public static func encode(_ event: Event, stored: Stored? = nil) -> JSONValue {
        var bytes: [UInt8] = []
        write(event, stored: stored, to: &bytes)
        do throws(JSONSyntaxError) {
            return try JSONParser.parse(bytes)
        } catch {
            preconditionFailure("EventJSONEncoder wrote a document that is not JSON: \(error)")
        }
    }

    /// An event's `actor` member: its organisation and person.
    public static func actor(_ value: Actor) -> JSONValue {
        var json = JSONOutput()
        actor(value, to: &json)
        do throws(JSONSyntaxError) {
            return try JSONParser.parse(json.bytes)
        } catch {
            preconditionFailure("EventJSONEncoder wrote an actor that is not JSON: \(error)")
        }
    }

    private static func write(_ event: Event, stored: Stored?, to json: inout JSONOutput) {
        json.beginObject()
        if let stored { json.key("sequence"); json.number(stored.sequence) }
        json.key("eventId"); json.string(event.eventId)
        json.key("type"); json.string(event.type.rawValue)
        json.key("occurredAt"); json.dateTime(event.occurredAt)
        if let stored { json.key("recordedAt"); json.dateTime(stored.recordedAt) }
        json.key("actor"); actor(event.actor, to: &json)
        if let version = event.expectedVersion { json.key("expectedVersion"); json.number(Int64(version)) }
        json.key("data"); data(event.body, to: &json)
        if let stored { json.key("hash"); json.hex(stored.hash) }
        json.endObject()
    }

    private static func actor(_ value: Actor, to json: inout JSONOutput) {
        json.beginObject()
        json.key("organization"); organization(value.organization, to: &json)
        json.key("person"); person(value.person, to: &json)
        json.endObject()
    }

    private static func organization(_ value: OrganizationRef, to json: inout JSONOutput) {
        json.beginObject()
        json.key("kind"); json.string(value.kind.rawValue)
        json.key("id"); json.string(value.id)
        json.key("name"); json.string(value.name)
        json.endObject()
    }

    private static func person(_ value: PersonRef, to json: inout JSONOutput) {
        json.beginObject()
        json.key("id"); json.string(value.id)
        json.key("name"); json.string(value.name)
        json.endObject()
    }

    private static func enterprise(_ value: EnterpriseRef, to json: inout JSONOutput) {
        json.beginObject()
        json.key("creditCode"); json.string(value.creditCode)
        json.key("name"); json.string(value.name)
        json.endObject()
    }

    /// `attachments`, left out when there are none (as events before codec version 2 read).
    private static func attachments(_ list: [Attachment], to j: inout JSONOutput) {
        guard !list.isEmpty else { return }
        j.key("attachments")
        j.beginArray()
        for (index, item) in list.enumerated() {
            if index > 0 { j.comma() }
            attachment(item, to: &j)
        }
        j.endArray()
    }

    /// One attachment as the interchange form writes it: `{"sha256","size","mediaType","caption"}`.
    public static func attachment(_ item: Attachment, to j: inout JSONOutput) {
        j.beginObject()
        j.key("sha256"); j.string(item.sha256)
        j.key("size"); j.number(item.size)
        j.key("mediaType"); j.string(item.mediaType.rawValue)
        j.key("caption"); j.string(item.caption)
        j.endObject()
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    private static func data(_ body: EventBody, to j: inout JSONOutput) {
        j.beginObject()
        switch body {
        case .hazardReported(let e):
            j.key("hazardId"); j.string(e.hazardId)
            if let value = e.enterprise { j.key("enterprise"); enterprise(value, to: &j) }
            j.key("region"); j.string(e.region)
            j.key("industry"); j.string(e.industry)
            j.key("criterionClause"); j.string(e.criterionClause)
            j.key("description"); j.string(e.description)
            j.key("source"); j.string(e.source.rawValue)
            j.key("discoveredOn"); j.date(e.discoveredOn)
            if let tip = e.tipOffId { j.key("tipOffId"); j.string(tip) }
            attachments(e.attachments, to: &j)
        case .hazardSupervised(let e):
            j.key("hazardId"); j.string(e.hazardId)
            j.key("leadDepartment"); j.beginObject()
            j.key("id"); j.string(e.leadDepartment.id)
            j.key("name"); j.string(e.leadDepartment.name)
            j.endObject()
            j.key("supervisionLevel"); j.string(e.supervisionLevel.rawValue)
            j.key("deadline"); j.date(e.deadline)
            j.key("responsible"); j.beginObject()
            if let principal = e.responsible.enterprisePrincipal { j.key("enterprisePrincipal"); person(principal, to: &j) }
            if let controller = e.responsible.actualController { j.key("actualController"); person(controller, to: &j) }
            j.key("departmentOfficer"); person(e.responsible.departmentOfficer, to: &j)
            j.key("townOfficer"); person(e.responsible.townOfficer, to: &j)
            j.endObject()
        case .deadlineExtended(let e):
            j.key("hazardId"); j.string(e.hazardId)
            j.key("newDeadline"); j.date(e.newDeadline)
            j.key("reason"); j.string(e.reason)
        case .hazardRectified(let e):
            j.key("hazardId"); j.string(e.hazardId)
            j.key("completedOn"); j.date(e.completedOn)
            j.key("measures"); j.string(e.measures)
            j.key("fundsFen"); j.number(e.fundsFen)
            attachments(e.attachments, to: &j)
        case .hazardVerified(let e):
            j.key("hazardId"); j.string(e.hazardId)
            j.key("outcome"); j.string(e.outcome.rawValue)
            j.key("findings"); j.string(e.findings)
            attachments(e.attachments, to: &j)
        case .hazardClosed(let e):
            j.key("hazardId"); j.string(e.hazardId)
            j.key("note"); j.string(e.note)
        case .hazardReopened(let e):
            j.key("hazardId"); j.string(e.hazardId)
            j.key("reason"); j.string(e.reason)
            j.key("newDeadline"); j.date(e.newDeadline)
        case .hazardWithdrawn(let e):
            j.key("hazardId"); j.string(e.hazardId)
            j.key("reason"); j.string(e.reason)
        case .escalationIssued(let e):
            j.key("level"); j.string(e.level.rawValue)
            j.key("target"); organization(e.target, to: &j)
            j.key("hazardIds"); j.strings(e.hazardIds)
            if let reason = e.reason { j.key("reason"); j.string(reason) }
        case .penaltyImposed(let e):
            j.key("enterprise"); enterprise(e.enterprise, to: &j)
            j.key("kind"); j.string(e.kind.rawValue)
            j.key("amountFen"); j.number(e.amountFen)
            j.key("legalBasis"); j.string(e.legalBasis)
            j.key("caseNumber"); j.string(e.caseNumber)
            if !e.hazardIds.isEmpty { j.key("hazardIds"); j.strings(e.hazardIds) }
            if let tip = e.tipOffId { j.key("tipOffId"); j.string(tip) }
            attachments(e.attachments, to: &j)
        case .tipOffReceived(let e):
            j.key("tipOffId"); j.string(e.tipOffId)
            j.key("channel"); j.string(e.channel.rawValue)
            j.key("summary"); j.string(e.summary)
            j.key("reporterPseudonym"); j.string(e.reporterPseudonym)
            if let sealed = e.reporterSealed {
                j.key("reporterSealed"); j.beginObject()
                j.key("keyId"); j.string(sealed.keyId)
                j.key("ciphertext"); j.string(Base64.encode(sealed.ciphertext))
                j.endObject()
            }
        case .rewardPaid(let e):
            j.key("tipOffId"); j.string(e.tipOffId)
            j.key("amountFen"); j.number(e.amountFen)
        case .reporterKeyDestroyed(let e):
            j.key("tipOffId"); j.string(e.tipOffId)
            j.key("keyId"); j.string(e.keyId)
            j.key("reason"); j.string(e.reason)
        }
        j.endObject()
    }
}
