import Foundation
import QinglingLog
@testable import QinglingProjections
import Testing

/// The checkpoint's file writer: the pieces in order, whatever was in the file before gone, and
/// a failure thrown naming the file.
@Suite struct MappedFileWriterTests {
    private func scratch() throws -> String {
        let directory = NSTemporaryDirectory() + "qingling-mapped-writer-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func writesThePiecesInOrderOverALongerFile() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/file"
        try Data(repeating: 0xEE, count: 1 << 20).write(to: URL(fileURLWithPath: path))
        // Pieces of different sizes, an empty one among them, the largest not first.
        let pieces: [[UInt8]] = [[1, 2, 3], [], (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }, [9], Array(repeating: 5, count: 70_000)]
        try MappedFileWriter.write(pieces, to: path)
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) == Array(pieces.joined()))
    }

    @Test func nothingToWriteLeavesAnEmptyFile() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/file"
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
        try MappedFileWriter.write([[], []], to: path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).isEmpty)
    }

    @Test func aFileThatCannotBeCreatedIsAnErrorNamingIt() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/missing/file"
        #expect {
            try MappedFileWriter.write([[1]], to: path)
        } throws: { error in
            guard case let LogError.io(operation, failedPath, code) = error else { return false }
            return operation == "open" && failedPath == path && code == ENOENT
        }
    }
}
