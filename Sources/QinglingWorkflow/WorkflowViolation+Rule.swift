import QinglingEvents

extension WorkflowViolation {
    /// Each rule of the workflow (`docs/events.md`) an event can break, with the values found.
    /// The words are derived: `message(_:)` in Chinese or English.
    public enum Rule: Equatable, Sendable {
        // The stored form and the event id.
        /// The expected version is outside what the stored form holds.
        case expectedVersionOutsideStorable(Int, storable: ClosedRange<Int>)
        /// The stored form cannot hold a value: its reader refuses the bytes, for this reason.
        case unstorable(EventDecodingError)
        /// The event id was used before for other content.
        case eventIdReused(String, sequence: UInt64)

        // Shape: dates and ids.
        /// The event happened after the log's clock (`now`, as it is) and its slack
        /// (`WorkflowRules.futureSlackMinutes`).
        case inTheFuture(ShanghaiDateTime, now: ShanghaiDateTime)
        /// A date or time of the event (named by its field) is before `WorkflowRules.earliestDate` (2000-01-01).
        case beforeEarliestDate(field: String, CalendarDate)
        /// A hazard id's year is not the year its hazard was discovered.
        case hazardIdYear(hazardId: String, discoveredOn: CalendarDate)
        /// An expected version on an event that does not act on exactly one hazard.
        case expectedVersionWithoutHazard(Int)

        // Reference data.
        /// The region (by name or code) is not one of the reference data's.
        case unknownRegion(String, nearest: [String])
        /// The industry is not one of the reference data's; `nearest` are industries by their
        /// Chinese names (matched by those or by their English names).
        case unknownIndustry(String, nearest: [String])
        /// An organisation of kind department, committee or town, in the given role, is not one of
        /// the reference data's (a town by its region's code).
        case unknownOrganization(OrganizationKind, id: String, role: OrganizationRole, nearest: [String])
        /// An organisation of kind enterprise, in the given role, has an id that is not a valid
        /// unified social credit code (GB 32100-2015), and why.
        case invalidCreditCode(String, role: OrganizationRole, CreditCode.Problem)
        /// A report's hazard id does not begin with the county's prefix (`ReferenceData.hazardIdPrefix`).
        case hazardIdPrefix(hazardId: String, prefix: String)

        // Versions, hazards and who may act.
        /// The hazard has another version than the event expects.
        case versionMismatch(hazardId: String, expected: Int, found: Int)
        /// A report names a hazard id already reported.
        case hazardExists(String)
        /// A named hazard was never reported.
        case unknownHazard(String)
        /// An enterprise reports a hazard of another enterprise (or of none).
        case notOwnHazard(actorId: String)
        /// This kind of organisation may not record this type of event.
        case notPermitted(OrganizationKind, EventType)
        /// The hazard is in a state this type of event does not act on.
        case wrongStatus(hazardId: String, HazardStatus, EventType)
        /// A department acts as lead before the hazard has one.
        case noLeadYet(hazardId: String, HazardStatus, EventType)
        /// A department that is not the hazard's lead acts as lead.
        case notLead(lead: String, actorId: String, EventType)
        /// An enterprise records the rectification of another enterprise's hazard (or of one without operator).
        case notOwnEnterprise(hazardEnterprise: String?)
        /// A town (its id, the region it means) reports, or records the rectification of, a hazard
        /// of another region.
        case notTheTown(townId: String, townRegion: String, hazardId: String, hazardRegion: String)
        /// The person verifying recorded the rectification.
        case verifierRecordedRectification(PersonRef)

