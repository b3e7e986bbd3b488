import Crypto
import Foundation
import QinglingArchive
import QinglingLog
import Testing

/// A log of plain records on the simulated clock, appended batch by batch, and a signing key.
final class RecordLog {
    let root = NSTemporaryDirectory() + "qingling-head-\(UUID().uuidString)"
    var directory: String { root + "/log" }
    let key = Curve25519.Signing.PrivateKey()
    var publicKey: [UInt8] { Array(key.publicKey.rawRepresentation) }
    let clock: SimulatedClock
    let segmentBytes: Int64
    /// Record `i`'s payload is `record i`, unless `rewritten` names another for it.
    let rewritten: [UInt64: String]
    private var appended: UInt64 = 0

    init(startingAt time: Int64 = ShanghaiTime.startOfYear(2024) + 86_400_000_000, segmentBytes: Int64 = LogLimits.defaultSegmentBytes,
         rewritten: [UInt64: String] = [:]) throws {
        clock = SimulatedClock(microseconds: time)
        self.segmentBytes = segmentBytes
        self.rewritten = rewritten
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try LogWriter(directory: directory, options: options).close()
    }

    deinit {
        chmodTree(root)
        try? FileManager.default.removeItem(atPath: root)
    }

    var options: LogOptions { LogOptions(clock: clock, segmentBytes: segmentBytes) }

    /// Appends batches of `count` records each, `spacing` µs apart on the clock (with 0, the
    /// records' times run on by 1 µs whatever the batches: the same records batched otherwise
    /// get the same times).
    func append(batches: Int = 1, of count: Int, spacing: Int64 = 3_600_000_000) throws {
        let writer = try LogWriter(directory: directory, options: options)
        for _ in 0..<batches {
            clock.set(microseconds: clock.now() + spacing)
            let records = (appended..<appended + UInt64(count)).map { sequence in
                Record(keys: ["R-\(sequence % 5)"], payload: Array((rewritten[sequence] ?? "record \(sequence)").utf8))
            }
            _ = try writer.append(records)
            appended += UInt64(count)
        }
        try writer.close()
    }

    /// Moves the clock to `time` (the start of a year, to append in it or to seal the year before).
    func advance(to time: Int64) { clock.set(microseconds: time) }

    func seal(_ year: Int) throws {
        _ = try ArchiveSealer.seal(year: year, directory: directory, options: LogOptions(clock: clock, createIfMissing: false), key: key)
    }

    func head() throws -> LogHead { try LogReader(directory: directory).head() }

    func sign(with key: Curve25519.Signing.PrivateKey? = nil) throws -> SignedHead {
        try SignedHead.sign(directory: directory, key: key ?? self.key, signedAt: 1_750_000_000_000_000)
    }

    func verify(_ head: SignedHead, in directory: String? = nil, key: [UInt8]? = nil) throws -> HeadVerifier.Report {
        try HeadVerifier.verify(head, directory: directory ?? self.directory, publicKey: key ?? publicKey)
    }

    /// The live segments' file names, in order.
    func liveSegments() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory + "/segments").filter { $0.hasSuffix(".qlseg") }.sorted()
    }
}

@Suite struct SignedHeadTests {
    @Test func theHeadOfAnEmptyLogIsSizeZeroAndTheZeroHash() throws {
        let log = try RecordLog()
        #expect(try log.head() == LogHead(size: 0, lastRecordedAt: nil, chainHead: [UInt8](repeating: 0, count: 32), sealedYear: nil))
        let signed = try log.sign()
        #expect(signed.statement.size == 0 && signed.statement.lastRecordedAt == nil)
        #expect(signed.statement.merkleRoot == Array(SHA256.hash(data: [UInt8]())))
        let report = try log.verify(signed)
        #expect(report.passed, "\(report.problems)")
        #expect(report.chain == .start)

        // The empty head still holds once the log has records.
        try log.append(of: 3)
        #expect(try log.verify(signed).passed)
    }

