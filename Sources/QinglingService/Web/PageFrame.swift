import Foundation
import QinglingAccounts

/// What the frame of every page shows: the title, who is signed in (person, organisation,
/// role, in Chinese), the pages the role may use, and the session's CSRF token for the logout
/// form. The templates read its fields by name (`top.mustache`).
struct PageFrame {
    struct Who {
        var person: String
        var personId: String
        var organization: String
        var role: String
        var csrfToken: String
    }

    struct Link {
        var href: String
        var label: String
        var current: Bool
    }

    var title: String
    var who: Who?
    var links: [Link]

    /// The frame of a page titled `title` for `signedIn` (nobody: the login page), `current`
    /// the address of the page shown.
    init(title: String, signedIn: SignedIn?, current: String = "") {
        self.title = title
        guard let signedIn else {
            who = nil
            links = []
            return
        }
        let account = signedIn.account
        who = Who(person: account.person.name, personId: account.person.id, organization: account.organization.name,
                  role: account.role.chineseName, csrfToken: signedIn.csrfToken)
        var links: [Link] = []
        if account.role.hasDuties { links.append(Link(href: "/reminders", label: "待办", current: current == "/reminders")) }
        links.append(Link(href: "/hazards", label: "隐患台账", current: current == "/hazards"))
        links.append(Link(href: "/find", label: "查阅隐患档案", current: current == "/find"))
        if account.role.writes { links.append(Link(href: "/report", label: "排查上报", current: current == "/report")) }
        if account.role == .department || account.role == .committee {
            links.append(Link(href: "/tip-off", label: "举报受理", current: current == "/tip-off"))
            links.append(Link(href: "/reward", label: "举报奖励", current: current == "/reward"))
        }
        if account.role.seesDashboard { links.append(Link(href: "/dashboard", label: "大屏", current: current == "/dashboard")) }
        if account.role.seesFigures { links.append(Link(href: "/analysis/stats", label: "统计分析", current: current == "/analysis")) }
        self.links = links
    }
}

extension Role {
    /// The role's name on the pages.
    var chineseName: String {
        switch self {
        case .enterprise: "生产经营单位"
        case .town: "属地镇（街道）"
        case .department: "行业主管部门"
        case .committee: "安委办"
        case .analyst: "分析人员"
        case .archivist: "档案管理人员"
        }
    }

    /// Whether the role may open the dashboard (大屏): the county's figures.
    var seesDashboard: Bool { self == .committee || self == .department || self == .analyst }

    /// Whether the role sees some of the analysts' figures (a town: its region's).
    var seesFigures: Bool { self != .enterprise && self != .archivist }

    /// Whether the role's organisation has reminders (`GET /reminders`).
    var hasDuties: Bool { writes }
}

extension String {
    /// The text as one segment of a URL path (a hazard id in `/hazards/{id}`): every byte but
    /// ASCII letters, digits and `-._~` percent-encoded.
    var pathSegment: String {
        addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? ""
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
