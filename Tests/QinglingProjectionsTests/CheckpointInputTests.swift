import CFileSystemType
import Foundation
import Glibc
@testable import QinglingProjections
import QinglingTestSupport
import Testing

/// The checkpoint file read through its mapping or with `pread`: the same bytes, the same state
/// and the same damage either way, and a file another user's process could cut never mapped.
@Suite struct CheckpointInputTests {
    /// A checkpoint of a generated history, written to a fresh file with `permissions`.
    private final class CheckpointFile {
        let directory = NSTemporaryDirectory() + "qingling-checkpoint-input-\(UUID().uuidString)"
        var path: String { directory + "/state.qlproj" }
        let state: ProjectionState
        let bytes: [UInt8]

        init() throws {
            var state = ProjectionState()
            for event in generatedHistory(seed: 12, hazardsPerYear: 40) { try state.apply(event) }
            self.state = state
            bytes = ProjectionCheckpoint.encode(state)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }

        func write(_ bytes: [UInt8], permissions: mode_t) throws {
            try? FileManager.default.removeItem(atPath: path)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            #expect(chmod(path, permissions) == 0)
        }

        /// The state the file holds, read through `input`'s mapping when it has one.
        func state(of input: CheckpointInput) throws(CheckpointDamage) -> ProjectionState {
            try CheckpointLayout(size: input.size, read: input.read).state(parts: .all, read: input.read, mapped: input.mapped)
        }

        deinit { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// Whether the temporary directory is on a file system `CheckpointInput` maps from.
    private static let temporaryDirectoryIsLocal: Bool = {
        let descriptor = open(NSTemporaryDirectory(), O_RDONLY | O_DIRECTORY)
        defer { _ = close(descriptor) }
        return [0xEF53, 0x5846_5342, 0x9123_683E, 0x0102_1994].contains(qingling_file_system_type(descriptor))
    }()

    @Test(.enabled(if: temporaryDirectoryIsLocal)) func aFileOnlyItsUserMayWriteIsMappedAndGivesTheBytesReadGives() throws {
        let file = try CheckpointFile()
        try file.write(file.bytes, permissions: 0o644)
        let input = try #require(CheckpointInput(path: file.path))
        #expect(input.size == file.bytes.count)
        for range in [0..<0, 0..<1, 5..<4_099, 4_095..<4_097, 1_000..<file.bytes.count, 0..<file.bytes.count] {
            let mapped = try #require(input.mapped(range), "range \(range)")
            #expect(Array(mapped) == Array(file.bytes[range]))
            #expect(input.read(range).map(Array.init) == Array(file.bytes[range]))
        }
        #expect(input.mapped(0..<file.bytes.count + 1) == nil && input.read(0..<file.bytes.count + 1) == nil)
        #expect(try file.state(of: input) == file.state)
    }

    @Test func aFileItsGroupOrOthersMayWriteIsNeverMappedButRead() throws {
        let file = try CheckpointFile()
        for permissions: mode_t in [0o664, 0o646, 0o666] {
            try file.write(file.bytes, permissions: permissions)
            let input = try #require(CheckpointInput(path: file.path))
            #expect(input.mapped(0..<file.bytes.count) == nil, "mode \(String(permissions, radix: 8))")
            #expect(input.read(0..<file.bytes.count).map(Array.init) == file.bytes)
            #expect(try file.state(of: input) == file.state)
        }
    }

    @Test func aMissingFileOrADirectoryIsNoInput() throws {
        let file = try CheckpointFile()
        #expect(CheckpointInput(path: file.path) == nil)
        #expect(CheckpointInput(path: file.directory) == nil)
    }

    @Test func damageInTheTimelinesIsTheSameMappedOrRead() throws {
        let file = try CheckpointFile()
        let bytes = file.bytes
        let timelines = try CheckpointLayout(size: bytes.count) { bytes[$0] }.range(of: .timelines)
        // A byte changed: the section's checksum. The last step made of bits no step has: the
        // checksum still reported first; with the checksum fixed, the step's own check.
        var flipped = file.bytes
        flipped[timelines.lowerBound + timelines.count / 2] ^= 0x40
        var malformed = file.bytes
        for offset in timelines.upperBound - 16..<timelines.upperBound { malformed[offset] = 0xFF }
        let fixed = ChecksumFixer.checkpoint(malformed)
        for (damaged, expected) in [(flipped, CheckpointDamage.checksumMismatch(.timelines)), (malformed, .checksumMismatch(.timelines)),
                                    (fixed, nil)] {
            var found: [CheckpointDamage] = []
            for permissions: mode_t in [0o644, 0o664] {
                try file.write(damaged, permissions: permissions)
                let input = try #require(CheckpointInput(path: file.path))
                do throws(CheckpointDamage) {
                    _ = try file.state(of: input)
                    Issue.record("damage not found, mode \(String(permissions, radix: 8))")
                } catch {
                    found.append(error)
                }
            }
            #expect(found.count == 2 && found.first == found.last)
            if let expected { #expect(found.first == expected) } else { #expect(found.first != .checksumMismatch(.timelines)) }
        }
    }
}
