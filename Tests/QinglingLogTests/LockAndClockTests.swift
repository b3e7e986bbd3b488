import Foundation
import Testing
@testable import QinglingLog

@Suite struct LockAndClockTests {
    @Test func aSecondWriterInTheSameProcessIsRefused() throws {
        let directory = TemporaryDirectory()
        let (options, _) = simulatedOptions()
        let writer = try LogWriter(directory: directory.path, options: options)
        #expect(throws: LogError.locked(directory: directory.path, holderPID: getpid())) {
            try LogWriter(directory: directory.path, options: options)
        }
        try writer.close()
        let again = try LogWriter(directory: directory.path, options: options)
        try again.close()
    }

    @Test func aWriterInAnotherProcessIsNamedWithItsPID() throws {
        let directory = TemporaryDirectory()
        let (options, _) = simulatedOptions()
        try LogWriter(directory: directory.path, options: options).close()
        // Another process takes the lock the way the writer does: flock on LOCK, pid inside.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", "-c", """
            import fcntl, os, sys
            f = open(sys.argv[1], "r+")
            fcntl.flock(f, fcntl.LOCK_EX)
            f.truncate(0); f.write(str(os.getpid()) + "\\n"); f.flush()
            print("locked", flush=True)
            sys.stdin.read()  # holds the lock until the test closes our standard input
            """, directory.child("LOCK")]
        let output = Pipe()
        let input = Pipe()
        holder.standardOutput = output
        holder.standardInput = input
        try holder.run()
        defer {
            try? input.fileHandleForWriting.close()
            holder.waitUntilExit()
        }
        _ = output.fileHandleForReading.availableData  // waits for "locked"
        #expect(throws: LogError.locked(directory: directory.path, holderPID: holder.processIdentifier)) {
            try LogWriter(directory: directory.path, options: options)
        }
        // Readers need no lock.
        #expect(try LogReader(directory: directory.path).readAll().isEmpty)
    }

    @Test func aLogRemembersItWasCreatedWithASimulatedClock() throws {
        let directory = TemporaryDirectory()
        let (options, _) = simulatedOptions()
        try LogWriter(directory: directory.path, options: options).close()
        #expect(try LogMetadata.read(directory: directory.path).clock == .simulated)
        #expect(throws: LogError.self) { try LogWriter(directory: directory.path, options: LogOptions()) }
        let real = TemporaryDirectory()
        let writer = try LogWriter(directory: real.path, options: LogOptions())
        #expect(writer.metadata.clock == .system)
        try writer.close()
        #expect(throws: LogError.self) { try LogWriter(directory: real.path, options: options) }
    }

    @Test func aNonEmptyDirectoryWithoutALogIsNotTakenOver() throws {
        let directory = TemporaryDirectory()
        RawFile.write(directory.child("notes.txt"), Array("keep me".utf8))
        #expect(throws: LogError.self) { try LogWriter(directory: directory.path, options: LogOptions()) }
        #expect(throws: LogError.self) { try LogReader(directory: directory.path) }
        #expect(RawFile.files(in: directory.path) == ["notes.txt"])
    }
}
