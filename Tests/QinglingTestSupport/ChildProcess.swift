import Foundation

/// A program the tests run: `posix_spawn` and `waitpid`, not Foundation's `Process`, whose
/// `waitUntilExit` waits on a run loop for word of the child's end and was seen to wait forever
/// for a child long gone when many tests ran programs at once. (swift-subprocess, mirrored, is
/// async only: a synchronous test would have to block a cooperative thread on work that needs
/// one, which is what starved the service tests.)
public final class ChildProcess: @unchecked Sendable {
    /// Where one of the child's standard streams goes.
    public enum Stream {
        /// `/dev/null`.
        case null
        /// A file, read from (standard input) or created and written to.
        case file(String)
        /// A descriptor of this process (e.g. a pipe's end), duplicated onto the stream.
        case descriptor(Int32)
    }

    /// What a program that ran to its end left.
    public struct Finished: Sendable {
        /// Its exit status, or 128 plus the number of the signal that ended it (as a shell says).
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    public let pid: pid_t
    private let lock = NSLock()
    private var ended: Int32?
    /// Held while a pipe is made and while a child is spawned: a pipe's ends are marked
    /// close-on-exec before any child of these tests can inherit them.
    private static let spawning = NSLock()

    /// Starts `program` (a path) with `arguments`; `environment` replaces this process's when given.
    public init(_ program: String, _ arguments: [String], environment: [String: String]? = nil,
                standardInput: Stream = .null, standardOutput: Stream = .null, standardError: Stream = .null) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (descriptor, stream) in [(Int32(0), standardInput), (1, standardOutput), (2, standardError)] {
            switch stream {
            case .null: posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
            case .file(let path): posix_spawn_file_actions_addopen(&actions, descriptor, path, descriptor == 0 ? O_RDONLY : O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            case .descriptor(let source): posix_spawn_file_actions_adddup2(&actions, source, descriptor)
            }
        }
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let variables = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in variables { free(pointer) } }
        var pid: pid_t = 0
        Self.spawning.lock()
        let spawned = posix_spawn(&pid, program, &actions, nil, argv, variables)
        Self.spawning.unlock()
        guard spawned == 0 else { throw ChildProcessError(program: program, message: String(cString: strerror(spawned))) }
        self.pid = pid
    }

    /// Runs `program` to its end, its input from `input`, its output collected through files
    /// (no pipe to fill).
    public static func run(_ program: String, _ arguments: [String], environment: [String: String]? = nil, input: String? = nil) throws -> Finished {
        let base = NSTemporaryDirectory() + "qingling-child-\(UUID().uuidString)"
        defer { for suffix in [".in", ".out", ".err"] { try? FileManager.default.removeItem(atPath: base + suffix) } }
        guard FileManager.default.createFile(atPath: base + ".in", contents: Data((input ?? "").utf8)) else {
            throw ChildProcessError(program: program, message: "cannot write its input to \(base).in")
        }
        let child = try ChildProcess(program, arguments, environment: environment,
                                     standardInput: .file(base + ".in"), standardOutput: .file(base + ".out"), standardError: .file(base + ".err"))
        let status = child.wait()
        func text(_ suffix: String) -> String { String(decoding: FileManager.default.contents(atPath: base + suffix) ?? Data(), as: UTF8.self) }
        return Finished(status: status, stdout: text(".out"), stderr: text(".err"))
    }

    /// A pipe whose ends close on exec, so that no child but the one it is given to holds them.
    public static func pipe() throws -> (read: Int32, write: Int32) {
        var ends: [Int32] = [0, 0]
        spawning.lock()
        defer { spawning.unlock() }
        guard Glibc.pipe(&ends) == 0, fcntl(ends[0], F_SETFD, FD_CLOEXEC) == 0, fcntl(ends[1], F_SETFD, FD_CLOEXEC) == 0 else {
            throw ChildProcessError(program: "pipe", message: String(cString: strerror(errno)))
        }
        return (ends[0], ends[1])
    }

    /// Waits for the child's end; its exit status, or 128 plus the signal that ended it.
    /// (`-1` if the child could not be waited for: nobody else reaps these children.)
    @discardableResult
    public func wait() -> Int32 {
        if let status = lock.withLock({ ended }) { return status }
        var status: Int32 = 0
        var result: pid_t
        repeat { result = waitpid(pid, &status, 0) } while result < 0 && errno == EINTR
        return lock.withLock {
            // `isRunning` may have reaped it meanwhile, and kept its status.
            if ended == nil { ended = result == pid ? Self.decode(status) : -1 }
            return ended ?? -1
        }
    }

    /// Whether the child still runs (if it has ended, its status is kept for `wait`).
    public var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        if ended != nil { return false }
        var status: Int32 = 0
        switch waitpid(pid, &status, WNOHANG) {
        case 0: return true
        case pid: ended = Self.decode(status)
        default: ended = -1
        }
        return false
    }

    /// Sends `signal` to the child, unless it has already been waited for.
    public func send(_ signal: Int32) {
        lock.lock()
        defer { lock.unlock() }
        if ended == nil { kill(pid, signal) }
    }

    /// `WIFEXITED`/`WEXITSTATUS`/`WTERMSIG`, which Swift does not import.
    private static func decode(_ status: Int32) -> Int32 {
        status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + status & 0x7F
    }
}

/// A program could not be started.
public struct ChildProcessError: Error, CustomStringConvertible {
    public let program: String
    public let message: String
    public var description: String { "cannot run \(program): \(message)" }
}
