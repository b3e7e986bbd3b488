/// Why a summary gives no total: each of its rows fits in 64 bits of fen, their sum does not
/// (only a crafted log comes near: 9.2 × 10^18 fen). An error of the query, not of an event:
/// every event folded in, and the rows are still there to read.
public struct SummaryTotalOverflow: Error, Equatable, Sendable, CustomStringConvertible {
    /// What the summary lists.
    public enum Listed: String, Equatable, Sendable {
        case penalties
        case rewards
    }

    public var listed: Listed
    /// The sum of the rows before the one that overflowed it.
    public var total: Int64
    /// The amount of the row that overflowed it.
    public var adding: Int64

    public var description: String {
        "the \(listed.rawValue) listed add up to more fen than can be counted (\(total) + \(adding))"
    }

    /// The sum of `amounts`, or the error naming `listed` when it overflows.
    static func sum(_ amounts: some Sequence<Int64>, of listed: Listed) throws(SummaryTotalOverflow) -> Int64 {
        var sum: Int64 = 0
        for amount in amounts {
            let (next, overflow) = sum.addingReportingOverflow(amount)
            guard !overflow else { throw SummaryTotalOverflow(listed: listed, total: sum, adding: amount) }
            sum = next
        }
        return sum
    }
}