    @Test func theHeadIsTheLastBatchAndItsSignedHeadHoldsAsTheLogGrows() throws {
        let log = try RecordLog()
        try log.append(batches: 3, of: 4)
        let reader = try LogReader(directory: log.directory)
        let records = try reader.readAll()
        let head = try log.head()
        #expect(head.size == 12 && head.lastSequence == 11 && head.sealedYear == nil)
        #expect(head.lastRecordedAt == records.last?.recordedAt)
        #expect(head.chainHead == (try reader.verify()).lastBatchHash)

        let signed = try log.sign()
        #expect(signed.statement.merkleRoot == MerkleTree.root(records.map {
            ArchiveLeaf.hash(sequence: $0.sequence, recordedAt: $0.recordedAt, stored: $0.payload)
        }))
        #expect(try SignedHead.decode(signed.encoded(), path: "head") == signed)
        #expect(try log.verify(signed).passed)

        try log.append(batches: 2, of: 5)
        let later = try log.verify(signed)
        #expect(later.passed, "\(later.problems)")
        #expect(later.logSize == 22)
        #expect(later.chain == .liveBatch(hash: head.chainHead))
    }

    @Test func theHeadSurvivesSealingTheNewestYearAndHeadsInsideASealedYearStillHold() throws {
        let log = try RecordLog()
        try log.append(batches: 2, of: 3)
        let inside2024 = try log.sign()
        try log.append(batches: 2, of: 3)
        log.advance(to: ShanghaiTime.startOfYear(2025) + 1)
        try log.append(batches: 2, of: 2)
        let before = try log.head()
        let endOf2025 = try log.sign()

        log.advance(to: ShanghaiTime.startOfYear(2026) + 1)
        try log.seal(2024)
        try log.seal(2025)
        #expect(try log.liveSegments().isEmpty)
        let after = try log.head()
        #expect(after == LogHead(size: before.size, lastRecordedAt: before.lastRecordedAt, chainHead: before.chainHead, sealedYear: 2025))
        let link = try SealedYearLink.read(2025, layout: LogLayout(directory: log.directory), fileSystem: PosixFileSystem())
        #expect(after.chainHead == link.lastLiveBatchHash)

        // The head at the end of 2025 is checked through 2025's link; the one inside 2024,
        // whose batches sealing re-packed, through the Merkle root alone.
        let atSealedEnd = try log.verify(endOf2025)
        #expect(atSealedEnd.passed, "\(atSealedEnd.problems)")
        #expect(atSealedEnd.chain == .sealedYear(2025, hash: before.chainHead))
        let repacked = try log.verify(inside2024)
        #expect(repacked.passed, "\(repacked.problems)")
        #expect(repacked.chain == .repacked(year: 2024))

        // Appending after the sealed year goes on from its link; both heads still hold.
        try log.append(of: 2)
        #expect(try LogReader(directory: log.directory).verify().passed)
        #expect(try log.verify(endOf2025).passed && log.verify(inside2024).passed)
    }

    @Test func aShortenedLogFailsThoughTheLogItselfVerifies() throws {
        let log = try RecordLog(segmentBytes: 400)
        try log.append(batches: 4, of: 3)
        let signed = try log.sign()
        let segments = try log.liveSegments()
        try #require(segments.count >= 2)
        let saved = log.root + "/saved"
        try FileManager.default.copyItem(atPath: log.directory, toPath: saved)
        func restore() throws {
            try FileManager.default.removeItem(atPath: log.directory)
            try FileManager.default.copyItem(atPath: saved, toPath: log.directory)
        }
        func remove(_ segment: String) throws {
            try FileManager.default.removeItem(atPath: log.directory + "/segments/" + segment)
            try? FileManager.default.removeItem(atPath: log.directory + "/index/" + segment.replacingOccurrences(of: ".qlseg", with: ".qlidx"))
        }

        // The newest segment removed with its index: the log finds its previous segment
        // finished for a later one, and the head finds its records gone.
        let newest = try #require(segments.last)
        try remove(newest)
        #expect(!(try LogReader(directory: log.directory).verify()).passed)
        let removed = try log.verify(signed)
        #expect(removed.problems.count == 1 && removed.problems[0].contains("the log cannot be read through the head's 12 records"), "\(removed.problems)")

        // The same, and the previous segment's finishing sync mark made an ordinary one: a
        // valid, shorter log, which only the head shows was shortened.
        let previous = log.directory + "/segments/" + segments[segments.count - 2]
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: previous)))
        let markAt = bytes.count - SyncMark.size
        let next = bytes[(markAt + 16)..<(markAt + 24)].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        bytes.replaceSubrange(markAt..., with: SyncMark(syncedBytes: Int64(markAt), nextSequence: next).encoded())
        try Data(bytes).write(to: URL(fileURLWithPath: previous))
        #expect(try LogReader(directory: log.directory).verify().passed)
        let unmarked = try log.verify(signed)
        #expect(unmarked.problems.count == 1 && unmarked.problems[0].contains("records \(next)–11 are gone (the log was shortened)"), "\(unmarked.problems)")

        // The last batch cut off the newest segment (with the sync mark after it): refused as
        // lost synced data while the segment's index remains, a shorter log once it goes too.
        try restore()
        let path = log.directory + "/segments/" + newest
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        try whole.prefix(whole.count - SyncMark.size - 20).write(to: URL(fileURLWithPath: path))
        let torn = try log.verify(signed)
        #expect(torn.problems.count == 1 && torn.problems[0].contains("synced data was lost"), "with the index: \(torn.problems)")
        try FileManager.default.removeItem(atPath: log.directory + "/index/" + newest.replacingOccurrences(of: ".qlseg", with: ".qlidx"))
        let truncated = try log.verify(signed)
        #expect(truncated.problems.count == 1 && truncated.problems[0].contains("are gone (the log was shortened)"), "without the index: \(truncated.problems)")
    }

    @Test func aRewrittenRecordOrAnotherLogFails() throws {
        let log = try RecordLog()
        try log.append(batches: 3, of: 4, spacing: 0)
        let signed = try log.sign()

        // The same history with record 5 changed, every checksum and hash made anew: the log
        // itself verifies.
        let forged = try RecordLog(rewritten: [5: "record 5, changed"])
        try forged.append(batches: 3, of: 4, spacing: 0)
        try forged.append(of: 2, spacing: 0)
        #expect(try LogReader(directory: forged.directory).verify().passed)
        let rewritten = try log.verify(signed, in: forged.directory)
        #expect(rewritten.problems.contains { $0.contains("do not produce the head's Merkle root") }, "\(rewritten.problems)")
        #expect(rewritten.problems.contains { $0.contains("the hash chain after the head's 12 records") }, "\(rewritten.problems)")

        // The same records (same times too) in other live batches: the root holds, the chain
        // does not, whether a batch ends after record 11 or not.
        let rebatched = try RecordLog()
        try rebatched.append(batches: 2, of: 6, spacing: 0)
        try rebatched.append(of: 4, spacing: 0)
        let boundary = try log.verify(signed, in: rebatched.directory)
        #expect(boundary.problems.count == 1 && boundary.problems[0].contains("the hash chain after the head's 12 records"), "\(boundary.problems)")
        let straddling = try RecordLog()
        try straddling.append(of: 10, spacing: 0)
        try straddling.append(of: 4, spacing: 0)
        let inside = try log.verify(signed, in: straddling.directory)
        #expect(inside.problems.count == 1 && inside.problems[0].contains("no batch ends with record 11"), "\(inside.problems)")

        // A log created at another time.
        let other = try RecordLog(startingAt: ShanghaiTime.startOfYear(2024) + 2 * 86_400_000_000)
        try other.append(batches: 3, of: 4)
        let another = try log.verify(signed, in: other.directory)
        #expect(another.problems.contains { $0.contains("the head is of another log") }, "\(another.problems)")
    }

    @Test func anotherKeyOrATamperedStatementFails() throws {
        let log = try RecordLog()
        try log.append(batches: 2, of: 3)
        let signed = try log.sign()
        let otherKey = Curve25519.Signing.PrivateKey()

        let wrongKey = try log.verify(signed, key: Array(otherKey.publicKey.rawRepresentation))
        #expect(wrongKey.problems.contains { $0.contains("the signature does not verify") })
        #expect(wrongKey.problems.contains { $0.contains("the head names public key") })
        let signedByAnother = try log.sign(with: otherKey)
        #expect(!(try log.verify(signedByAnother)).passed)

        let text = String(decoding: signed.encoded(), as: UTF8.self)
        func tampered(_ change: (String) -> String) throws -> HeadVerifier.Report {
            try log.verify(try SignedHead.decode(Array(change(text).utf8), path: "head"))
        }
        /// The text with the hexadecimal digit right after `marker` changed.
        func flipDigit(after marker: String) -> (String) -> String {
            { text in
                guard let range = text.range(of: marker) else { return text }
                var changed = text
                changed.replaceSubrange(range.upperBound...range.upperBound, with: text[range.upperBound] == "0" ? "1" : "0")
                return changed
            }
        }
        let edits: [(String, (String) -> String)] = [
            ("size", { $0.replacingOccurrences(of: #"\"size\":6"#, with: #"\"size\":5"#) }),
            ("logCreatedAt", { $0.replacingOccurrences(of: #"\"logCreatedAt\":1"#, with: #"\"logCreatedAt\":2"#) }),
            ("signedAt", { $0.replacingOccurrences(of: #"\"signedAt\":1"#, with: #"\"signedAt\":2"#) }),
            ("chainHead", flipDigit(after: #"\"chainHead\":\""#)),
            ("merkleRoot", flipDigit(after: #"\"merkleRoot\":\""#)),
            ("signature", flipDigit(after: #""signature":""#)),
        ]
        for (label, edit) in edits {
            #expect(edit(text) != text, "\(label) edit changed nothing")
            let report = try tampered(edit)
            #expect(report.problems.contains { $0.contains("the signature does not verify") }, "\(label): \(report.problems)")
        }
        // A statement that is not in its canonical form is refused outright, and so is a file
        // that is not a signed head.
        #expect(throws: ArchiveError.self) {
            try SignedHead.decode(Array(text.replacingOccurrences(of: #"\"size\":"#, with: #"\"size\": "#).utf8), path: "head")
        }
        #expect(throws: ArchiveError.invalid(path: "proof.json", reason: "not a signed head (it has no \"head\" member)")) {
            try SignedHead.decode(Array(#"{"format":"qingling-proof/1","sequence":5}"#.utf8), path: "proof.json")
        }
    }
}
