/// One thing the audit log keeps: who signed in or failed to, who changed which account, and who
/// read tip-off details. Never a password, a token, a person's details or what a tip-off says:
/// logins, organisation ids and tip-off ids only.
public struct AuditEntry: Codable, Sendable, Equatable {
    /// What happened.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case signedIn = "signed-in"
        case signInFailed = "sign-in-failed"
        case signedOut = "signed-out"
        case accountAdded = "account-added"
        case accountDisabled = "account-disabled"
        case passwordChanged = "password-changed"
        /// Tip-off details were read through the service (`GET /tipoffs/{id}`, `GET /rewards`):
        /// `subject` the tip-off, when one was read; `detail` the route.
        case tipOffRead = "tip-off-read"
        /// A tip-off reporter's sealed identity was revealed (`qingling tipoff reveal`, `POST
        /// /tipoffs/{id}/reveal`): `subject` the tip-off, `detail` the reason given. Never the
        /// identity itself.
        case reporterRevealed = "reporter-revealed"
    }

    public var kind: Kind
    /// Who did it: an account's login, or `local:USER` for a command run on the machine by the
    /// operating-system user USER. For a failed sign-in, the login that was tried.
    public var by: String
    /// The account concerned, when it is not `by` (an account added, disabled or given a new
    /// password); the tip-off whose details were read.
    public var subject: String?
    /// The client's address, for what came through the service.
    public var address: String?
    /// What else identifies the change (an added account's role and organisation id), or the
    /// read (the route and its parameters).
    public var detail: String?

    public init(_ kind: Kind, by: String, subject: String? = nil, address: String? = nil, detail: String? = nil) {
        self.kind = kind
        self.by = Self.bounded(by)
        self.subject = subject.map(Self.bounded)
        self.address = address.map(Self.bounded)
        self.detail = detail.map(Self.bounded)
    }

    /// At most 128 characters, control characters replaced: what a failed sign-in names is
    /// whatever a client sent.
    static func bounded(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.prefix(128).map { $0.properties.generalCategory == .control ? "\u{FFFD}" : $0 }))
    }
}

/// An entry as the audit log holds it: its place and the time the log recorded it.
public struct AuditRecord: Sendable, Equatable {
    public var sequence: UInt64
    /// µs since the Unix epoch, the log's clock.
    public var recordedAt: Int64
    public var entry: AuditEntry
}