        // Dates.
        /// The discovered date is after the report.
        case discoveredAfterReport(discoveredOn: CalendarDate, reportedAt: ShanghaiDateTime)
        /// A lifecycle event is dated before the hazard's previous lifecycle event.
        case beforePreviousStep(hazardId: String, on: CalendarDate, previous: EventType, previousOn: CalendarDate)
        /// An escalation or penalty is dated before the report of a hazard it names.
        case beforeReport(hazardId: String, on: CalendarDate, reportedOn: CalendarDate)
        /// A report, penalty or reward is dated before the receipt of the tip-off it names.
        case beforeTipOff(tipOffId: String, on: CalendarDate, receivedOn: CalendarDate)
        /// A supervision's deadline is not after the discovered date.
        case deadlineNotAfterDiscovery(deadline: CalendarDate, discoveredOn: CalendarDate)
        /// An extension's deadline is not later than the deadline in force.
        case deadlineNotLater(CalendarDate, current: CalendarDate)
        /// A rectification was completed after it was recorded.
        case completedAfterRecorded(CalendarDate, recordedAt: ShanghaiDateTime)
        /// A rectification was completed before the step it answers (the supervision, failed
        /// verification or reopening that began the rectification), and so before the report
        /// and the discovery too.
        case completedBeforeTheStepItAnswers(hazardId: String, completedOn: CalendarDate, step: EventType, stepOn: CalendarDate)
        /// A reopening's deadline is not after the reopening day.
        case reopenDeadlineNotAfter(CalendarDate, reopenedOn: CalendarDate)

        // Penalties and tip-offs.
        /// A fine of 0 fen.
        case fineWithoutAmount
        /// A penalty names a hazard that is not the penalised enterprise's (its report names
        /// `owner`, or no enterprise).
        case penaltyNamesAnotherEnterprisesHazard(hazardId: String, penalised: String, owner: String?)
        /// An escalation to an enterprise or a town names a hazard that is not that
        /// enterprise's, or not in that town's region.
        case escalationNamesHazardOutsideTarget(hazardId: String, target: OrganizationRef)
        /// The tip-off named was never received.
        case tipOffNotReceived(String)
        /// A tip-off id received before.
        case tipOffExists(String)
        /// A reward for a tip-off that no standing hazard and no penalty confirms.
        case tipOffNotConfirmed(String)

        // Attachments (evidence files).
        /// An attachment names a file the log's blob store does not hold (`qingling attach`
        /// or `POST /api/v1/attachments` stores it first).
        case attachmentNotStored(sha256: String)
        /// An attachment's size or media type is not that of the file stored under its hash.
        case attachmentDiffers(sha256: String, stated: String, stored: String)
        // Reporters' identities (`docs/security.md`).
        /// A reporter's identity is given, but nothing is configured to seal it.
        case reporterWithoutKeyStore
        /// A reporter's identity for an event whose key (by name) was destroyed: a retry after
        /// the shredding.
        case reporterKeyWasDestroyed(String)
        /// A key destruction for a tip-off without a sealed identity.
        case noSealedReporter(String)
        /// A key destruction naming another key than the tip-off's (its id, the key it has).
        case otherReporterKey(String, keyId: String)
        /// A key destruction for a tip-off whose key was destroyed before.
        case reporterKeyAlreadyDestroyed(String)

        /// Whether the refusal comes from a concurrent edit or a reused event id (a conflict with
        /// what the log already holds) rather than from the event itself.
        public var isConflict: Bool {
            switch self {
            case .versionMismatch, .eventIdReused: true
            default: false
            }
        }

        /// Whether the refusal is about who acts rather than what the event says: the actor's
        /// kind may not record this type, or not for this hazard (another enterprise's, another
        /// town's region, a department that does not lead it, the person who rectified it).
        public var isPermission: Bool {
            switch self {
            case .notPermitted, .notOwnHazard, .notOwnEnterprise, .notTheTown, .notLead, .verifierRecordedRectification: true
            default: false
            }
        }
    }

    /// The part an organisation plays in an event, for messages.
    public enum OrganizationRole: String, Sendable, CaseIterable {
        case actor, leadDepartment, escalationTarget

        func name(_ language: Language) -> String {
            switch self {
            case .actor: language.pick(zh: "行为主体", en: "the actor")
            case .leadDepartment: language.pick(zh: "牵头部门", en: "the lead department")
            case .escalationTarget: language.pick(zh: "函告对象", en: "the escalation's target")
            }
        }
    }
}
