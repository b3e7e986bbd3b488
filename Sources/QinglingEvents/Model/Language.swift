/// The language of what the program says to a person: labels, findings, messages.
/// Chinese is the default everywhere; English is for readers outside the county.
public enum Language: String, CaseIterable, Sendable {
    case zh, en

    /// The text in this language.
    public func pick(zh: String, en: String) -> String { self == .zh ? zh : en }
}
