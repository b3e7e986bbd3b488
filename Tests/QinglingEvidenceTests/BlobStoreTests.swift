import Foundation
import Testing
import QinglingEvents
import QinglingEvidence
import QinglingLog
import QinglingTestSupport

/// Small files of each accepted type (their signatures, then some bytes).
enum Samples {
    static func jpeg(_ seed: UInt8 = 1) -> [UInt8] { [0xFF, 0xD8, 0xFF, 0xE0] + [UInt8](repeating: seed, count: 300) }
    static func png(_ seed: UInt8 = 2) -> [UInt8] { [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: seed, count: 200) }
    static func pdf(_ seed: UInt8 = 3) -> [UInt8] { Array("%PDF-1.7\n".utf8) + [UInt8](repeating: seed, count: 100) }
}

final class TemporaryDirectory {
    let path = NSTemporaryDirectory() + "qingling-evidence-\(UUID().uuidString)"
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

@Suite struct BlobStoreTests {
    @Test func storesEachTypeUnderItsHashAndReadsItBack() throws {
        let directory = TemporaryDirectory()
        let store = BlobStore(logDirectory: directory.path)
        for (bytes, type) in [(Samples.jpeg(), AttachmentMediaType.jpeg), (Samples.png(), .png), (Samples.pdf(), .pdf)] {
            let stored = try store.store(bytes)
            #expect(stored.created)
            #expect(stored.attachment.mediaType == type)
            #expect(stored.attachment.size == Int64(bytes.count))
            #expect(QinglingEvents.Attachment.isSHA256(stored.attachment.sha256))
            let path = store.path(of: stored.attachment.sha256)
            #expect(path.hasSuffix("/attachments/sha256/\(stored.attachment.sha256.prefix(2))/\(stored.attachment.sha256)"))
            #expect(try store.read(stored.attachment.sha256) == bytes)
            #expect(store.info(stored.attachment.sha256)?.size == Int64(bytes.count))
        }
    }

    @Test func theSameFileTwiceIsStoredOnce() throws {
        let directory = TemporaryDirectory()
        let store = BlobStore(logDirectory: directory.path)
        let first = try store.store(Samples.png())
        let second = try store.store(Samples.png())
        #expect(first.created && !second.created)
        #expect(first.attachment == second.attachment)
        let folder = (store.path(of: first.attachment.sha256) as NSString).deletingLastPathComponent
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == [first.attachment.sha256])
    }

    @Test func theTypeComesFromTheBytesNotTheName() throws {
        let directory = TemporaryDirectory()
        let store = BlobStore(logDirectory: directory.path)
        #expect(throws: BlobError.unsupportedType(firstBytes: Array("GIF89a".utf8))) { try store.store(Array("GIF89a".utf8)) }
        #expect(throws: BlobError.unsupportedType(firstBytes: Array("<html><b".utf8))) { try store.store(Array("<html><body>".utf8)) }
        #expect(throws: BlobError.empty) { try store.store([]) }
        #expect(!FileManager.default.fileExists(atPath: store.directory))
    }

    @Test func aFileAboveTheLimitIsRefused() throws {
        let directory = TemporaryDirectory()
        let store = BlobStore(logDirectory: directory.path)
        let limit = Int(QinglingEvents.Attachment.maxBytes)
        let tooLarge = Samples.jpeg() + [UInt8](repeating: 0, count: limit - Samples.jpeg().count + 1)
        #expect(throws: BlobError.tooLarge(bytes: Int64(limit + 1))) { try store.store(tooLarge) }
        let atTheLimit = Array(tooLarge.dropLast())
        #expect(try store.store(atTheLimit).attachment.size == QinglingEvents.Attachment.maxBytes)
    }

    @Test func aDamagedFileIsNeverReturned() throws {
        let directory = TemporaryDirectory()
        let store = BlobStore(logDirectory: directory.path)
        let hash = try store.store(Samples.jpeg()).attachment.sha256
        let path = store.path(of: hash)
        var bytes = try #require(FileManager.default.contents(atPath: path))
        bytes[100] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(throws: BlobError.self) { try store.read(hash) }
        do {
            _ = try store.read(hash)
        } catch {
            guard case .damaged(let where_, _) = error else { Issue.record("expected damaged, got \(error)"); return }
            #expect(where_ == path)
        }
        // Storing the file again repairs it.
        #expect(try store.store(Samples.jpeg()).created)
        #expect(try store.read(hash) == Samples.jpeg())
        #expect(throws: BlobError.notFound(String(repeating: "0", count: 64))) { try store.read(String(repeating: "0", count: 64)) }
        #expect(throws: BlobError.notFound("../../log.meta")) { try store.read("../../log.meta") }
        // A link leading nowhere at a file's name: the file is not held.
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: path + ".gone")
        #expect(throws: BlobError.notFound(hash)) { try store.read(hash) }
    }

    /// A crash at any change of a store leaves nothing under the file's final name, or all of
    /// it; the store then works.
    @Test func aCrashNeverLeavesAPartialFileUnderTheFinalName() throws {
        let bytes = Samples.pdf()
        var step = 1
        while true {
            let directory = TemporaryDirectory()
            let crashing = CrashingFileSystem(crashAt: step)
            let result = Result { try BlobStore(logDirectory: directory.path, fileSystem: crashing).store(bytes) }
            let store = BlobStore(logDirectory: directory.path)
            let hash = try BlobStore.describe(bytes).sha256
            if let held = FileManager.default.contents(atPath: store.path(of: hash)) {
                #expect(Array(held) == bytes, "crash at change \(step)")
            }
            #expect(try store.store(bytes).attachment.sha256 == hash)
            #expect(try store.read(hash) == bytes)
            if case .success = result { break }
            step += 1
            #expect(step < 20)
            if step >= 20 { break }
        }
        #expect(step >= 3)
    }
}
