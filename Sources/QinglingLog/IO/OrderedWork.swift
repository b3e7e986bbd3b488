import Dispatch
import Synchronization

/// Pieces of work done on worker threads, their results taken back on the submitting thread in
/// the order the pieces were submitted: what spreads an export's JSON writing and an append's
/// JSON reading over the processors while their I/O and checks stay in order on one thread.
///
/// Not itself shared between threads: one thread submits and takes. A piece still running when
/// its `OrderedWork` is let go runs to its end and its result is dropped: pieces do no more than
/// compute their results.
public final class OrderedWork<Output: Sendable> {
    private let workers: DispatchQueue
    private var pending: [Pending] = []
    /// How many pieces may be pending (submitted and not taken, running or done) before
    /// `takeReady` waits for the oldest: a caller that calls it after every `submit` holds at
    /// most `ahead` + 1.
    private let ahead: Int

    /// Work on a concurrent queue labelled `label`; `takeReady` waits beyond `ahead` pending.
    public init(label: String, ahead: Int) {
        workers = DispatchQueue(label: label, qos: .userInitiated, attributes: .concurrent)
        self.ahead = max(1, ahead)
    }

    /// Starts `work` on a worker thread.
    public func submit(_ work: @escaping @Sendable () -> Output) {
        let piece = Pending()
        pending.append(piece)
        workers.async { piece.finish(work()) }
    }

    /// The oldest piece's result if it is done; when more than `ahead` pieces are pending, the
    /// oldest one's result after waiting for it; otherwise (or when none is pending) `nil`.
    public func takeReady() -> Output? {
        guard let oldest = pending.first, pending.count > ahead || oldest.isDone else { return nil }
        return take()
    }

    /// The oldest piece's result, waiting for it; `nil` when none is pending.
    public func take() -> Output? {
        guard !pending.isEmpty else { return nil }
        return pending.removeFirst().result()
    }

    /// One piece of work: its result once done.
    private final class Pending: @unchecked Sendable {
        private var output: Output?
        private let done = DispatchSemaphore(value: 0)
        private let doneFlag = Atomic<Bool>(false)

        /// Whether the result is there (without waiting).
        var isDone: Bool { doneFlag.load(ordering: .acquiring) }

        /// Called once, on the worker thread.
        func finish(_ result: Output) {
            output = result
            doneFlag.store(true, ordering: .releasing)
            done.signal()
        }

        /// Waits for the result. Called once, on the submitting thread.
        func result() -> Output {
            done.wait()
            guard let output else { preconditionFailure("OrderedWork: a piece signalled done without its result") }
            return output
        }
    }
}
