import Hummingbird
import QinglingEvents
import QinglingWorkflow

/// `GET /reminders` (待办): what the caller's organisation must do and by when, as
/// `GET /api/v1/reminders` computes it, each linking to its hazard's file.
struct ReminderPage {
    let templates: WebTemplates
    let reminders: ReminderRoutes

    struct Item {
        var duty: String
        var hazardId: String
        var href: String
        var region: String
        var industry: String
        var leadDepartment: String
        var status: String
        var since: String
        var days: String
        var overdue: Bool
        var levelDue: String?
    }

    struct View {
        var page: PageFrame
        var asOf: String
        var items: [Item]
        var count: Int
        var hasItems: Bool
    }

    func page(_ request: Request, context: ServiceContext) async throws -> Response {
        guard let signedIn = context.identity else { return WebResponse.redirect(to: "/login") }
        let answer = try await reminders.reminders(for: signedIn.account)
        let view = View(page: PageFrame(title: "待办", signedIn: signedIn, current: "/reminders"), asOf: answer.asOf,
                        items: answer.reminders.map(Self.item), count: answer.reminders.count,
                        hasItems: !answer.reminders.isEmpty)
        return WebResponse.page(templates.render(.reminders, view))
    }

    /// One reminder in the page's words.
    static func item(_ reminder: ReminderRoutes.Reminder) -> Item {
        let (duty, since, days): (String, String, String) = switch reminder.duty {
        case "rectify": ("整改", "整改期限 \(reminder.since)", deadlineDays(reminder))
        case "follow-up": ("督促整改", "整改期限 \(reminder.since)", deadlineDays(reminder))
        case "verify": ("审核验收", "申请销号 \(reminder.since)", "已等待 \(reminder.days) 天")
        case "escalate": ("升级问责", "整改期限 \(reminder.since)", "逾期 \(reminder.days) 天")
        case "supervise": ("交办", "上报 \(reminder.since)", "已上报 \(reminder.days) 天未交办")
        default: (reminder.duty, reminder.since, String(reminder.days))
        }
        return Item(duty: duty, hazardId: reminder.hazardId, href: "/hazards/" + reminder.hazardId.pathSegment, region: reminder.region,
                    industry: IndustryNames.text(reminder.industry, .zh), leadDepartment: reminder.leadDepartment ?? "—",
                    status: HazardStatus(rawValue: reminder.status)?.text(.zh) ?? reminder.status, since: since, days: days,
                    overdue: reminder.overdue, levelDue: reminder.levelDue.flatMap(EscalationLevel.init(rawValue:))?.text(.zh))
    }

    private static func deadlineDays(_ reminder: ReminderRoutes.Reminder) -> String {
        reminder.overdue ? "逾期 \(reminder.days) 天" : (reminder.days == 0 ? "今日到期" : "剩 \(-reminder.days) 天")
    }
}
