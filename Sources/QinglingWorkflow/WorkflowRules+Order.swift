import QinglingEvents

/// The rules on the order of business dates: no event is dated before what it acts on or names
/// (the same day is allowed). Each refusal names both dates.
extension WorkflowRules {
    /// The first date of `event` that comes before what it follows, or `nil`, checked in this
    /// order: a lifecycle event after the report against the hazard's previous lifecycle event,
    /// and a rectification's completion too; an escalation or penalty against the report of each
    /// hazard it names; a report, penalty or reward against the receipt of the tip-off it names.
    func orderRefusal(of event: Event, hazard lookupHazard: (String) -> HazardRecord?, tipOff lookupTipOff: (String) -> TipOffRecord) -> WorkflowViolation.Rule? {
        let on = event.occurredAt.date
        switch event.body {
        case .tipOffReceived:
            return nil
        case .hazardReported, .rewardPaid, .reporterKeyDestroyed:
            break
        case .escalationIssued, .penaltyImposed:
            for id in event.body.hazardIds {
                if let hazard = lookupHazard(id), on < hazard.reportedOn { return .beforeReport(hazardId: id, on: on, reportedOn: hazard.reportedOn) }
            }
        case .hazardSupervised, .deadlineExtended, .hazardRectified, .hazardVerified, .hazardClosed, .hazardReopened, .hazardWithdrawn:
            // So a verification never precedes the rectification it checks: neither the day it was
            // recorded nor, since that is never before it, the day it was completed.
            guard let id = event.body.hazardId, let hazard = lookupHazard(id) else { break }
            if on < hazard.lastStepOn {
                return .beforePreviousStep(hazardId: id, on: on, previous: hazard.lastStepType, previousOn: hazard.lastStepOn)
            }
            // A rectification answers the step that began it (a supervision, a failed verification,
            // a reopening), so it is not completed before that step; an extension in between
            // does not move the work's start.
            if case .hazardRectified(let e) = event.body, let began = hazard.rectificationBegan, e.completedOn < began.on {
                return .completedBeforeTheStepItAnswers(hazardId: id, completedOn: e.completedOn, step: began.type, stepOn: began.on)
            }
        }
        if let id = event.body.tipOffId, let received = lookupTipOff(id).receivedOn, on < received {
            return .beforeTipOff(tipOffId: id, on: on, receivedOn: received)
        }
        return nil
    }
}
