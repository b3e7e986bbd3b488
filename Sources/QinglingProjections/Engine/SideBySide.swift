import Dispatch
import Foundation

/// Work over a run of items split into contiguous parts computed side by side on every
/// processor, the parts' results handed back in order (the queries use it, and the reports
/// for the rows of a large answer).
package enum SideBySide {
    /// `body` of each of `parts` contiguous ranges that cover `0..<count` (at least one, none
    /// empty unless `count` is 0), run concurrently; their results in the ranges' order.
    package static func map<T>(_ count: Int, parts: Int, _ body: @Sendable (Range<Int>) -> T) -> [T] {
        let parts = max(1, min(parts, count))
        let slots = (0..<parts).map { _ in Slot<T>() }
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            slots[part].value = body(count * part / parts..<count * (part + 1) / parts)
        }
        return slots.compactMap(\.value)  // every one set: `concurrentPerform` returns after all
    }

    /// The parts to split work over `count` items (hazards, a report's rows) into: one below
    /// `EngineTuning.queryPartMinimum` (the threads would cost more than they save), else one
    /// per processor, at most `EngineTuning.maxQueryParts`.
    package static func parts(for count: Int) -> Int {
        count < EngineTuning.queryPartMinimum ? 1 : min(ProcessInfo.processInfo.activeProcessorCount, EngineTuning.maxQueryParts)
    }
}

/// A part's result, set by its thread and read after all have finished.
private final class Slot<T>: @unchecked Sendable {
    var value: T?
}
