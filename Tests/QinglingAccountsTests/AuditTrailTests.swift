import Foundation
import QinglingAccounts
import QinglingAudit
import QinglingEvents
import QinglingLog
import Testing

@Suite struct AuditTrailTests {
    private let password = "correct horse battery"

    private func freshStore() throws -> AccountStore {
        let directory = NSTemporaryDirectory() + "qingling-audit-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return try AccountStore(path: directory + "/county.accounts.sqlite", reference: .linxiang)
    }

    @Test func theAuditLogLiesBesideTheAccounts() {
        #expect(AuditTrail.directory(besideAccounts: "/srv/county.accounts.sqlite") == "/srv/county.accounts.audit")
        #expect(AuditTrail.directory(besideAccounts: "/srv/accounts.db") == "/srv/accounts.db.audit")
    }

    @Test func everyAccountChangeIsAuditedWithWhoMadeIt() throws {
        let store = try freshStore()
        try store.add(login: "li.weidong", role: .department, organizationId: "lx-yjj", person: PersonRef(id: "yjj-017", name: "李卫东"),
                      password: password, by: "local:admin")
        try store.setPassword("li.weidong", "another long passphrase", by: "local:admin")
        try store.disable("li.weidong", by: "local:root")
        let entries = try store.audit.entries().map(\.entry)
        #expect(entries == [
            AuditEntry(.accountAdded, by: "local:admin", subject: "li.weidong", detail: "department lx-yjj"),
            AuditEntry(.passwordChanged, by: "local:admin", subject: "li.weidong"),
            AuditEntry(.accountDisabled, by: "local:root", subject: "li.weidong"),
        ])
        // Neither the password nor its hash, nor the person's name, reaches the audit log.
        let files = try FileManager.default.subpathsOfDirectory(atPath: store.audit.directory)
        #expect(!files.isEmpty)
        let stored = try LogReader(directory: store.audit.directory).readAll().flatMap(\.payload)
        for secret in [password, "another long passphrase", "李卫东", "$2b$"] {
            #expect(!Data(stored).contains(Data(secret.utf8)))
        }
    }

    @Test func aRefusedChangeIsNotAudited() throws {
        let store = try freshStore()
        try store.add(login: "li.weidong", role: .department, organizationId: "lx-yjj", person: PersonRef(id: "yjj-017", name: "李卫东"),
                      password: password, by: "local:admin")
        #expect(throws: AccountError.loginTaken("li.weidong")) {
            try store.add(login: "li.weidong", role: .department, organizationId: "lx-yjj", person: PersonRef(id: "yjj-018", name: "张强"),
                          password: password, by: "local:admin")
        }
        #expect(throws: AccountError.unknownLogin("nobody")) { try store.disable("nobody", by: "local:admin") }
        #expect(try store.audit.entries().count == 1)
    }

    @Test func aChangeThatCannotBeAuditedIsNotMade() throws {
        let store = try freshStore()
        // A plain file where the audit log's directory should be.
        FileManager.default.createFile(atPath: store.audit.directory, contents: Data("not a log".utf8))
        #expect {
            try store.add(login: "li.weidong", role: .department, organizationId: "lx-yjj", person: PersonRef(id: "yjj-017", name: "李卫东"),
                          password: password, by: "local:admin")
        } throws: { error in
            guard case .audit = error as? AccountError else { return false }
            return true
        }
        #expect(try store.list().isEmpty)
    }

    @Test func aWriteWaitsForAnotherWriterToFinish() throws {
        let store = try freshStore()
        let holder = try LogWriter(directory: store.audit.directory)
        // Released from a thread of its own: the write below blocks this one.
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(300)) { try? holder.close() }
        let started = ContinuousClock.now
        try store.audit.record(AuditEntry(.signedIn, by: "li.weidong", address: "127.0.0.1"))
        #expect(ContinuousClock.now - started >= .milliseconds(250))
        #expect(try store.audit.entries().map(\.entry.kind) == [.signedIn])
    }

    @Test func controlCharactersInWhatAClientSentAreReplaced() {
        let entry = AuditEntry(.signInFailed, by: "evil\u{1B}[2J\nlogin" + String(repeating: "x", count: 500))
        #expect(!entry.by.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x1B })
        #expect(entry.by.count == 128)
    }
}
