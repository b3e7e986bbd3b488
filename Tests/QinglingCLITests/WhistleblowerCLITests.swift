import Foundation
import QinglingKeyStore
import QinglingLog
import Testing

/// Reporters' identities through the command line: sealed on append, never in plain text in
/// the log, the key store, the export or the messages; revealed with the master key and a
/// reason (audited); destroyed by a shred, after which the log still verifies.
@Suite struct WhistleblowerCLITests {
    static let name = "欧阳锋华", phone = "13912345678", idNumber = "11010519491231002X", bankAccount = "6222020200001234567"

    static func tipOff(_ eventId: String, _ tipOffId: String, name: String = WhistleblowerCLITests.name, day: Int = 1) -> String {
        """
        {"eventId":"\(eventId)","type":"TipOffReceived","occurredAt":"2024-03-0\(day)T10:00:00+08:00",\
        "actor":{"organization":{"kind":"committee","id":"lx-aqw","name":"临湘市安委办"},"person":{"id":"aqw-001","name":"陈主任"}},\
        "data":{"tipOffId":"\(tipOffId)","channel":"hotline","summary":"仓库超量储存烟花","reporterPseudonym":"热心群众",\
        "reporter":{"name":"\(name)","phone":"\(phone)","idNumber":"\(idNumber)","bankAccount":"\(bankAccount)"}}}
        """
    }

    /// Every secret that must not appear, as bytes.
    static let secrets = [name, phone, idNumber, bankAccount].map { Array($0.utf8) }

