/// The compact binary stored form of an event: the payload of one log record. Specified in
/// `docs/format.md` ("Stored events"); decoded without Foundation.
///
/// ```
/// u8   codec version (2; version 1 records are still read)
/// u8   event type tag (EventType.tag)
/// envelope: eventId, occurredAt, actor, expectedVersion
/// body: the type's fields in a fixed order
/// ```
///
/// Version policy: a field added to a type later is optional and appended after the type's
/// last field; a reader that reaches the end of the record before it reads it as absent, so
/// every event written earlier still decodes. A record with a codec version above
/// `EventBinaryCodec.version` is refused.
///
/// Version 2 adds a trailing `attachments` list to `HazardReported`, `HazardRectified`,
/// `HazardVerified` and `PenaltyImposed` (a count, then per item its SHA-256 as a 64-digit hex
/// string, size, media type and caption); always present in a version 2 record, absent (read as
/// none) in a version 1 record.
public enum EventBinaryCodec {
    public static let version: UInt8 = 2

    /// The expected hazard versions an event may carry (as the interchange form allows). An
    /// event outside this range, or with a date or moment outside the years 1 to 9999, encodes
    /// without a trap, but every reader refuses the bytes; `EventStore` refuses to append it.
    public static let expectedVersions: ClosedRange<Int> = 0...Int(Int32.max)

