/// Reads events from their JSON interchange form (`schemas/envelope.schema.json`), strictly:
/// required fields, types, lengths, formats, vocabularies, credit-code check characters, no
/// unknown fields. Every problem of a document is reported, each with its field path.
public enum EventJSONDecoder {
    /// The event of one JSON document, or every problem found in it. A tip-off reporter's
    /// identity (`data.reporter`) is refused here: it is read only by `decodeInput`, for a
    /// program that seals it before anything is written.
    public static func decode(_ value: JSONValue) -> Result<Event, EventDocumentError> {
        switch decodeInput(value) {
        case .failure(let error): return .failure(error)
        case .success(let input):
            guard input.reporter == nil else {
                return .failure(EventDocumentError(eventId: input.event.eventId, problems: [DocumentProblem(path: "data.reporter", .reporterNotSealedHere)]))
            }
            return .success(input.event)
        }
    }

    /// The event of one JSON document and the reporter's identity it gives (`data.reporter` of
    /// a `TipOffReceived`, to be sealed before the event is stored), or every problem found.
    public static func decodeInput(_ value: JSONValue) -> Result<EventInput, EventDocumentError> {
        let problems = Problems()
        guard var envelope = ObjectReader(value, path: "", problems: problems) else {
            return .failure(EventDocumentError(eventId: nil, problems: problems.list))
        }
        let eventId = envelope.identifier("eventId", form: .eventId, Syntax.isEventId)
        let type = envelope.code("type", as: EventType.self)
        let occurredAt = envelope.dateTime("occurredAt")
        let actor = readActor(&envelope)
        let expectedVersion = envelope.integer("expectedVersion", in: 0...Int64(Int32.max), required: false)
        // Output-only fields are accepted (export → append round trip), all or none, and ignored.
        let outputFields = ["sequence", "recordedAt", "hash"].filter { envelope.has($0) }
        if !outputFields.isEmpty && outputFields.count < 3 {
            problems.add(outputFields[0], .outputFieldsApart)
        }
        _ = envelope.integer("sequence", in: 0...Int64.max, required: false)
        _ = envelope.dateTime("recordedAt", required: false)
        if let hash = envelope.string("hash", maxLength: 64, required: false),
           hash.utf8.count != 64 || !hash.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) {
            problems.add("hash", .notASHA256)
        }
        var body: EventBody?
        var reporter: ReporterIdentity?
        if var data = envelope.object("data"), let type {
            body = readBody(type, &data, reporter: &reporter)
            data.finish()
        }
        envelope.finish()
        guard problems.isEmpty, let eventId, let occurredAt, let actor, let body else {
            return .failure(EventDocumentError(eventId: eventId, problems: problems.list))
        }
        return .success(EventInput(event: Event(eventId: eventId, occurredAt: occurredAt, actor: actor,
                                                expectedVersion: expectedVersion.map { Int($0) }, body: body),
                                   reporter: reporter))
    }

    private static func readActor(_ envelope: inout ObjectReader) -> Actor? {
        guard var actor = envelope.object("actor") else { return nil }
        defer { actor.finish() }
        let organization = actor.object("organization").flatMap { reader -> OrganizationRef? in
            var reader = reader
            defer { reader.finish() }
            return organizationRef(&reader, kinds: OrganizationKind.allCases)
        }
        let person = actor.object("person").flatMap { reader -> PersonRef? in
            var reader = reader
            return personRef(&reader)
        }
        guard let organization, let person else { return nil }
        return Actor(organization: organization, person: person)
    }

    static func organizationRef(_ reader: inout ObjectReader, kinds: [OrganizationKind]) -> OrganizationRef? {
        let kind = reader.code("kind", as: OrganizationKind.self)
        if let kind, !kinds.contains(kind) {
            reader.problems.add(reader.path + ".kind", .organizationKind(allowed: kinds.map(\.rawValue)))
        }
        let id = reader.string("id", maxLength: FieldLength.identifier)
        let name = reader.string("name", maxLength: FieldLength.organizationName)
        guard let kind, kinds.contains(kind), let id, let name else { return nil }
        return OrganizationRef(kind: kind, id: id, name: name)
    }

    static func personRef(_ reader: inout ObjectReader) -> PersonRef? {
        defer { reader.finish() }
        let id = reader.string("id", maxLength: FieldLength.identifier)
        let name = reader.string("name", maxLength: FieldLength.personName)
        guard let id, let name else { return nil }
        return PersonRef(id: id, name: name)
    }

    private static func person(_ key: String, in reader: inout ObjectReader, required: Bool = true) -> PersonRef?? {
        guard var object = reader.object(key, required: required) else { return required ? nil : .some(nil) }
        return personRef(&object).map { .some($0) }
    }

    private static func enterprise(_ key: String, in reader: inout ObjectReader, required: Bool = true) -> EnterpriseRef?? {
        guard var object = reader.object(key, required: required) else { return required ? nil : .some(nil) }
        defer { object.finish() }
        let code = object.string("creditCode", maxLength: 18)
        if let code, let problem = CreditCode.problem(code) {
            object.problems.add(object.path + ".creditCode", .creditCode(code, problem))
        }
        let name = object.string("name", maxLength: FieldLength.organizationName)
        guard let code, CreditCode.isValid(code), let name else { return nil }
        return .some(EnterpriseRef(creditCode: code, name: name))
    }

    private static func hazardId(_ reader: inout ObjectReader) -> String? {
        reader.identifier("hazardId", form: .hazardId, Syntax.isHazardId)
    }

    private static func tipOffId(_ reader: inout ObjectReader, required: Bool = true) -> String?? {
        let present = reader.has("tipOffId")
        let value = reader.identifier("tipOffId", required: required, form: .tipOffId, Syntax.isTipOffId)
        if value == nil && (required || present) { return nil }
        return .some(value)
    }

    private static func hazardIds(_ reader: inout ObjectReader, required: Bool) -> [String]? {
        reader.stringArray("hazardIds", maxCount: FieldLength.maxHazardIds, required: required) {
            Syntax.isHazardId($0) ? nil : .notAn(.hazardId, found: $0)
        }
    }

    /// A long free-text field (the schemas' `text`): the only strings that may hold line feeds and tabs.
    private static func text(_ key: String, _ reader: inout ObjectReader, required: Bool = true) -> String? {
        reader.string(key, maxLength: FieldLength.text, required: required, freeText: true)
    }

    private static func fen(_ key: String, _ reader: inout ObjectReader, minimum: Int64 = 0) -> Int64? {
        reader.integer(key, in: minimum...FieldLength.maxFen, expected: .fen)
    }

    // swiftlint:disable:next cyclomatic_complexity
    private static func readBody(_ type: EventType, _ r: inout ObjectReader, reporter: inout ReporterIdentity?) -> EventBody? {
        switch type {
        case .hazardReported:
            let id = hazardId(&r), enterprise = enterprise("enterprise", in: &r, required: false)
            let region = r.string("region", minLength: 2, maxLength: FieldLength.region), industry = r.string("industry", maxLength: FieldLength.industry)
            let clause = r.string("criterionClause", maxLength: FieldLength.criterionClause), description = text("description", &r)
            let source = r.code("source", as: HazardSource.self), discovered = r.date("discoveredOn"), tip = tipOffId(&r, required: false)
            let files = attachments(&r)
            guard let id, let enterprise, let region, let industry, let clause, let description, let source, let discovered, let tip, let files else { return nil }
            return .hazardReported(HazardReported(hazardId: id, enterprise: enterprise, region: region, industry: industry, criterionClause: clause,
                                                  description: description, source: source, discoveredOn: discovered, tipOffId: tip, attachments: files))
        case .hazardSupervised:
            let id = hazardId(&r)
            let department: DepartmentRef? = r.object("leadDepartment").flatMap { object in
                var object = object
                defer { object.finish() }
                let id = object.string("id", maxLength: FieldLength.identifier), name = object.string("name", maxLength: FieldLength.organizationName)
                guard let id, let name else { return nil }
                return DepartmentRef(id: id, name: name)
            }
            let level = r.code("supervisionLevel", as: SupervisionLevel.self), deadline = r.date("deadline")
            var responsible: ResponsiblePersons?
            if var persons = r.object("responsible") {
                let principal = person("enterprisePrincipal", in: &persons, required: false)
                let controller = person("actualController", in: &persons, required: false)
                let officer = person("departmentOfficer", in: &persons), town = person("townOfficer", in: &persons)
                persons.finish()
                if let principal, let controller, let officer = officer ?? nil, let town = town ?? nil {
                    responsible = ResponsiblePersons(enterprisePrincipal: principal, actualController: controller, departmentOfficer: officer, townOfficer: town)
                }
            }
            guard let id, let department, let level, let deadline, let responsible else { return nil }
            return .hazardSupervised(HazardSupervised(hazardId: id, leadDepartment: department, supervisionLevel: level, deadline: deadline, responsible: responsible))
        case .deadlineExtended:
            let id = hazardId(&r), deadline = r.date("newDeadline"), reason = text("reason", &r)
            guard let id, let deadline, let reason else { return nil }
            return .deadlineExtended(DeadlineExtended(hazardId: id, newDeadline: deadline, reason: reason))
        case .hazardRectified:
            let id = hazardId(&r), completed = r.date("completedOn"), measures = text("measures", &r), funds = fen("fundsFen", &r)
            let files = attachments(&r)
            guard let id, let completed, let measures, let funds, let files else { return nil }
            return .hazardRectified(HazardRectified(hazardId: id, completedOn: completed, measures: measures, fundsFen: funds, attachments: files))
        case .hazardVerified:
            let id = hazardId(&r), outcome = r.code("outcome", as: VerificationOutcome.self), findings = text("findings", &r)
            let files = attachments(&r)
            guard let id, let outcome, let findings, let files else { return nil }
            return .hazardVerified(HazardVerified(hazardId: id, outcome: outcome, findings: findings, attachments: files))
        case .hazardClosed:
            let id = hazardId(&r), note = text("note", &r)
            guard let id, let note else { return nil }
            return .hazardClosed(HazardClosed(hazardId: id, note: note))
        case .hazardReopened:
            let id = hazardId(&r), reason = text("reason", &r), deadline = r.date("newDeadline")
            guard let id, let reason, let deadline else { return nil }
            return .hazardReopened(HazardReopened(hazardId: id, reason: reason, newDeadline: deadline))
        case .hazardWithdrawn:
            let id = hazardId(&r), reason = text("reason", &r)
            guard let id, let reason else { return nil }
            return .hazardWithdrawn(HazardWithdrawn(hazardId: id, reason: reason))
        case .escalationIssued:
            let level = r.code("level", as: EscalationLevel.self)
            let target: OrganizationRef? = r.object("target").flatMap { object in
                var object = object
                defer { object.finish() }
                return organizationRef(&object, kinds: [.enterprise, .town, .department])
            }
            let ids = hazardIds(&r, required: true), reason = text("reason", &r, required: false)
            let reasonBad = r.has("reason") && reason == nil
            guard let level, let target, let ids, !reasonBad else { return nil }
            return .escalationIssued(EscalationIssued(level: level, target: target, hazardIds: ids, reason: reason))
        case .penaltyImposed:
            let enterprise = enterprise("enterprise", in: &r), kind = r.code("kind", as: PenaltyKind.self)
            let amount = fen("amountFen", &r, minimum: kind == .fine ? 1 : 0)
            let basis = text("legalBasis", &r), caseNumber = r.string("caseNumber", maxLength: FieldLength.caseNumber)
            let idsPresent = r.has("hazardIds")
            let ids = hazardIds(&r, required: false), tip = tipOffId(&r, required: false), files = attachments(&r)
            guard let enterprise = enterprise ?? nil, let kind, let amount, let basis, let caseNumber, let tip, let files,
                  !(idsPresent && ids == nil) else { return nil }
            return .penaltyImposed(PenaltyImposed(enterprise: enterprise, kind: kind, amountFen: amount, legalBasis: basis,
                                                  caseNumber: caseNumber, hazardIds: ids ?? [], tipOffId: tip, attachments: files))
        case .tipOffReceived:
            let tip = tipOffId(&r), channel = r.code("channel", as: TipOffChannel.self), summary = text("summary", &r)
            let pseudonym = r.string("reporterPseudonym", maxLength: FieldLength.personName)
            let identity = ReporterInput.read(&r)
            guard let tip = tip ?? nil, let channel, let summary, let pseudonym, let identity else { return nil }
            reporter = identity
            return .tipOffReceived(TipOffReceived(tipOffId: tip, channel: channel, summary: summary, reporterPseudonym: pseudonym))
        case .rewardPaid:
            let tip = tipOffId(&r), amount = fen("amountFen", &r, minimum: 1)
            guard let tip = tip ?? nil, let amount else { return nil }
            return .rewardPaid(RewardPaid(tipOffId: tip, amountFen: amount))
        case .reporterKeyDestroyed:
            let tip = tipOffId(&r), keyId = r.string("keyId", maxLength: FieldLength.identifier), reason = text("reason", &r)
            guard let tip = tip ?? nil, let keyId, let reason else { return nil }
            return .reporterKeyDestroyed(ReporterKeyDestroyed(tipOffId: tip, keyId: keyId, reason: reason))
        }
    }
}

/// An event read from its interchange form, with the tip-off reporter's identity it gave (never
/// part of the event: the program that appends seals it into `TipOffReceived.reporterSealed`).
public struct EventInput: Sendable {
    public var event: Event
    public var reporter: ReporterIdentity?

    public init(event: Event, reporter: ReporterIdentity? = nil) {
        self.event = event
        self.reporter = reporter
    }
}

/// Why a JSON document is not a valid event: each problem with its field path.
public struct EventDocumentError: Error, Equatable, Sendable {
    /// The event id, when it could be read.
    public var eventId: String?
    /// Every problem found, in the document's order; each says itself with `text(_:)`.
    public var problems: [DocumentProblem]
}
