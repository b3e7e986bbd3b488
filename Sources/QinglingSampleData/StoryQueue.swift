import QinglingEvents

/// The stories under way, as a binary min-heap on the moment of each story's next step (ties
/// broken by the order stories began). Only stories with steps left are held, so its size is
/// the number of stories in progress — bounded by the arrival rate, not by the total. The heap
/// holds plain keys; the stories sit in reusable slots.
struct StoryQueue {
    struct Story {
        let serial: Int
        let steps: [TimedStep]
        var cursor = 0
    }

    private struct Entry {
        var time: Int64
        let serial: Int
        let slot: Int

        func precedes(_ other: Entry) -> Bool { time < other.time || (time == other.time && serial < other.serial) }
    }

    private var heap: [Entry] = []
    /// The steps and next-step cursor of the story in each slot (empty when the slot is free).
    private var steps: [[TimedStep]] = []
    private var cursors: [Int] = []
    private var freeSlots: [Int] = []

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }

    /// The moment of the earliest pending step.
    var earliest: ShanghaiDateTime? { heap.first.map { ShanghaiDateTime(microseconds: $0.time) } }

    mutating func push(_ story: Story) {
        guard story.cursor < story.steps.count else { return }
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            steps[slot] = story.steps
            cursors[slot] = story.cursor
        } else {
            slot = steps.count
            steps.append(story.steps)
            cursors.append(story.cursor)
        }
        heap.append(Entry(time: story.steps[story.cursor].time.microseconds, serial: story.serial, slot: slot))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest pending step; its story stays if it has more.
    mutating func popStep() -> TimedStep? {
        guard let slot = heap.first?.slot else { return nil }
        let cursor = cursors[slot]
        let step = steps[slot][cursor]
        if cursor + 1 < steps[slot].count {
            cursors[slot] = cursor + 1
            heap[0].time = steps[slot][cursor + 1].time.microseconds
        } else {
            steps[slot] = []
            freeSlots.append(slot)
            let last = heap.removeLast()
            guard !heap.isEmpty else { return step }
            heap[0] = last
        }
        siftDown()
        return step
    }

    private mutating func siftDown() {
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { return }
            var first = left
            if left + 1 < heap.count, heap[left + 1].precedes(heap[left]) { first = left + 1 }
            guard heap[first].precedes(heap[parent]) else { return }
            heap.swapAt(first, parent)
            parent = first
        }
    }
}
