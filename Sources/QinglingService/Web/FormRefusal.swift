import HTTPTypes
import QinglingEvents
import QinglingWorkflow

/// Where a form shows the rules' refusal of the event it posted: next to the field the rule is
/// about (the deadline of a supervision, the completion date of a rectification…), else at the
/// top of the form. The words are the rule's own (`WorkflowViolation.Rule.message`, Chinese).
enum FormRefusal {
    /// Evidence files refused: the message for the top of the form.
    struct Files: Error {
        var message: String
    }

    /// The form field `rule` is about, if it is about one.
    static func field(of rule: WorkflowViolation.Rule) -> String? {
        switch rule {
        case .deadlineNotAfterDiscovery: "deadline"
        case .deadlineNotLater, .reopenDeadlineNotAfter: "newDeadline"
        case .completedAfterRecorded, .completedBeforeTheStepItAnswers: "completedOn"
        case .discoveredAfterReport, .hazardIdYear: "discoveredOn"
        case .beforeEarliestDate(let field, _): field.hasPrefix("data.") ? String(field.dropFirst(5)) : nil
        case .fineWithoutAmount: "amount"
        case .unknownRegion: "region"
        case .unknownIndustry: "industry"
        case .unknownOrganization(_, _, .leadDepartment, _): "leadDepartment"
        case .unknownOrganization(_, _, .escalationTarget, _): "target"
        default: nil
        }
    }

    /// The status of a form refused by the rules, as the API's: 403 when a refusal is about who
    /// acts, 409 when every one is a conflict with the log, else 422.
    static func status(_ violations: [WorkflowViolation]) -> HTTPResponse.Status {
        violations.contains(where: \.rule.isPermission) ? .forbidden : violations.allSatisfy(\.rule.isConflict) ? .conflict : .unprocessableContent
    }

    /// The refusals of `violations`: messages by field (of `fieldNames`), and the rest for the top.
    static func place(_ violations: [WorkflowViolation], fieldNames: Set<String>) -> (fields: [String: String], top: [String]) {
        var fields: [String: String] = [:]
        var top: [String] = []
        for violation in violations {
            let message = violation.rule.message(.zh)
            if let name = field(of: violation.rule), fieldNames.contains(name), fields[name] == nil {
                fields[name] = message
            } else {
                top.append(message)
            }
        }
        return (fields, top)
    }
}
