import Foundation
import Testing
@testable import QinglingLog

/// The writer's lock file is only ever a regular file, never followed as a link, and not
/// inherited by child processes (docs/format.md §1.2).
@Suite struct LockFileTests {
    @Test(arguments: ["symbolic link", "dangling symbolic link", "directory", "FIFO"])
    func aLockFileThatIsNotARegularFileIsRefusedAndNotFollowed(kind: String) throws {
        let directory = TemporaryDirectory()
        let (options, _) = simulatedOptions()
        try LogWriter(directory: directory.path, options: options).close()
        let outside = TemporaryDirectory("outside")
        let victim = outside.child("victim.txt")
        RawFile.write(victim, Array("someone else's file".utf8))
        let lock = directory.child("LOCK")
        try FileManager.default.removeItem(atPath: lock)
        switch kind {
        case "symbolic link": try FileManager.default.createSymbolicLink(atPath: lock, withDestinationPath: victim)
        case "dangling symbolic link": try FileManager.default.createSymbolicLink(atPath: lock, withDestinationPath: outside.child("new.txt"))
        case "directory": try FileManager.default.createDirectory(atPath: lock, withIntermediateDirectories: false)
        default: #expect(mkfifo(lock, 0o644) == 0)
        }
        let what = kind == "dangling symbolic link" ? "symbolic link" : kind
        #expect {
            try LogWriter(directory: directory.path, options: options)
        } throws: { error in
            guard case let LogError.notALog(path, reason) = error else { return false }
            return path == directory.path && reason.hasPrefix("its LOCK is a \(what), not a regular file")
        }
        #expect(RawFile.read(victim) == Array("someone else's file".utf8), "the link's target is not written")
        #expect(RawFile.files(in: outside.path) == ["victim.txt"], "nothing is created where a link points")
    }

    /// A link planted where the writer creates a file (here the next segment's temporary
    /// name, at a roll) is refused, never followed: its target is not cut or written.
    @Test func aLinkPlantedWhereTheWriterCreatesAFileIsNotFollowed() throws {
        let directory = TemporaryDirectory()
        let (options, _) = simulatedOptions(segmentBytes: 4_096)
        let writer = try LogWriter(directory: directory.path, options: options)
        try writer.append(sampleRecords(5))
        let outside = TemporaryDirectory("outside")
        let victim = outside.child("victim.txt")
        RawFile.write(victim, Array("someone else's file".utf8))
        let next = SegmentName(year: 2024, baseSequence: 5)
        try FileManager.default.createSymbolicLink(atPath: LogLayout(directory: directory.path).segment(next) + LogLayout.temporarySuffix,
                                                   withDestinationPath: victim)
        #expect(throws: LogError.io(operation: "open", path: LogLayout(directory: directory.path).segment(next) + LogLayout.temporarySuffix, errno: ELOOP)) {
            try writer.append(sampleRecords(40, batch: 1))  // more than the segment has room for: a roll
        }
        #expect(RawFile.read(victim) == Array("someone else's file".utf8))
        // The link is gone with the refused roll; the next append rolls.
        try writer.append(sampleRecords(40, batch: 2))
        try writer.close()
        #expect(RawFile.read(victim) == Array("someone else's file".utf8))
        #expect(try LogReader(directory: directory.path).readAll().count == 45)
        #expect(try LogReader(directory: directory.path).verify().passed)
    }

    @Test func theLockIsNotInheritedByChildProcesses() throws {
        let directory = TemporaryDirectory()
        let writer = try LogWriter(directory: directory.path, options: simulatedOptions().0)
        defer { try? writer.close() }
        let lock = URL(fileURLWithPath: directory.child("LOCK")).resolvingSymlinksInPath().path
        var flags: [String] = []
        for name in RawFile.files(in: "/proc/self/fd") {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + name),
                  URL(fileURLWithPath: target).resolvingSymlinksInPath().path == lock,
                  let info = try? String(contentsOfFile: "/proc/self/fdinfo/" + name, encoding: .utf8),
                  let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags:") }) else { continue }
            flags.append(line.split(separator: "\t").last.map(String.init) ?? "")
        }
        #expect(flags.count == 1, "one descriptor holds LOCK: \(flags)")
        let closeOnExec = 0o2000000
        #expect(flags.allSatisfy { (Int($0, radix: 8) ?? 0) & closeOnExec != 0 }, "O_CLOEXEC: \(flags)")
    }
}
