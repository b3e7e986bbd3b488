/// What `form.mustache` shows: a step's or a report's form, with the values typed and the
/// refusals next to their fields or at the top.
struct FormView {
    var page: PageFrame
    var heading: String
    /// The hazard the step is about and its file's address; `nil` for a report.
    var hazardId: String?
    var hazardHref: String?
    /// Where the form posts.
    var action: String
    var csrfToken: String
    var messages: [String]
    var hasMessages: Bool
    /// Values fixed for the caller (its enterprise, its region), shown, not asked.
    var fixed: [HazardPage.Fact]
    var hasFixed: Bool
    var fields: [FieldView]
    /// Whether the form takes evidence files (`multipart/form-data`, field `files`, with a caption).
    var acceptsFiles: Bool
    var caption: String

    init(page: PageFrame, heading: String, hazardId: String?, action: String, csrfToken: String, messages: [String],
         fixed: [HazardPage.Fact] = [], fields: [FormField], values: [String: String], errors: [String: String], acceptsFiles: Bool = false) {
        self.acceptsFiles = acceptsFiles
        caption = values["caption"] ?? ""
        self.page = page
        self.heading = heading
        self.hazardId = hazardId
        hazardHref = hazardId.map { "/hazards/" + $0.pathSegment }
        self.action = action
        self.csrfToken = csrfToken
        self.messages = messages
        hasMessages = !messages.isEmpty || !errors.isEmpty
        if messages.isEmpty && !errors.isEmpty { self.messages = ["表单有误，请按提示修改后再提交；未写入任何内容。"] }
        self.fixed = fixed
        hasFixed = !fixed.isEmpty
        self.fields = fields.map { FieldView($0, value: values[$0.name] ?? "", error: errors[$0.name]) }
    }

    /// The values posted in `form` for `fields`, to show again.
    static func typed(_ form: FormBody, _ fields: [FormField]) -> [String: String] {
        var values: [String: String] = [:]
        for field in fields { values[field.name] = form[field.name] ?? "" }
        values["caption"] = form["caption"] ?? ""
        return values
    }
}