    public static func encode(_ event: Event) -> [UInt8] {
        var w = BinaryWriter()
        w.byte(version)
        w.byte(event.type.tag)
        w.string(event.eventId)
        w.signed(event.occurredAt.microseconds)
        w.code(event.actor.organization.kind)
        w.string(event.actor.organization.id)
        w.string(event.actor.organization.name)
        person(&w, event.actor.person)
        w.optional(event.expectedVersion) { $0.unsigned(UInt64(truncatingIfNeeded: $1)) }
        switch event.body {
        case .hazardReported(let e):
            w.string(e.hazardId)
            w.optional(e.enterprise) { $0.string($1.creditCode); $0.string($1.name) }
            w.string(e.region); w.string(e.industry); w.string(e.criterionClause); w.string(e.description)
            w.code(e.source); w.date(e.discoveredOn); w.optional(e.tipOffId) { $0.string($1) }
            attachments(&w, e.attachments)
        case .hazardSupervised(let e):
            w.string(e.hazardId); w.string(e.leadDepartment.id); w.string(e.leadDepartment.name)
            w.code(e.supervisionLevel); w.date(e.deadline)
            w.optional(e.responsible.enterprisePrincipal, person); w.optional(e.responsible.actualController, person)
            person(&w, e.responsible.departmentOfficer); person(&w, e.responsible.townOfficer)
        case .deadlineExtended(let e):
            w.string(e.hazardId); w.date(e.newDeadline); w.string(e.reason)
        case .hazardRectified(let e):
            w.string(e.hazardId); w.date(e.completedOn); w.string(e.measures); w.signed(e.fundsFen)
            attachments(&w, e.attachments)
        case .hazardVerified(let e):
            w.string(e.hazardId); w.code(e.outcome); w.string(e.findings)
            attachments(&w, e.attachments)
        case .hazardClosed(let e):
            w.string(e.hazardId); w.string(e.note)
        case .hazardReopened(let e):
            w.string(e.hazardId); w.string(e.reason); w.date(e.newDeadline)
        case .hazardWithdrawn(let e):
            w.string(e.hazardId); w.string(e.reason)
        case .escalationIssued(let e):
            w.code(e.level); w.code(e.target.kind); w.string(e.target.id); w.string(e.target.name)
            w.strings(e.hazardIds); w.optional(e.reason) { $0.string($1) }
        case .penaltyImposed(let e):
            w.string(e.enterprise.creditCode); w.string(e.enterprise.name); w.code(e.kind); w.signed(e.amountFen)
            w.string(e.legalBasis); w.string(e.caseNumber); w.strings(e.hazardIds); w.optional(e.tipOffId) { $0.string($1) }
            attachments(&w, e.attachments)
        case .tipOffReceived(let e):
            w.string(e.tipOffId); w.code(e.channel); w.string(e.summary); w.string(e.reporterPseudonym)
            w.optional(e.reporterSealed) { $0.string($1.keyId); $0.rawBytes($1.ciphertext) }
        case .rewardPaid(let e):
            w.string(e.tipOffId); w.signed(e.amountFen)
        case .reporterKeyDestroyed(let e):
            w.string(e.tipOffId); w.string(e.keyId); w.string(e.reason)
        }
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(EventDecodingError) -> Event {
        try decode(bytes[...])
    }

    /// Decodes an event held in part of a larger buffer.
    public static func decode(_ bytes: ArraySlice<UInt8>) throws(EventDecodingError) -> Event {
        var r = BinaryReader(bytes)
        let codecVersion = try r.byte()
        guard codecVersion >= 1, codecVersion <= version else {
            throw .unreadableVersion(codecVersion, newest: version)
        }
        let tag = try r.byte()
        guard let type = EventType(tag: tag) else { throw .unknownEventType(tag: tag) }
        let eventId = try r.string()
        let occurredAt = try r.occurredAt()
        let organization = OrganizationRef(kind: try r.code(OrganizationKind.self), id: try r.string(), name: try r.string())
        let actor = Actor(organization: organization, person: try person(&r))
        let expected = try r.optional { (r: inout BinaryReader) throws(EventDecodingError) in try r.expectedVersion() }
        let body: EventBody
        switch type {
        case .hazardReported:
            body = .hazardReported(HazardReported(
                hazardId: try r.string(),
                enterprise: try r.optional { (r: inout BinaryReader) throws(EventDecodingError) in EnterpriseRef(creditCode: try r.string(), name: try r.string()) },
                region: try r.string(), industry: try r.string(), criterionClause: try r.string(), description: try r.string(),
                source: try r.code(HazardSource.self), discoveredOn: try r.date(), tipOffId: try r.optional(string),
                attachments: try attachments(&r, codecVersion)))
        case .hazardSupervised:
            body = .hazardSupervised(HazardSupervised(
                hazardId: try r.string(), leadDepartment: DepartmentRef(id: try r.string(), name: try r.string()),
                supervisionLevel: try r.code(SupervisionLevel.self), deadline: try r.date(),
                responsible: ResponsiblePersons(enterprisePrincipal: try r.optional(person), actualController: try r.optional(person),
                                                departmentOfficer: try person(&r), townOfficer: try person(&r))))
        case .deadlineExtended:
            body = .deadlineExtended(DeadlineExtended(hazardId: try r.string(), newDeadline: try r.date(), reason: try r.string()))
        case .hazardRectified:
            body = .hazardRectified(HazardRectified(hazardId: try r.string(), completedOn: try r.date(), measures: try r.string(), fundsFen: try r.signed(),
                                                    attachments: try attachments(&r, codecVersion)))
        case .hazardVerified:
            body = .hazardVerified(HazardVerified(hazardId: try r.string(), outcome: try r.code(VerificationOutcome.self), findings: try r.string(),
                                                  attachments: try attachments(&r, codecVersion)))
        case .hazardClosed:
            body = .hazardClosed(HazardClosed(hazardId: try r.string(), note: try r.string()))
        case .hazardReopened:
            body = .hazardReopened(HazardReopened(hazardId: try r.string(), reason: try r.string(), newDeadline: try r.date()))
        case .hazardWithdrawn:
            body = .hazardWithdrawn(HazardWithdrawn(hazardId: try r.string(), reason: try r.string()))
        case .escalationIssued:
            body = .escalationIssued(EscalationIssued(
                level: try r.code(EscalationLevel.self),
                target: OrganizationRef(kind: try r.code(OrganizationKind.self), id: try r.string(), name: try r.string()),
                hazardIds: try r.strings(), reason: try r.optional(string)))
        case .penaltyImposed:
            body = .penaltyImposed(PenaltyImposed(
                enterprise: EnterpriseRef(creditCode: try r.string(), name: try r.string()), kind: try r.code(PenaltyKind.self),
                amountFen: try r.signed(), legalBasis: try r.string(), caseNumber: try r.string(), hazardIds: try r.strings(),
                tipOffId: try r.optional(string), attachments: try attachments(&r, codecVersion)))
        case .tipOffReceived:
            var tipOff = TipOffReceived(tipOffId: try r.string(), channel: try r.code(TipOffChannel.self),
                                        summary: try r.string(), reporterPseudonym: try r.string())
            if codecVersion >= 2 {
                tipOff.reporterSealed = try r.optional { (r: inout BinaryReader) throws(EventDecodingError) in
                    SealedReporter(keyId: try r.string(), ciphertext: try r.rawBytes())
                }
            }
            body = .tipOffReceived(tipOff)
        case .rewardPaid:
            body = .rewardPaid(RewardPaid(tipOffId: try r.string(), amountFen: try r.signed()))
        case .reporterKeyDestroyed:
            body = .reporterKeyDestroyed(ReporterKeyDestroyed(tipOffId: try r.string(), keyId: try r.string(), reason: try r.string()))
        }
        guard r.isAtEnd else { throw .trailingBytes(count: bytes.count - r.offset, after: type) }
        return Event(eventId: eventId, occurredAt: occurredAt, actor: actor, expectedVersion: expected, body: body)
    }

    private static func person(_ w: inout BinaryWriter, _ value: PersonRef) {
        w.string(value.id)
        w.string(value.name)
    }

    private static func person(_ r: inout BinaryReader) throws(EventDecodingError) -> PersonRef {
        PersonRef(id: try r.string(), name: try r.string())
    }

    private static func attachments(_ w: inout BinaryWriter, _ list: [Attachment]) {
        w.unsigned(UInt64(list.count))
        for item in list {
            w.string(item.sha256)
            w.unsigned(UInt64(bitPattern: item.size))
            w.string(item.mediaType.rawValue)
            w.string(item.caption)
        }
    }

    /// The attachments of a version 2 record; none in a version 1 record (which has no such field).
    private static func attachments(_ r: inout BinaryReader, _ codecVersion: UInt8) throws(EventDecodingError) -> [Attachment] {
        guard codecVersion >= 2 else { return [] }
        let listStart = r.offset
        let count = try r.unsigned()
        // Each item takes at least 4 bytes: a count past the remaining bytes cannot be honest.
        guard count <= UInt64(r.remaining / 4) else { throw .runsPastTheEnd(.attachments, length: count, at: listStart) }
        var list: [Attachment] = []
        for _ in 0..<count {
            let hash = try r.string()
            let start = r.offset
            let size = try r.unsigned()
            guard size <= UInt64(Int64.max) else { throw .outOfRange(.attachmentSize(size), at: start) }
            let typeOffset = r.offset
            let type = try r.string()
            guard let mediaType = AttachmentMediaType(rawValue: type) else {
                throw .unknownMediaType(at: typeOffset)
            }
            list.append(Attachment(sha256: hash, size: Int64(size), mediaType: mediaType, caption: try r.string()))
        }
        return list
    }

    private static func string(_ r: inout BinaryReader) throws(EventDecodingError) -> String { try r.string() }

}
