#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Where a log's recorded times come from.
public enum ClockKind: String, Sendable {
    /// The machine's real-time clock: the only clock of a production log.
    case system
    /// A clock set by the program, for tests and the demo; a log created with it says so for good.
    case simulated
}

/// The source of recorded times, in microseconds since 1970-01-01T00:00:00Z.
public protocol LogClock: Sendable {
    var kind: ClockKind { get }
    func now() -> Int64
}

/// The system's real-time clock.
public struct SystemClock: LogClock {
    public init() {}
    public var kind: ClockKind { .system }
    public func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1_000
    }
}

/// A clock that shows whatever time it was last set to.
public final class SimulatedClock: LogClock {
    private let time: Mutex<Int64>

    public init(microseconds: Int64) { time = Mutex(microseconds) }

    public var kind: ClockKind { .simulated }
    public func now() -> Int64 { time.withLock { $0 } }

    /// Sets the time. The log still never records a time earlier than one it recorded before.
    public func set(microseconds: Int64) { time.withLock { $0 = microseconds } }

    /// Moves the time forward.
    public func advance(microseconds: Int64) { time.withLock { $0 += microseconds } }
}
