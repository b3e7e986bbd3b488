import Foundation
import QinglingTestSupport
import Testing

/// `qingling attach`, appends naming attachments, and a sealed year's attachments through
/// `seal`, `verify`, `prove` and both proof checkers, run as a user would.
@Suite struct EvidenceCLITests {
    /// A department's report of hazard `LX-<year>-0001`, discovered and reported on `date` of that year.
    static func report(_ year: Int, attachments: String = "") -> String {
        let files = attachments.isEmpty ? "" : #","attachments":[\#(attachments)]"#
        return #"{"eventId":"r-\#(year)","type":"HazardReported","occurredAt":"\#(year)-03-01T10:00:00+08:00","actor":{"organization":{"kind":"department","id":"lx-yjj","name":"临湘市应急管理局"},"person":{"id":"yjj-017","name":"李卫东"}},"data":{"hazardId":"LX-\#(year)-0001","enterprise":{"creditCode":"91430682MA4L0C7A47","name":"临湘市桃林烟花爆竹有限公司"},"region":"桃林镇","industry":"烟花爆竹","criterionClause":"第三条","description":"成品仓库超量储存","source":"departmentInspection","discoveredOn":"\#(year)-03-01"\#(files)}}"#
    }

    @Test func attachedFilesAreNamedByEventsSealedVerifiedAndProved() throws {
        let scratch = Scratch()
        let log = scratch.child("log")
        // A log on the simulated clock (its recorded times follow the events), so that years end.
        let generated = try Qingling.run(["generate", "--seed", "5", "--hazards-per-year", "3", "--first-year", "2024", "--last-year", "2024", "--into", log])
        #expect(generated.status == 0, "\(generated.stderr)")

        let photo = scratch.child("现场.jpg"), fake = scratch.child("fake.jpg")
        try Data([0xFF, 0xD8, 0xFF, 0xE0] + [UInt8](repeating: 0x55, count: 4_000)).write(to: URL(fileURLWithPath: photo))
        try Data("GIF89a, whatever the name says".utf8).write(to: URL(fileURLWithPath: fake))
        let attached = try Qingling.run(["attach", "--log", log, "--caption", "仓库现场", photo, fake, scratch.child("missing.pdf")])
        #expect(attached.status == 2)
        #expect(attached.stderr.contains("fake.jpg: the file is not a JPEG, PNG or PDF"), "\(attached.stderr)")
        #expect(attached.stderr.contains("missing.pdf: no such file"), "\(attached.stderr)")
        let lines = attached.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 1)
        let object = try #require(lines.first)
        #expect(object.hasPrefix(#"{"sha256":""#) && object.hasSuffix(#","size":4004,"mediaType":"image/jpeg","caption":"仓库现场"}"#), "\(object)")
        let again = try Qingling.run(["attach", "--log", log, photo])
        #expect(again.status == 0 && again.stdout.contains(String(object.prefix(80))))

        let unknown = #"{"sha256":"\#(String(repeating: "ab", count: 32))","size":10,"mediaType":"image/png"}"#
        try (Self.report(2027, attachments: unknown) + "\n").write(toFile: scratch.child("unknown.jsonl"), atomically: false, encoding: .utf8)
        let refused = try Qingling.run(["append", "--log", log, scratch.child("unknown.jsonl")])
        #expect(refused.status == 2 && refused.stderr.contains("is not in the log's blob store"), "\(refused.stderr)")
        try (Self.report(2027, attachments: object) + "\n").write(toFile: scratch.child("named.jsonl"), atomically: false, encoding: .utf8)
        let appended = try Qingling.run(["append", "--log", log, scratch.child("named.jsonl")])
        #expect(appended.status == 0, "\(appended.stderr)")
        let sequence = try #require(appended.stdout.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        // A report of the next year ends 2027 on the simulated clock.
        try (Self.report(2028) + "\n").write(toFile: scratch.child("next.jsonl"), atomically: false, encoding: .utf8)
        #expect(try Qingling.run(["append", "--log", log, scratch.child("next.jsonl")]).status == 0)

        let key = scratch.child("signing.key")
        #expect(try Qingling.run(["keygen", "--log", log, "--private-key", key]).status == 0)
        let sealed = try Qingling.run(["seal", "--finished", "--log", log, "--private-key", key])
        #expect(sealed.status == 0 && sealed.stdout.contains("sealed 2027"), "\(sealed.stdout)\(sealed.stderr)")
        #expect(try Qingling.run(["verify", "--log", log]).status == 0)

        let proofPath = scratch.child("proof.json")
        #expect(try Qingling.run(["prove", sequence, "--log", log, "--output", proofPath]).status == 0, "sequence \(sequence)")
        let proof = try String(contentsOfFile: proofPath, encoding: .utf8)
        let hash = String(object.dropFirst(#"{"sha256":""#.count).prefix(64))
        #expect(proof.contains(#""attachments":[{"sha256":"\#(hash)","bytes":4004}]"#))
        #expect(try Qingling.run(["verify-proof", proofPath, "--public-key", log + "/signing.pub"]).status == 0)
        let checker = try ChildProcess.run("/usr/bin/env", ["python3", ArchiveCLITests.repository + "/tools/archive/verify_proof.py", proofPath, log + "/signing.pub"])
        #expect(checker.status == 0, "\(checker.stdout)\(checker.stderr)")

        // A changed attachment in the archive is corruption: exit status 5.
        let sealedPhoto = log + "/archive/2027/attachments/" + hash
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: sealedPhoto)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: sealedPhoto))
        bytes[1_000] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: sealedPhoto))
        let damaged = try Qingling.run(["verify", "--log", log])
        #expect(damaged.status == 5, "\(damaged.stdout)\(damaged.stderr)")
        #expect((damaged.stdout + damaged.stderr).contains(hash))
    }
}
