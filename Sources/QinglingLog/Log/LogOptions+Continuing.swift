/// The system's time, for a log created on the simulated clock (the demo's) that a service goes
/// on writing: what is appended from then on is recorded at the real time it is appended, and
/// the log's metadata keeps saying the log is simulated. The writer still never records a time
/// earlier than one it recorded before.
public struct SimulatedLogSystemTime: LogClock {
    public init() {}
    public var kind: ClockKind { .simulated }
    public func now() -> Int64 { SystemClock().now() }
}

extension LogOptions {
    /// Options to go on writing the log in `directory` with the clock kind its `log.meta` names:
    /// the system clock for a production log, or a directory that holds no log yet (it is
    /// created on that clock); `SimulatedLogSystemTime` for a log created on the simulated clock.
    public static func continuing(_ directory: String, fileSystem: any FileSystem = PosixFileSystem()) throws(LogError) -> LogOptions {
        let metadata: LogMetadata
        do throws(LogError) {
            metadata = try LogMetadata.read(directory: directory, fileSystem: fileSystem)
        } catch {
            guard case .notALog = error else { throw error }
            return LogOptions(fileSystem: fileSystem)
        }
        switch metadata.clock {
        case .system: return LogOptions(fileSystem: fileSystem, clock: SystemClock())
        case .simulated: return LogOptions(fileSystem: fileSystem, clock: SimulatedLogSystemTime())
        }
    }
}
