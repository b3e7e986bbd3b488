import QinglingEvents

extension EventBody {
    /// The event with `attachments` added to its own: for the four types that carry them
    /// (reports, rectifications, verifications, penalties); any other unchanged.
    func adding(_ attachments: [Attachment]) -> EventBody {
        guard !attachments.isEmpty else { return self }
        switch self {
        case .hazardReported(var e): e.attachments += attachments; return .hazardReported(e)
        case .hazardRectified(var e): e.attachments += attachments; return .hazardRectified(e)
        case .hazardVerified(var e): e.attachments += attachments; return .hazardVerified(e)
        case .penaltyImposed(var e): e.attachments += attachments; return .penaltyImposed(e)
        default: return self
        }
    }

    /// Whether events of this type carry evidence files (their forms take files).
    static func carriesAttachments(_ type: EventType) -> Bool {
        [.hazardReported, .hazardRectified, .hazardVerified, .penaltyImposed].contains(type)
    }
}
