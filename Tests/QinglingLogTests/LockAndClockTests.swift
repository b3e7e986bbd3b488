import Foundation
import QinglingTestSupport
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
        let output = try ChildProcess.pipe()
        let input = try ChildProcess.pipe()
        let holder = try ChildProcess("/usr/bin/env", ["python3", "-c", """
            import fcntl, os, sys
            f = open(sys.argv[1], "r+")
            fcntl.flock(f, fcntl.LOCK_EX)
            f.truncate(0); f.write(str(os.getpid()) + "\\n"); f.flush()
            print("locked", flush=True)
            sys.stdin.read()  # holds the lock until the test closes our standard input
            """, directory.child("LOCK")],
                                      standardInput: .descriptor(input.read), standardOutput: .descriptor(output.write))
        close(input.read)
        close(output.write)
        defer {
            close(input.write)
            holder.wait()
            close(output.read)
        }
        var locked = [UInt8](repeating: 0, count: 16)
        _ = read(output.read, &locked, locked.count)  // waits for "locked"
        #expect(throws: LogError.locked(directory: directory.path, holderPID: holder.pid)) {
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
