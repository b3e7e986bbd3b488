import Foundation
import Testing

@Suite struct UsersCLITests {
    private let password = "a long passphrase for tests\n"

    @Test func accountsAreAddedListedDisabledAndGivenNewPasswords() throws {
        let scratch = Scratch()
        let log = scratch.child("county")
        let add = try Qingling.run(["users", "add", "li.weidong", "--log", log, "--role", "department", "--organization", "lx-yjj",
                                    "--person-id", "yjj-017", "--person-name", "李卫东", "--password-stdin"], input: password)
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout.contains("临湘市应急管理局"))
        // The default database sits beside the log directory, private to its owner.
        let file = log + ".accounts.sqlite"
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)

        let list = try Qingling.run(["users", "list", "--accounts", file])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("li.weidong\tdepartment\tlx-yjj\t临湘市应急管理局\tyjj-017\t李卫东\tno"))
        #expect(!list.stdout.contains("$2b$"))

        #expect(try Qingling.run(["users", "disable", "li.weidong", "--accounts", file]).status == 0)
        #expect(try Qingling.run(["users", "list", "--accounts", file]).stdout.contains("李卫东\tyes"))
        let reset = try Qingling.run(["users", "set-password", "li.weidong", "--password-stdin"], input: "another long passphrase\n",
                                     environment: ["QINGLING_ACCOUNTS": file])
        #expect(reset.status == 0, "\(reset.stderr)")

        // Each change is in the audit log beside the accounts, with who made it.
        let audit = try Qingling.run(["audit", "--accounts", file, "--format", "json"])
        #expect(audit.status == 0, "\(audit.stderr)")
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [[String: Any]])
        #expect(entries.map { $0["kind"] as? String } == ["account-added", "account-disabled", "password-changed"])
        #expect(entries.allSatisfy { ($0["by"] as? String)?.hasPrefix("local:") == true && $0["subject"] as? String == "li.weidong" })
        #expect(FileManager.default.fileExists(atPath: log + ".accounts.audit"))
        let table = try Qingling.run(["audit", "--log", log, "--since", "2000-01-01"])
        #expect(table.stdout.split(separator: "\n").count == 4, "\(table.stdout)")
        #expect(try Qingling.run(["audit", "--log", log, "--since", "2999-01-01"]).stdout.split(separator: "\n").count == 1)
    }

    @Test func whatCannotBeAnAccountSaysWhyAndAddsNothing() throws {
        let scratch = Scratch()
        let file = scratch.child("accounts.sqlite")
        let unknownDepartment = try Qingling.run(["users", "add", "someone", "--accounts", file, "--role", "department", "--organization", "lx-nobody",
                                                  "--person-id", "p-1", "--person-name", "某人", "--password-stdin"], input: password)
        #expect(unknownDepartment.status == 2)
        #expect(unknownDepartment.stderr.contains("lx-nobody is not a department"))
        let weak = try Qingling.run(["users", "add", "someone", "--accounts", file, "--role", "committee", "--organization", "lx-aqw",
                                     "--person-id", "p-1", "--person-name", "某人", "--password-stdin"], input: "short\n")
        #expect(weak.status == 2)
        #expect(weak.stderr.contains("at least 10 characters"))
        let noStdin = try Qingling.run(["users", "add", "someone", "--accounts", file, "--role", "committee", "--organization", "lx-aqw",
                                        "--person-id", "p-1", "--person-name", "某人"])
        #expect(noStdin.status == 64)
        #expect(try Qingling.run(["users", "disable", "nobody", "--accounts", file]).status == 3)
        let list = try Qingling.run(["users", "list", "--accounts", file])
        #expect(list.stdout.split(separator: "\n").count == 1)
    }
}
