import Synchronization

/// A clock a test moves: what sessions and the login throttle measure time by in tests.
final class TestClock: Sendable {
    private let start = ContinuousClock.now
    private let elapsed = Mutex(Duration.zero)
    var now: ContinuousClock.Instant { start + passed }
    var passed: Duration { elapsed.withLock { $0 } }
    func advance(_ duration: Duration) { elapsed.withLock { $0 += duration } }
}
