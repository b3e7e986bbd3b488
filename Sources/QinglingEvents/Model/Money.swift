/// Money as people read it. The ledger counts integer fen (分, never floating point); tables,
/// CSV and the wording of a trace show yuan (元) with two decimals; JSON keeps integer fen.
public enum Money {
    /// `1500.00` for 150000 fen, `-0.05` for -5.
    public static func yuan(_ fen: Int64) -> String {
        let sign = fen < 0 ? "-" : ""
        let magnitude = fen.magnitude
        let cents = magnitude % 100
        return "\(sign)\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents)"
    }
}
