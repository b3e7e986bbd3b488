import Foundation
import Glibc
import QinglingLog
@testable import QinglingProjections
import Testing

/// The checkpoint's file writer: the pieces in order, through the mapping or one after another,
/// only into a file it creates, and a failure thrown naming the file; a checkpoint that cannot
/// be saved leaves no temporary file behind.
@Suite struct MappedFileWriterTests {
    private func scratch() throws -> String {
        let directory = NSTemporaryDirectory() + "qingling-mapped-writer-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    private func contents(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

    /// Pieces of different sizes, an empty one among them, the largest not first.
    private let pieces: [[UInt8]] = [[1, 2, 3], [], (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }, [9], Array(repeating: 5, count: 70_000)]

    @Test func writesThePiecesInOrder() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try MappedFileWriter.write(pieces, toNewFile: directory + "/file")
        #expect(try contents(directory + "/file") == Array(pieces.joined()))
    }

    @Test func writtenOneAfterAnotherTheFileIsTheSame() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/file"
        let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL, 0o644)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        try MappedFileWriter.writeInOrder(pieces, to: descriptor, path: path)
        #expect(try contents(path) == Array(pieces.joined()))
    }

    @Test func nothingToWriteLeavesAnEmptyFile() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try MappedFileWriter.write([[], []], toNewFile: directory + "/file")
        #expect(try contents(directory + "/file").isEmpty)
    }

    @Test func aFileOrLinkAlreadyThereIsNeitherWrittenNorFollowed() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: directory + "/file"))
        try FileManager.default.createSymbolicLink(atPath: directory + "/link", withDestinationPath: directory + "/elsewhere")
        for name in ["file", "link"] {
            #expect {
                try MappedFileWriter.write([[9, 9]], toNewFile: directory + "/" + name)
            } throws: { error in
                guard case let LogError.io(operation, path, code) = error else { return false }
                return operation == "open" && path == directory + "/" + name && code == EEXIST
            }
        }
        #expect(try contents(directory + "/file") == [1, 2, 3])
        #expect(!FileManager.default.fileExists(atPath: directory + "/elsewhere"))
    }

    @Test func aFileThatCannotBeCreatedIsAnErrorNamingIt() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/missing/file"
        #expect {
            try MappedFileWriter.write([[1]], toNewFile: path)
        } throws: { error in
            guard case let LogError.io(operation, failedPath, code) = error else { return false }
            return operation == "open" && failedPath == path && code == ENOENT
        }
    }

    @Test func aSaveRemovesTheTemporaryFilesOfSavesAbandonedLongAgo() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/state.qlproj"
        let files = FileManager.default
        // Left by saves killed an hour ago (this release's name and an older release's) and a
        // minute ago; files of other names, and a directory of a temporary file's name.
        let regular = ["state.qlproj.tmp-41-9f", "state.qlproj.tmp-40", "state.qlproj.tmp-42-a0", "state.qlproj.tmp-notes", "notes.txt"]
        for name in regular { try Data([1]).write(to: URL(fileURLWithPath: directory + "/" + name)) }
        try files.createDirectory(atPath: directory + "/state.qlproj.tmp-43-bb/inside", withIntermediateDirectories: true)
        let ages = ["state.qlproj.tmp-41-9f": 3_600.0, "state.qlproj.tmp-40": 3_600, "state.qlproj.tmp-42-a0": 60,
                    "state.qlproj.tmp-notes": 3_600, "notes.txt": 3_600, "state.qlproj.tmp-43-bb": 3_600]
        for (name, age) in ages {
            try files.setAttributes([.modificationDate: Date().addingTimeInterval(-age)], ofItemAtPath: directory + "/" + name)
        }
        var state = ProjectionState()
        for event in generatedHistory(seed: 3, hazardsPerYear: 5) { try state.apply(event) }
        #expect(ProjectionStore.write(state, to: path) == nil)
        #expect(Set(try files.contentsOfDirectory(atPath: directory))
            == ["state.qlproj", "state.qlproj.tmp-42-a0", "state.qlproj.tmp-notes", "notes.txt", "state.qlproj.tmp-43-bb"])
        #expect(files.fileExists(atPath: directory + "/state.qlproj.tmp-43-bb/inside"))
    }

    @Test func aCheckpointThatCannotBeSavedLeavesNoTemporaryFile() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // The checkpoint's place is taken by a directory with something in it: the rename fails.
        let path = directory + "/state.qlproj"
        try FileManager.default.createDirectory(atPath: path + "/inside", withIntermediateDirectories: true)
        var state = ProjectionState()
        for event in generatedHistory(seed: 3, hazardsPerYear: 5) { try state.apply(event) }
        let failure = ProjectionStore.write(state, to: path)
        #expect(failure?.contains(path) == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["state.qlproj"])
    }
}
