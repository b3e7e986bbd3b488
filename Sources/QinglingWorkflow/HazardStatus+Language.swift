import QinglingEvents

extension HazardStatus {
    /// The status's name in `lang`: `label` in Chinese.
    public func text(_ lang: Language) -> String {
        guard lang == .en else { return label }
        return switch self {
        case .reported: "reported"
        case .rectifying: "rectifying"
        case .awaitingVerification: "awaiting verification"
        case .verified: "verified"
        case .closed: "closed"
        case .withdrawn: "withdrawn"
        }
    }
}
