import Foundation

/// A child process running this program (one of the campaign's internal subcommands), whose
/// standard output is read line by line as it comes, so that the campaign can kill it with
/// SIGKILL at a moment that follows something it printed.
final class ChildProcess {
    private let process = Process()
    private let output = Pipe()
    private var pending: [UInt8] = []
    /// Every complete line the child has printed so far (read by `waitForLine` or `finish`).
    private(set) var lines: [String] = []
    private var unread = 0

    /// Starts this program with `arguments`; its standard error is discarded.
    init(_ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: Bundle.main.executablePath ?? CommandLine.arguments[0])
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// The next line starting with `prefix` that the child prints (waiting for it), or `nil`
    /// when its output ends first.
    func waitForLine(startingWith prefix: String) -> String? {
        while true {
            while unread < lines.count {
                let line = lines[unread]
                unread += 1
                if line.hasPrefix(prefix) { return line }
            }
            guard readMore() else { return nil }
        }
    }

    /// Waits `delay` microseconds, then kills the child with SIGKILL if it is still running.
    func kill(afterMicroseconds delay: Int) {
        usleep(useconds_t(delay))
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }

    /// Reads the rest of the child's output, waits for it to end, and returns every line it printed.
    func finish() -> [String] {
        while readMore() {}
        process.waitUntilExit()
        return lines
    }

    /// Reads what the child has printed (waiting for something); `false` at the end of its output.
    private func readMore() -> Bool {
        let data = output.fileHandleForReading.availableData
        guard !data.isEmpty else { return false }
        pending.append(contentsOf: data)
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            lines.append(String(decoding: pending[..<newline], as: UTF8.self))
            pending.removeSubrange(...newline)
        }
        return true
    }
}
