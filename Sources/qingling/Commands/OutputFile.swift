import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import QinglingLog

/// Where a command writes its output: standard output, or the new file `--output FILE` names.
///
/// A file is never put over anything. A path already taken (a file, a directory, a link,
/// anything) is refused when the output is opened, before the command does its work, with exit
/// status 64 and nothing removed or replaced. The output goes to a temporary file beside it
/// (created exclusively, never through a link), which is synced and then given its name with
/// `link(2)`: that fails rather than replace anything that appeared meanwhile. The temporary
/// name is then removed and the directory synced. A command that ends without `finish()` (it
/// failed) leaves nothing behind.
final class OutputFile {
    private let target: Target
    private var buffer: [UInt8] = []
    /// The first write that failed; `finish()` reports it.
    private var failure: LogError?
    private var finished = false

    /// The help of every command's `--output FILE`.
    static let help = ArgumentHelp(
        "Write to this new file instead of standard output. A path already taken (a file, a directory) is refused with exit status 64: nothing is ever replaced.",
        valueName: "FILE")

    private enum Target {
        case standardOutput
        case file(path: String, temporary: String, descriptor: Int32)
    }

    /// Standard output when `path` is nil; otherwise a temporary file beside `path`, after
    /// checking that nothing is at `path`.
    init(path: String?) throws {
        guard let path else {
            target = .standardOutput
            return
        }
        try Self.refuseIfTaken(path)
        let (temporary, descriptor) = try Self.createTemporary(beside: path)
        target = .file(path: path, temporary: temporary, descriptor: descriptor)
    }

    /// Adds `text` to the output. A failure is kept and reported by `finish()`.
    func write(_ text: String) {
        write { $0.append(contentsOf: text.utf8) }
    }

    /// Adds what `fill` appends to the bytes it is given (the output's buffer, to be appended
    /// to only). A failure is kept and reported by `finish()`.
    func write(_ fill: (inout [UInt8]) -> Void) {
        fill(&buffer)
        if buffer.count >= 1 << 20 { flush() }
    }

    /// Writes what is buffered; for a file, syncs it and gives it its name.
    func finish() throws {
        flush()
        finished = true
        guard case let .file(path, temporary, descriptor) = target else {
            if let failure { throw ExitCodes.report(failure) }
            return
        }
        if failure == nil, fsync(descriptor) != 0 { failure = .io(operation: "fsync", path: temporary, errno: errno) }
        if Glibc.close(descriptor) != 0, failure == nil { failure = .io(operation: "close", path: temporary, errno: errno) }
        var linkError: Int32 = 0
        if failure == nil, link(temporary, path) != 0 { linkError = errno }
        unlink(temporary)
        if linkError == EEXIST { throw Self.refusal(path, what: (try? PosixFileSystem.entry(at: path)) ?? "something", appeared: true) }
        if linkError != 0 { failure = .io(operation: "link to \(path)", path: temporary, errno: linkError) }
        if failure == nil {
            do throws(LogError) { try PosixFileSystem().syncDirectory(Self.directory(of: path)) } catch { failure = error }
        }
        if let failure { throw ExitCodes.report(failure) }
    }

    /// A file left unfinished (the command failed) is removed.
    deinit {
        guard !finished, case let .file(_, temporary, descriptor) = target else { return }
        Glibc.close(descriptor)
        unlink(temporary)
    }

    private func flush() {
        defer { buffer.removeAll(keepingCapacity: true) }
        guard failure == nil, !buffer.isEmpty else { return }
        switch target {
        case .standardOutput:
            failure = Self.writeAll(buffer, to: STDOUT_FILENO, path: "standard output")
        case let .file(_, temporary, descriptor):
            failure = Self.writeAll(buffer, to: descriptor, path: temporary)
        }
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) -> LogError? {
        bytes.withUnsafeBytes { raw -> LogError? in
            guard let base = raw.baseAddress else { return nil }
            var offset = 0
            while offset < raw.count {
                let count = Glibc.write(descriptor, base + offset, raw.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    return .io(operation: "write", path: path, errno: errno)
                }
                offset += count
            }
            return nil
        }
    }

    // MARK: The path

    /// Exits 64 when anything is at `path`.
    private static func refuseIfTaken(_ path: String) throws {
        let occupant: String?
        do throws(LogError) { occupant = try PosixFileSystem.entry(at: path) } catch { throw ExitCodes.report(error) }
        if let occupant { throw refusal(path, what: occupant, appeared: false) }
    }

    private static func refusal(_ path: String, what: String, appeared: Bool) -> ExitCode {
        printError("qingling: --output \(path): " + Messages.say(
            zh: "那里已有\(Self.occupantChinese[what] ?? what)\(appeared ? "（在写输出时出现；输出已丢弃）" : "")；--output 只创建新文件，从不删除或替换任何东西：请先移走它，或给出一个尚不存在的文件路径",
            en: "\(what) is already there\(appeared ? " (it appeared while the output was written; the output was discarded)" : ""); "
                + "--output only creates a new file and never removes or replaces anything: move it away first, or give the path of a file that does not exist yet"))
        return ExitCodes.usage
    }

    /// The kinds of file `PosixFileSystem.entry(at:)` names, in Chinese.
    private static let occupantChinese = [
        "a regular file": "一个普通文件", "a symbolic link": "一个符号链接", "a directory": "一个目录", "a FIFO": "一个命名管道",
        "a socket": "一个套接字", "a device": "一个设备文件", "a file of an unknown kind": "一个未知类型的文件",
    ]

    // MARK: The temporary file

    private static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Creates `DIR/.NAME.<random>.tmp` beside `path`, exclusively and not through a link.
    private static func createTemporary(beside path: String) throws -> (String, Int32) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let prefix = directory(of: path) + "/." + name + "."
        var code: Int32 = EEXIST
        var temporary = ""
        for _ in 0..<16 where code == EEXIST {
            temporary = prefix + String(UInt64.random(in: 0 ... .max), radix: 36) + ".tmp"
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            if descriptor >= 0 { return (temporary, descriptor) }
            code = errno
        }
        throw ExitCodes.report(LogError.io(operation: "create", path: temporary, errno: code))
    }
}
