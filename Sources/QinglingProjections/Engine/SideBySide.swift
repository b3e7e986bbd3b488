import Dispatch
import Foundation

/// Work over a run of items split into contiguous parts computed side by side on every
/// processor, the parts' results handed back in order (the clearance statistics use it).
enum SideBySide {
    /// `body` of each of `parts` contiguous ranges that cover `0..<count` (at least one, none
    /// empty unless `count` is 0), run concurrently; their results in the ranges' order.
    static func map<T>(_ count: Int, parts: Int, _ body: @Sendable (Range<Int>) -> T) -> [T] {
        let parts = max(1, min(parts, count))
        let slots = (0..<parts).map { _ in Slot<T>() }
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            slots[part].value = body(count * part / parts..<count * (part + 1) / parts)
        }
        return slots.compactMap(\.value)  // every one set: `concurrentPerform` returns after all
    }

    /// The parts to split a query over `count` hazards into: one below
    /// `EngineTuning.queryPartMinimum` (the threads would cost more than they save), else one
    /// per processor, at most `EngineTuning.maxQueryParts`.
    static func parts(forHazards count: Int) -> Int {
        count < EngineTuning.queryPartMinimum ? 1 : min(ProcessInfo.processInfo.activeProcessorCount, EngineTuning.maxQueryParts)
    }
}

/// A part's result, set by its thread and read after all have finished.
private final class Slot<T>: @unchecked Sendable {
    var value: T?
}
