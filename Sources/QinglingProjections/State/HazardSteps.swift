import CPrefetch
import QinglingEvents

extension HazardTimeline {
    /// A hazard's steps after its report, in log order. The first five are kept inside the
    /// hazard's own entry of `ProjectionState.hazards`, the rest in an array of their own: five
    /// steps are an ordinary life (supervised, rectified, verified, closed, and an extension or
    /// an escalation), and four hazards in five of the generated county logs have no more. So
    /// folding a step touches the hazard's entry only, in the huge pages of the state's table,
    /// and most hazards cost no allocation of their own.
    public struct Steps: RandomAccessCollection, Sendable {
        /// How many steps are kept inside the entry.
        public static let inlineCapacity = 5
        // In this order the steps leave no padding: the array's reference (8-byte aligned)
        // first, the five steps (4-byte aligned) after it, and the count last, so that the
        // entry's next field can take the padding after it.
        /// The steps after the fifth.
        private var overflow: [Step] = []
        private var first: Step = Steps.unused
        private var second: Step = Steps.unused
        private var third: Step = Steps.unused
        private var fourth: Step = Steps.unused
        private var fifth: Step = Steps.unused
        private var inlineCount: UInt8 = 0

        /// What an inline place holds until a step is put there; never read as a step.
        private static let unused = Step(kind: .reported, on: CalendarDate(daysSinceEpoch: 0), recordedAt: 0)

        public init() {}

        public var startIndex: Int { 0 }
        public var endIndex: Int { Int(inlineCount) + overflow.count }

        public subscript(position: Int) -> Step {
            precondition(position >= 0 && position < endIndex, "step \(position) of \(endIndex)")
            switch position {
            case 0: return first
            case 1: return second
            case 2: return third
            case 3: return fourth
            case 4: return fifth
            default: return overflow[position - Self.inlineCapacity]
            }
        }

        /// Adds `step` after the others.
        public mutating func append(_ step: Step) {
            switch inlineCount {
            case 0: first = step
            case 1: second = step
            case 2: third = step
            case 3: fourth = step
            case 4: fifth = step
            default: return overflow.append(step)
            }
            inlineCount += 1
        }

        /// Starts bringing into the cache the count of the steps at `steps` (inside a hazard's
        /// entry): the first stage of prefetching where the next step goes (`prefetchNext`).
        static func prefetchCount(at steps: UnsafeRawPointer) {
            qingling_prefetch(steps + inlineCountOffset)
        }

        /// Starts bringing into the cache where the next step of the steps at `steps` (inside a
        /// hazard's entry, whose count is already in the cache: `prefetchCount`) goes: its place
        /// in the entry, or the array outside it. Reads the array's address as bits: taking the
        /// array itself would retain it, a write to the cold line the prefetch is for. (A wrong
        /// address would only make the hint useless: a prefetch never faults.)
        static func prefetchNext(at steps: UnsafeRawPointer) {
            let count = Int(steps.load(fromByteOffset: inlineCountOffset, as: UInt8.self))
            guard count == inlineCapacity else {
                return qingling_prefetch(steps + firstOffset + count * MemoryLayout<Step>.stride)
            }
            let storage = steps.load(fromByteOffset: overflowOffset, as: UnsafeRawPointer?.self)
            qingling_prefetch(storage)
            qingling_prefetch(storage.map { $0 + 64 })
        }

        private static let inlineCountOffset = MemoryLayout<Steps>.offset(of: \.inlineCount) ?? 0
        private static let overflowOffset = MemoryLayout<Steps>.offset(of: \.overflow) ?? 0
        private static let firstOffset = MemoryLayout<Steps>.offset(of: \.first) ?? 0
    }
}

extension HazardTimeline.Steps: Equatable {
    /// Equal when they hold the same steps in the same order.
    public static func == (a: Self, b: Self) -> Bool { a.elementsEqual(b) }
}
