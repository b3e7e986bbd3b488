import Foundation
import QinglingTestSupport
import Testing

/// The archive job's commands, run as a user would.
@Suite struct ArchiveCLITests {
    /// The repository's root, found from this file's path.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test func theDemoSealsItsFinishedYearsAndProofsCheckOutsideTheLog() throws {
        let scratch = Scratch()
        let log = scratch.child("demo")
        let demo = try Qingling.run(["demo", "--directory", log, "--hazards-per-year", "20"])
        #expect(demo.status == 0, "\(demo.stderr)")
        for year in 2023...2025 { #expect(demo.stdout.contains("sealed \(year):")) }
        #expect(demo.stdout.contains("verify: passed"))
        #expect(FileManager.default.fileExists(atPath: log + ".signing-key"))
        #expect(FileManager.default.fileExists(atPath: log + "/signing.pub"))

        let proofPath = scratch.child("proof.json")
        let prove = try Qingling.run(["prove", "5", "--log", log, "--output", proofPath])
        #expect(prove.status == 0, "\(prove.stderr)")
        // The auditor has only the proof and the public key: copy both away from the log.
        let publicKey = try String(contentsOfFile: log + "/signing.pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let holds = try Qingling.run(["verify-proof", proofPath, "--public-key", publicKey])
        #expect(holds.status == 0 && holds.stdout.contains("proof holds"), "\(holds.stdout)\(holds.stderr)")

        // An independent checker, written from docs/archive.md with Python's hashlib and cryptography.
        let checker = try ChildProcess.run("/usr/bin/env", ["python3", Self.repository + "/tools/archive/verify_proof.py", proofPath, publicKey])
        #expect(checker.status == 0, "\(checker.stdout)\(checker.stderr)")

        var proof = try String(contentsOfFile: proofPath, encoding: .utf8)
        let range = try #require(proof.range(of: "\"recordedAt\":"))
        proof.insert("1", at: range.upperBound)
        try proof.write(toFile: proofPath, atomically: false, encoding: .utf8)
        let fails = try Qingling.run(["verify-proof", proofPath, "--public-key", log + "/signing.pub"])
        #expect(fails.status == 5 && fails.stdout.contains("proof FAILED"))

        let unsealed = try Qingling.run(["prove", "999999", "--log", log])
        #expect(unsealed.status != 0 && unsealed.stderr.contains("not in a sealed year"))

        let again = try Qingling.run(["seal", "2024", "--log", log, "--private-key", log + ".signing-key"])
        #expect(again.status == 3 && again.stderr.contains("already sealed"))
        let notEnded = try Qingling.run(["seal", "2026", "--log", log, "--private-key", log + ".signing-key"])
        #expect(notEnded.status == 3 && notEnded.stderr.contains("has not ended"))
    }

    @Test func keysStayOutsideTheLogAndDamageFailsVerification() throws {
        let scratch = Scratch()
        let log = scratch.child("demo")
        _ = try Qingling.run(["demo", "--directory", log, "--hazards-per-year", "10"])
        let inside = try Qingling.run(["keygen", "--log", log, "--private-key", log + "/my.key"])
        #expect(inside.status == 2 && inside.stderr.contains("outside the log directory"))
        let noKey = try Qingling.run(["seal", "--finished", "--log", log], environment: ["QINGLING_SIGNING_KEY": ""].filter { !$0.value.isEmpty })
        #expect(noKey.status != 0 && noKey.stderr.contains("QINGLING_SIGNING_KEY"))

        let archive = log + "/archive/2024"
        let segment = try #require(try FileManager.default.contentsOfDirectory(atPath: archive).first { $0.hasSuffix(".qlseg") })
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: archive + "/" + segment)
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: archive + "/" + segment)))
        bytes[200] ^= 0x10
        try Data(bytes).write(to: URL(fileURLWithPath: archive + "/" + segment))
        let verify = try Qingling.run(["verify", "--log", log])
        #expect(verify.status == 5)
        #expect(verify.stdout.contains(segment) && verify.stdout.contains("verify: FAILED"))
        let otherYear = try Qingling.run(["verify", "2023", "--log", log])
        #expect(otherYear.status == 0, "\(otherYear.stdout)")
    }
}
