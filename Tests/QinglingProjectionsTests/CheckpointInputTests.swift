import Foundation
import Glibc
@testable import QinglingProjections
import QinglingTestSupport
import Testing

/// The checkpoint file read through its mapping or with `pread`: the same bytes, the same state
/// and the same damage either way; a file anyone may write never mapped, and one cut short
/// under its mapping refused, not faulted on.
@Suite struct CheckpointInputTests {
    /// A checkpoint of a generated history and a file to write it to (`write(_:permissions:)`).
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

    /// Whether a read-only file in the temporary directory is mapped here (a local file system,
    /// a kernel with `MADV_POPULATE_READ`): the tests of the mapping need it.
    private static let temporaryFilesAreMapped: Bool = {
        let path = NSTemporaryDirectory() + "qingling-checkpoint-input-probe-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard (try? Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))) != nil, chmod(path, 0o444) == 0 else { return false }
        return CheckpointInput(path: path)?.mapped(0..<3) != nil
    }()

    @Test(.enabled(if: temporaryFilesAreMapped)) func aFileNoOneMayWriteIsMappedAndGivesTheBytesReadGives() throws {
        let file = try CheckpointFile()
        try file.write(file.bytes, permissions: 0o444)
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

    @Test func aFileSomeoneMayWriteIsNeverMappedButRead() throws {
        let file = try CheckpointFile()
        for permissions: mode_t in [0o644, 0o464, 0o446, 0o666] {
            try file.write(file.bytes, permissions: permissions)
            let input = try #require(CheckpointInput(path: file.path))
            #expect(input.mapped(0..<file.bytes.count) == nil, "mode \(String(permissions, radix: 8))")
            #expect(input.read(0..<file.bytes.count).map(Array.init) == file.bytes)
            #expect(try file.state(of: input) == file.state)
        }
    }

    @Test(.enabled(if: temporaryFilesAreMapped)) func aFileCutShortUnderItsMappingIsRefusedNotFaultedOn() throws {
        let file = try CheckpointFile()
        try file.write(file.bytes, permissions: 0o444)
        let input = try #require(CheckpointInput(path: file.path))
        #expect(input.mapped(0..<1) != nil)
        // Its owner may make it writable again and cut it.
        #expect(chmod(file.path, 0o644) == 0 && truncate(file.path, off_t(file.bytes.count / 2)) == 0)
        #expect(input.mapped(0..<file.bytes.count) == nil && input.read(0..<file.bytes.count) == nil)
        #expect(throws: CheckpointDamage.self) { try file.state(of: input) }
    }

    @Test func aSavedCheckpointIsReadOnlyAndReadsBackTheState() throws {
        let file = try CheckpointFile()
        #expect(ProjectionStore.write(file.state, to: file.path) == nil)
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o444)
        let input = try #require(CheckpointInput(path: file.path))
        #expect(try file.state(of: input) == file.state)
        // Saved again over it: replaced, not written into.
        #expect(ProjectionStore.write(file.state, to: file.path) == nil)
    }

    @Test func aMissingFileOrADirectoryIsNoInput() throws {
        let file = try CheckpointFile()
        #expect(CheckpointInput(path: file.path) == nil)
        #expect(CheckpointInput(path: file.directory) == nil)
    }

    @Test(.enabled(if: temporaryFilesAreMapped)) func damageIsTheSameMappedOrRead() throws {
        let file = try CheckpointFile()
        let bytes = file.bytes
        let layout = try CheckpointLayout(size: bytes.count) { bytes[$0] }
        let timelines = layout.range(of: .timelines)
        // A byte changed in a section: its checksum. The last step made of bits no step has: the
        // checksum still reported first; with the checksum fixed, the step's own check.
        let flipped = [CheckpointSection.timelines, .persons, .hazardIds, .personLinks].map { section in
            var damaged = file.bytes
            let range = layout.range(of: section)
            damaged[range.lowerBound + range.count / 2] ^= 0x40
            return (damaged, CheckpointDamage?.some(.checksumMismatch(section)))
        }
        var malformed = file.bytes
        for offset in timelines.upperBound - 16..<timelines.upperBound { malformed[offset] = 0xFF }
        let fixed = ChecksumFixer.checkpoint(malformed)
        for (damaged, expected) in flipped + [(malformed, .checksumMismatch(.timelines)), (fixed, nil)] {
            var found: [CheckpointDamage] = []
            for permissions: mode_t in [0o444, 0o644] {
                try file.write(damaged, permissions: permissions)
                let input = try #require(CheckpointInput(path: file.path))
                #expect((input.mapped(0..<1) != nil) == (permissions == 0o444))
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
