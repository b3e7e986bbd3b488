import Foundation
import Testing
@testable import QinglingLog

/// Creating a log: a creation that fails leaves nothing behind (docs/format.md §1.1).
@Suite struct LogCreationTests {
    private static let ENOSPC: Int32 = 28

    /// Where the log is created: a directory that does not exist (nor does its parent), an empty
    /// one, or one holding a `LOCK` left by an earlier failed creation (which stays, holding the
    /// pid of the last process that took it, as any lock file does).
    enum Place: CaseIterable { case missingWithParent, empty, withLock }

    static let faults: [FaultInjectingFileSystem.Fault] = [
        .write(errno: ENOSPC, prefix: 0), .write(errno: ENOSPC, prefix: 5), .sync(errno: ENOSPC),
    ]

    @Test(arguments: Place.allCases, faults)
    func aCreationThatRunsOutOfSpaceLeavesNothingBehind(place: Place, fault: FaultInjectingFileSystem.Fault) throws {
        let root = TemporaryDirectory()
        let directory = place == .missingWithParent ? root.child("county/log") : root.child("log")
        if place != .missingWithParent { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        if place == .withLock { RawFile.write(directory + "/LOCK", Array("4242\n".utf8)) }
        let before = RawFile.files(in: root.path)
        let inside = RawFile.files(in: directory)

        let fileSystem = FaultInjectingFileSystem(pathFilter: LogMetadata.fileName)
        fileSystem.inject(fault)
        let (options, _) = simulatedOptions(fileSystem: fileSystem)
        #expect(throws: LogError.self) { try LogWriter(directory: directory, options: options) }

        #expect(RawFile.files(in: root.path) == before, "the directories the opening made are removed")
        if place != .missingWithParent {
            #expect(RawFile.files(in: directory) == inside, "the directory is as it was: \(RawFile.files(in: directory))")
        }

        // Space again: the log is created as if nothing had happened.
        let writer = try LogWriter(directory: directory, options: simulatedOptions().0)
        try writer.append(sampleRecords(1))
        try writer.close()
        #expect(try LogReader(directory: directory).readAll().count == 1)
    }

    @Test func aFailedOpeningOfAnExistingLogRemovesNothing() throws {
        let directory = TemporaryDirectory()
        try LogWriter(directory: directory.path, options: simulatedOptions().0).close()
        let files = RawFile.files(in: directory.path)
        // The log.meta is there: a writer with the other clock is refused, and nothing is taken away.
        #expect(throws: LogError.self) { try LogWriter(directory: directory.path, options: LogOptions()) }
        #expect(RawFile.files(in: directory.path) == files)
    }
}
