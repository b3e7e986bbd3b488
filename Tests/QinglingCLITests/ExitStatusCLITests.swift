import Foundation
import QinglingEvents
import QinglingLog
import QinglingTestSupport
import Testing

/// The exit status says what happened (README, `qingling --help`): 3 for what the log's state
/// does not allow, 4 for what the system refused (with its errno), 5 for corruption or failed
/// verification only, 64 for a command line naming the wrong thing.
@Suite struct ExitStatusCLITests {
    /// A small log of a few 2024 events on the system clock.
    static func smallLog(_ scratch: Scratch) throws -> String {
        let log = scratch.child("log")
        let events = scratch.child("events.jsonl")
        #expect(try Qingling.run(["generate", "--hazards-per-year", "5", "--first-year", "2024", "--last-year", "2024", "--output", events]).status == 0)
        #expect(try Qingling.run(["append", "--log", log, events]).status == 0)
        return log
    }

    static let readingCommands: [[String]] = [["export"], ["status"], ["verify"], ["verify", "2024"], ["stats", "2024"], ["prove", "1"], ["head"]]

    @Test func aLogDirectoryThatCannotBeReadIsAnIOErrorWithItsErrno() throws {
        let scratch = Scratch()
        let file = scratch.child("a-file")
        try "not a directory".write(toFile: file, atomically: false, encoding: .utf8)
        for command in Self.readingCommands + [["append", file]] {
            let result = try Qingling.run(command + ["--log", file])
            #expect(result.status == 4, "\(command): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains("not a directory (errno 20)"), "\(command): \(result.stderr)")
        }

        // Permission denied, as a user who may not read the log (root ignores mode bits: the
        // binary then runs as nobody).
        let log = try Self.smallLog(scratch)
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: log)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: log) }
        for command in Self.readingCommands {
            let result = try Self.runAsUnprivilegedUser(command + ["--log", log])
            #expect(result.status == 4, "\(command): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains("permission denied (errno 13)"), "\(command): \(result.stderr)")
        }
    }

    @Test func aDirectoryThatIsNotALogIsAUsageError() throws {
        let scratch = Scratch()
        let empty = scratch.child("empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: false)
        for command in Self.readingCommands + [["keygen", "--private-key", scratch.child("signing.key")]] {
            let missing = try Qingling.run(command + ["--log", scratch.child("no-such-log")])
            #expect(missing.status == 64 && missing.stderr.contains("there is no such directory"), "\(command): \(missing.stderr)")
            let notALog = try Qingling.run(command + ["--log", empty])
            #expect(notALog.status == 64 && notALog.stderr.contains("it has no log.meta"), "\(command): \(notALog.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == ["empty"], "nothing was created")
    }

    @Test func whatIsNotSealedIsAStateErrorNotAFailedVerification() throws {
        let scratch = Scratch()
        let log = try Self.smallLog(scratch)
        let year = try Qingling.run(["verify", "2024", "--log", log])
        #expect(year.status == 3 && year.stderr.contains("2024 is not sealed (sealed years: none)"), "\(year.stderr)")
        let live = try Qingling.run(["prove", "1", "--log", log])
        #expect(live.status == 3 && live.stderr.contains("event 1 is not in a sealed year"), "\(live.stderr)")
        let beyond = try Qingling.run(["prove", "99999", "--log", log])
        #expect(beyond.status == 3 && beyond.stderr.contains("the log holds events 0–"), "\(beyond.stderr)")
        // The help says so.
        for command in ["verify", "prove"] {
            #expect(try Qingling.run([command, "--help"]).stdout.contains("3 when"), "\(command) --help")
        }

        let publicKey = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
        let unreadable = try Qingling.run(["verify-proof", scratch.child("no-proof.json"), "--public-key", publicKey])
        #expect(unreadable.status == 4 && unreadable.stderr.contains("no such file or directory (errno 2)"), "\(unreadable.stderr)")
    }

    @Test func aLockFileThatIsALinkIsNotFollowed() throws {
        let scratch = Scratch()
        let log = try Self.smallLog(scratch)
        let victim = scratch.child("victim.txt")
        try "someone else's file".write(toFile: victim, atomically: false, encoding: .utf8)
        try FileManager.default.removeItem(atPath: log + "/LOCK")
        try FileManager.default.createSymbolicLink(atPath: log + "/LOCK", withDestinationPath: victim)
        let events = scratch.child("events.jsonl")
        // (`status` too, as long as it opens the writer; it is to stop taking the lock.)
        for command in [["append", events], ["append", "--dry-run", events]] {
            let result = try Qingling.run(command + ["--log", log])
            #expect(result.status == 64 && result.stderr.contains("its LOCK is a symbolic link, not a regular file"), "\(command): \(result.stderr)")
            #expect(try String(contentsOfFile: victim, encoding: .utf8) == "someone else's file")
        }
    }

    /// A record that is not an event is corruption: the commands that read it name its sequence
    /// and what is wrong with it (here, its type tag), in either language.
    @Test func aRecordThatIsNotAnEventIsCorruptionNamingItAndWhy() throws {
        let scratch = Scratch()
        let log = try Self.smallLog(scratch)
        let writer = try LogWriter(directory: log)
        let sequence = try writer.append([Record(payload: [EventBinaryCodec.version, 0xEE])]).sequences.lowerBound
        try writer.close()
        #expect(EventDecodingError.unknownEventType(tag: 0xEE).reason == "unknown event type tag 238")
        for command in [["export"], ["stats", "2024"]] {
            let english = try Qingling.run(command + ["--log", log])
            #expect(english.status == 5, "\(command): \(english.stderr)")
            #expect(english.stderr.contains("record \(sequence) is not a valid event: unknown event type tag 238"), "\(command): \(english.stderr)")
            let chinese = try Qingling.run(command + ["--log", log], environment: ["QINGLING_LANG": ""])
            #expect(chinese.status == 5, "\(command): \(chinese.stderr)")
            #expect(chinese.stderr.contains("第 \(sequence) 条记录不是有效的事件：unknown event type tag 238"), "\(command): \(chinese.stderr)")
        }
    }

    /// Runs the binary as uid and gid 65534 when this process is root (whom mode bits do not
    /// stop), else as this user.
    static func runAsUnprivilegedUser(_ arguments: [String]) throws -> Qingling.Output {
        guard getuid() == 0 else { return try Qingling.run(arguments) }
        let finished = try ChildProcess.run("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", Qingling.binary] + arguments,
                                            environment: ProcessInfo.processInfo.environment.merging(["QINGLING_LANG": "en"]) { $1 })
        return Qingling.Output(status: finished.status, stdout: finished.stdout, stderr: finished.stderr)
    }
}
