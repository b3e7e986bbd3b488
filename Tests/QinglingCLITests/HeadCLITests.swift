import Foundation
import QinglingTestSupport
import Testing

/// `qingling head` and `qingling verify --head`, run as a user and an outside party would.
@Suite struct HeadCLITests {
    /// Runs the independent Python checker on a signed head; its exit status.
    static func pythonCheck(_ head: String, key: String) throws -> Int32 {
        try ChildProcess.run("/usr/bin/env", ["python3", ArchiveCLITests.repository + "/tools/archive/verify_proof.py", "--head", head, key]).status
    }

    @Test func theDemoLogsHeadIsSignedVerifiedAndItsShorteningCaught() throws {
        let scratch = Scratch()
        let log = scratch.child("demo")
        let demo = try Qingling.run(["demo", "--directory", log, "--hazards-per-year", "10"])
        #expect(demo.status == 0, "\(demo.stderr)")

        let verify = try Qingling.run(["verify", "--log", log])
        let chainHead = try #require(verify.stdout.split(separator: "\n").first { $0.hasPrefix("hash chain head: ") }?.dropFirst("hash chain head: ".count))
        let text = try Qingling.run(["head", "--log", log])
        #expect(text.status == 0 && text.stdout.contains("chain head:     \(chainHead)"), "\(text.stdout)\(text.stderr)")
        let json = try Qingling.run(["head", "--log", log, "--format", "json"])
        let head = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(head["chainHead"] as? String == String(chainHead))
        let size = try #require(head["size"] as? Int)
        #expect(head["lastSequence"] as? Int == size - 1 && head["sealedYear"] is NSNull)

        let signedPath = scratch.child("head.json")
        let sign = try Qingling.run(["head", "--sign", "--log", log, "--private-key", log + ".signing-key", "--output", signedPath])
        #expect(sign.status == 0 && sign.stdout.contains("signed the head of \(size) records"), "\(sign.stdout)\(sign.stderr)")
        let holds = try Qingling.run(["verify", "--head", signedPath, "--log", log])
        #expect(holds.status == 0 && holds.stdout.contains("verify --head: passed"), "\(holds.stdout)\(holds.stderr)")
        #expect(holds.stdout.contains("chain head: the same, from the live batch that ends there"))
        #expect(try Self.pythonCheck(signedPath, key: log + "/signing.pub") == 0)

        // A statement changed after signing.
        let tamperedPath = scratch.child("tampered.json")
        let signedText = try String(contentsOfFile: signedPath, encoding: .utf8)
        let tampered = signedText.replacingOccurrences(of: #"\"size\":\#(size)"#, with: #"\"size\":\#(size - 1)"#)
        #expect(tampered != signedText)
        try tampered.write(toFile: tamperedPath, atomically: false, encoding: .utf8)
        let changed = try Qingling.run(["verify", "--head", tamperedPath, "--log", log])
        #expect(changed.status == 5 && changed.stdout.contains("the signature does not verify"), "\(changed.stdout)")
        #expect(try Self.pythonCheck(tamperedPath, key: log + "/signing.pub") == 1)

        // The newest (live) segments removed, with their indexes and the projection checkpoint
        // that would tell: the log still verifies, the head does not.
        try? FileManager.default.removeItem(atPath: log + "/projections")
        for file in try FileManager.default.contentsOfDirectory(atPath: log + "/segments") where file.hasSuffix(".qlseg") {
            try FileManager.default.removeItem(atPath: log + "/segments/" + file)
            try? FileManager.default.removeItem(atPath: log + "/index/" + file.replacingOccurrences(of: ".qlseg", with: ".qlidx"))
        }
        #expect(try Qingling.run(["verify", "--log", log]).status == 0)
        let shortened = try Qingling.run(["verify", "--head", signedPath, "--log", log])
        #expect(shortened.status == 5 && shortened.stdout.contains("the log was shortened"), "\(shortened.stdout)")
        let sealedHead = try Qingling.run(["head", "--log", log])
        #expect(sealedHead.stdout.contains("(2025 is sealed: its last live batch hash, from archive/2025/chain.qllink)"), "\(sealedHead.stdout)")
    }

    @Test func aSignedHeadHoldsAsTheLogGrowsAndAnotherKeyFails() throws {
        let scratch = Scratch()
        let log = scratch.child("log")
        let generated = try Qingling.run(["generate", "--hazards-per-year", "20", "--first-year", "2024", "--last-year", "2024"])
        let lines = generated.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count > 10)
        #expect(try Qingling.run(["append", "--log", log, "-"], input: lines.prefix(5).joined(separator: "\n")).status == 0)
        let keygen = try Qingling.run(["keygen", "--log", log, "--private-key", scratch.child("signing.key")])
        #expect(keygen.status == 0, "\(keygen.stderr)")

        let signed = try Qingling.run(["head", "--sign", "--log", log], environment: ["QINGLING_SIGNING_KEY": scratch.child("signing.key")])
        #expect(signed.status == 0 && signed.stdout.hasPrefix(#"{"head":"{\"format\":\"qingling-head/1\","#), "\(signed.stdout)\(signed.stderr)")
        let headPath = scratch.child("head.json")
        try signed.stdout.write(toFile: headPath, atomically: false, encoding: .utf8)

        #expect(try Qingling.run(["append", "--log", log, "-"], input: lines.dropFirst(5).joined(separator: "\n")).status == 0)
        let grown = try Qingling.run(["verify", "--head", headPath, "--log", log])
        #expect(grown.status == 0 && grown.stdout.contains("log now: \(lines.count) records (\(lines.count - 5) after the head)"), "\(grown.stdout)\(grown.stderr)")

        // Another log's key: refused for signing this log, and its public key does not verify the head.
        let other = scratch.child("other")
        #expect(try Qingling.run(["append", "--log", other, "-"], input: lines.prefix(5).joined(separator: "\n")).status == 0)
        #expect(try Qingling.run(["keygen", "--log", other, "--private-key", scratch.child("other.key")]).status == 0)
        let wrongSigner = try Qingling.run(["head", "--sign", "--log", log, "--private-key", scratch.child("other.key")])
        #expect(wrongSigner.status == 2 && wrongSigner.stderr.contains("its public key is not the log's"), "\(wrongSigner.stderr)")
        let wrongKey = try Qingling.run(["verify", "--head", headPath, "--log", log, "--public-key", other + "/signing.pub"])
        #expect(wrongKey.status == 5 && wrongKey.stdout.contains("the signature does not verify"), "\(wrongKey.stdout)")
        // The other log, checked with the right key: not the log the head is of.
        let otherLog = try Qingling.run(["verify", "--head", headPath, "--log", other, "--public-key", log + "/signing.pub"])
        #expect(otherLog.status == 5 && otherLog.stdout.contains("the head is of another log"), "\(otherLog.stdout)")

        // Usage: --output is for --sign, and never replaces anything; a head file that cannot
        // be read is the system's refusal, not a failed verification.
        #expect(try Qingling.run(["head", "--log", log, "--output", headPath]).status == 64)
        #expect(try Qingling.run(["verify", "2024", "--head", headPath, "--log", log]).status == 64)
        let kept = try String(contentsOfFile: headPath, encoding: .utf8)
        for taken in [headPath, scratch.path] {
            let refused = try Qingling.run(["head", "--sign", "--log", log, "--private-key", scratch.child("signing.key"), "--output", taken])
            #expect(refused.status == 64, "\(taken): \(refused.status) \(refused.stderr)")
        }
        #expect(try String(contentsOfFile: headPath, encoding: .utf8) == kept)
        let missing = try Qingling.run(["verify", "--head", scratch.child("no-such-head.json"), "--log", log])
        #expect(missing.status == 4 && missing.stderr.contains("errno 2"), "\(missing.status) \(missing.stderr)")
    }
}