    /// The secrets found in the files under `path` (each file's raw bytes), and in the log's
    /// records as a reader decompresses them when `path` is a log.
    static func leaks(under path: String, of secrets: [[UInt8]] = WhistleblowerCLITests.secrets) throws -> [String] {
        var found: [String] = []
        let files = FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String } ?? []
        for file in files {
            guard let data = FileManager.default.contents(atPath: path + "/" + file) else { continue }
            let bytes = [UInt8](data)
            for secret in secrets where bytes.contains(secret) { found.append(file) }
        }
        if FileManager.default.fileExists(atPath: path + "/log.meta") {
            let reader = try LogReader(directory: path)
            try reader.forEach(from: 0) { record in
                for secret in secrets where record.payload.contains(secret) { found.append("record \(record.sequence)") }
            }
        }
        return found
    }

    @Test func identitiesAreSealedRevealedWithAReasonAndShredded() throws {
        let scratch = Scratch()
        let log = scratch.child("log"), keystore = scratch.child("log.keystore"), master = scratch.child("master.key")
        let input = scratch.child("tips.jsonl")
        try (Self.tipOff("tip-1", "JB-2024-0001") + "\n" + Self.tipOff("tip-2", "JB-2024-0002", day: 2) + "\n").write(toFile: input, atomically: false, encoding: .utf8)

        // No key store configured: refused, nothing written, the message names no value.
        let refused = try Qingling.run(["append", "--log", log, input], environment: ["QINGLING_MASTER_KEY": ""])
        #expect(refused.status == 2 && refused.stderr.contains("no key store and master key"), "\(refused.stderr)")
        #expect(!refused.stderr.contains(Self.name) && !refused.stderr.contains(Self.phone))

        let unnamed = try Qingling.run(["keystore", "init", "--log", log, "--new-master-key", master], environment: ["QINGLING_KEYSTORE": ""])
        #expect(unnamed.status == 64 && unnamed.stderr.contains("no key store: give --keystore FILE"), "\(unnamed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: master))
        let initialised = try Qingling.run(["keystore", "init", "--log", log, "--keystore", keystore, "--new-master-key", master])
        #expect(initialised.status == 0, "\(initialised.stderr)")
        let attributes = try FileManager.default.attributesOfItem(atPath: keystore)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let overwrite = try Qingling.run(["keystore", "init", "--log", log, "--keystore", keystore, "--master-key-file", master])
        #expect(overwrite.status == 3 && overwrite.stderr.contains("never overwritten"))
        let inside = try Qingling.run(["keystore", "init", "--log", log, "--keystore", log + "/keys", "--master-key-file", master])
        #expect(inside.status != 0 && inside.stderr.contains("inside the log directory"))

        let appended = try Qingling.run(["append", "--log", log, "--keystore", keystore, "--master-key-file", master, input])
        #expect(appended.status == 0, "\(appended.stderr)")
        // A retry with the same identity is the same event; with another, a reused id.
        let retry = try Qingling.run(["append", "--log", log, "--keystore", keystore, "--master-key-file", master, input])
        #expect(retry.status == 0 && retry.stdout.contains("already in the log"), "\(retry.stdout)\(retry.stderr)")
        let other = try Qingling.run(["append", "--log", log, "--keystore", keystore, "--master-key-file", master, "-"], input: Self.tipOff("tip-1", "JB-2024-0001", name: "别人"))
        #expect(other.status == 3 && other.stderr.contains("different content"), "\(other.stderr)")

        // Sealed given directly is refused.
        let forged = Self.tipOff("tip-3", "JB-2024-0003").replacingOccurrences(of: "\"reporter\":{", with: "\"reporterSealed\":{\"keyId\":\"k\",\"ciphertext\":\"AA==\"},\"x\":{")
        let sealedInput = try Qingling.run(["append", "--log", log, "--keystore", keystore, "--master-key-file", master, "-"], input: forged)
        #expect(sealedInput.status == 2 && sealedInput.stderr.contains("data.reporterSealed: only this program seals"), "\(sealedInput.stderr)")
        // A bad field is named, its value never repeated.
        let badPhone = Self.tipOff("tip-4", "JB-2024-0004").replacingOccurrences(of: Self.phone, with: "call-me-秘密")
        let badField = try Qingling.run(["append", "--log", log, "--keystore", keystore, "--master-key-file", master, "-"], input: badPhone)
        #expect(badField.status == 2 && badField.stderr.contains("data.reporter.phone") && !badField.stderr.contains("秘密"), "\(badField.stderr)")

        let export = try Qingling.run(["export", "--log", log])
        #expect(export.status == 0 && export.stdout.contains("\"reporterSealed\":{\"keyId\":\"tip-1\""))
        for secret in [Self.name, Self.phone, Self.idNumber, Self.bankAccount] { #expect(!export.stdout.contains(secret)) }
        #expect(try Self.leaks(under: log).isEmpty)
        #expect(try Self.leaks(under: scratch.path).filter { !$0.hasSuffix(".jsonl") }.isEmpty)

        // Reveal: the master key and a reason; a wrong key reveals nothing and says so.
        let reveal = try Qingling.run(["tipoff", "reveal", "JB-2024-0001", "--log", log, "--reason", "奖励发放核对", "--keystore", keystore, "--master-key-file", master])
        #expect(reveal.status == 0 && reveal.stdout.contains("name: \(Self.name)") && reveal.stdout.contains("bankAccount: \(Self.bankAccount)"),
                "\(reveal.stdout)\(reveal.stderr)")
        let wrongKey = try Qingling.run(["tipoff", "reveal", "JB-2024-0001", "--log", log, "--reason", "x", "--keystore", keystore],
                                        environment: ["QINGLING_MASTER_KEY": String(repeating: "ab", count: 32)])
        #expect(wrongKey.status == 6 && wrongKey.stderr.contains("the master key does not open this key store") && !wrongKey.stdout.contains(Self.name))
        let noReason = try Qingling.run(["tipoff", "reveal", "JB-2024-0001", "--log", log, "--reason", " ", "--keystore", keystore, "--master-key-file", master])
        #expect(noReason.status != 0 && !noReason.stdout.contains(Self.name))
        let audit = try Qingling.run(["audit", "--log", log])
        #expect(audit.stdout.contains("reporter-revealed") && audit.stdout.contains("JB-2024-0001") && audit.stdout.contains("奖励发放核对"))
        #expect(!audit.stdout.contains(Self.name))

        // Shred: the key goes, the event is appended; reveal fails; the log verifies.
        let shred = try Qingling.run(["tipoff", "shred", "JB-2024-0001", "--log", log, "--reason", "奖励已发放", "--person-id", "aqw-001",
                                      "--person-name", "陈主任", "--keystore", keystore, "--master-key-file", master])
        #expect(shred.status == 0 && shred.stdout.contains("destroyed the reporter key"), "\(shred.stdout)\(shred.stderr)")
        let after = try Qingling.run(["tipoff", "reveal", "JB-2024-0001", "--log", log, "--reason", "again", "--keystore", keystore, "--master-key-file", master])
        #expect(after.status == 3 && after.stderr.contains("can no longer be recovered") && !after.stdout.contains(Self.name))
        let twice = try Qingling.run(["tipoff", "shred", "JB-2024-0001", "--log", log, "--reason", "again", "--person-id", "aqw-001",
                                      "--person-name", "陈主任", "--keystore", keystore, "--master-key-file", master])
        #expect(twice.status == 3 && twice.stderr.contains("already destroyed"))
        let stillThere = try Qingling.run(["tipoff", "reveal", "JB-2024-0002", "--log", log, "--reason", "check", "--keystore", keystore, "--master-key-file", master])
        #expect(stillThere.status == 0 && stillThere.stdout.contains(Self.idNumber))
        // A shred that crashed after destroying the key, before its event: run again, it
        // appends the missing event.
        try KeyStore.open(at: keystore, master: try MasterKey.load(file: master)).destroy("tip-2")
        let resumed = try Qingling.run(["tipoff", "shred", "JB-2024-0002", "--log", log, "--reason", "奖励已发放", "--person-id", "aqw-001",
                                        "--person-name", "陈主任", "--keystore", keystore, "--master-key-file", master])
        #expect(resumed.status == 0 && resumed.stdout.contains("was already gone") && resumed.stdout.contains("event at sequence"),
                "\(resumed.stdout)\(resumed.stderr)")
        let verify = try Qingling.run(["verify", "--log", log])
        #expect(verify.status == 0 && verify.stdout.contains("verify: passed"), "\(verify.stdout)\(verify.stderr)")
        let exported = try Qingling.run(["export", "--log", log])
        #expect(exported.stdout.components(separatedBy: "\"type\":\"ReporterKeyDestroyed\"").count == 3 && exported.stdout.contains("\"keyId\":\"tip-1\""))
        #expect(try Self.leaks(under: log).isEmpty)
    }

    /// `qingling demo` seals made-up identities for its tip-offs: those the key store reveals
    /// appear nowhere in plain text, not in the log's files or records (sealed years
    /// included), the export, or what the demo printed.
    @Test func aDemosReportersAreSealedAndRevealable() throws {
        let scratch = Scratch()
        let log = scratch.child("demo")
        let demo = try Qingling.run(["demo", "--directory", log, "--hazards-per-year", "30", "--seed", "7"])
        #expect(demo.status == 0, "\(demo.stderr)")
        let export = try Qingling.run(["export", "--log", log])
        let sealed = export.stdout.split(separator: "\n").compactMap { line -> String? in
            guard line.contains("\"type\":\"TipOffReceived\""), line.contains("\"reporterSealed\""),
                  let start = line.range(of: "\"tipOffId\":\"") else { return nil }
            return String(line[start.upperBound...].prefix { $0 != "\"" })
        }
        #expect(sealed.count >= 2 && sealed.count == export.stdout.components(separatedBy: "\"type\":\"TipOffReceived\"").count - 1)
        var secrets: [[UInt8]] = []
        for id in sealed.prefix(3) {
            let reveal = try Qingling.run(["tipoff", "reveal", id, "--log", log, "--reason", "演示核对",
                                           "--keystore", log + ".keystore", "--master-key-file", log + ".master-key"])
            #expect(reveal.status == 0, "\(reveal.stderr)")
            let fields = reveal.stdout.split(separator: "\n").filter { ["name: ", "phone: ", "bankAccount: "].contains(where: $0.hasPrefix) }
            #expect(fields.count == 3, "\(reveal.stdout)")
            secrets += fields.compactMap { $0.split(separator: " ", maxSplits: 1).last.map { Array($0.utf8) } }
        }
        #expect(try Self.leaks(under: log, of: secrets).isEmpty)
        for secret in secrets {
            #expect(!Array(export.stdout.utf8).contains(secret) && !Array(demo.stdout.utf8).contains(secret))
        }
    }
}
