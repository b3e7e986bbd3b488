import Foundation
import GRDB
import QinglingAccounts
import QinglingEvents
import Testing

/// A fresh accounts database in a temporary directory.
private func freshStore() throws -> AccountStore {
    let directory = NSTemporaryDirectory() + "qingling-accounts-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    return try AccountStore(path: directory + "/accounts.sqlite", reference: .linxiang)
}

private let password = "correct horse battery"

@Suite struct AccountStoreTests {
    @Test func anAccountSignsInWithItsPasswordOnly() throws {
        let store = try freshStore()
        let added = try store.add(login: "li.weidong", role: .department, organizationId: "lx-yjj",
                                  person: PersonRef(id: "yjj-017", name: "李卫东"), password: password, by: "local:test")
        #expect(added.organization == OrganizationRef(kind: .department, id: "lx-yjj", name: "临湘市应急管理局"))
        #expect(try store.authenticate(login: "li.weidong", password: password) == added)
        #expect(try store.authenticate(login: "li.weidong", password: password + "!") == nil)
        #expect(try store.authenticate(login: "nobody", password: password) == nil)
        try store.disable("li.weidong", by: "local:test")
        #expect(try store.authenticate(login: "li.weidong", password: password) == nil)
        #expect(try store.account("li.weidong")?.disabled == true)
    }

    /// The change counter a cache of accounts relies on moves with every change committed,
    /// by this handle or another (another process's `qingling users`), and not with reads.
    @Test func theChangeCounterMovesWithEveryChangeAndOnlyThen() throws {
        let store = try freshStore()
        let other = try AccountStore(path: store.path, reference: .linxiang, passwordCost: PasswordRules.minimumCost)
        var seen: [UInt32] = [try #require(store.changeCounter())]
        func expectMoved(_ what: String) throws {
            let now = try #require(store.changeCounter())
            #expect(!seen.contains(now), "\(what): the counter stayed at \(now)")
            #expect(other.changeCounter() == now)
            seen.append(now)
        }
        try other.add(login: "li.weidong", role: .department, organizationId: "lx-yjj",
                      person: PersonRef(id: "yjj-017", name: "李卫东"), password: password, by: "local:test")
        try expectMoved("an account added")
        _ = try store.account("li.weidong")
        _ = try store.list()
        _ = try store.authenticate(login: "li.weidong", password: password)
        #expect(store.changeCounter() == seen.last, "reads move nothing")
        try other.setPassword("li.weidong", password + " again", by: "local:test")
        try expectMoved("a new password")
        try other.disable("li.weidong", by: "local:test")
        try expectMoved("an account disabled")
        #expect(throws: AccountError.self) { try store.disable("nobody", by: "local:test") }
        #expect(store.changeCounter() == seen.last, "a change refused moves nothing")
        // In WAL mode the counter does not move with every commit: there is none to read.
        let raw = try DatabaseQueue(path: store.path)
        _ = try raw.writeWithoutTransaction { db in try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
        #expect(store.changeCounter() == nil)
        _ = try raw.writeWithoutTransaction { db in try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE") }
        #expect(store.changeCounter() != nil)
    }

    @Test func theFileIsPrivateAndHoldsOnlyABcryptHash() throws {
        let store = try freshStore()
        try store.add(login: "wang.fang", role: .town, organizationId: "430682107", person: PersonRef(id: "tl-002", name: "王芳"), password: password, by: "local:test")
        let attributes = try FileManager.default.attributesOfItem(atPath: store.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: store.path))
        #expect(bytes.range(of: Data(password.utf8)) == nil)
        #expect(bytes.range(of: Data("$2b$12$".utf8)) != nil)
    }

    @Test func aTownIsItsRegionAndTheReferenceDataNamesIt() throws {
        let store = try freshStore()
        let town = try store.add(login: "wang.fang", role: .town, organizationId: "430682107", person: PersonRef(id: "tl-002", name: "王芳"), password: password, by: "local:test")
        let region = try #require(ReferenceData.linxiang.region(code: "430682107"))
        #expect(town.organization == OrganizationRef(kind: .town, id: region.code, name: region.authority))
        #expect(town.actor?.organization.kind == .town)
    }

    @Test(arguments: [
        (Role.department, "lx-nobody"), (.town, "430682999"), (.committee, "lx-yjj"), (.enterprise, "91430682MA4L0C7A40"),
        (.analyst, "91430682MA4L0C7A47"), (.archivist, "430682107"),
    ])
    func anOrganisationOutsideTheReferenceDataIsRefused(role: Role, organization: String) throws {
        let store = try freshStore()
        #expect {
            try store.add(login: "someone", role: role, organizationId: organization, organizationName: "某公司",
                          person: PersonRef(id: "p-1", name: "某人"), password: password, by: "local:test")
        } throws: { error in
            guard case .invalidOrganization = error as? AccountError else { return false }
            return true
        }
        #expect(try store.list().isEmpty)
    }

    @Test func anEnterpriseNeedsItsNameAndAValidCreditCode() throws {
        let store = try freshStore()
        #expect(throws: AccountError.self) {
            try store.add(login: "liu.jianguo", role: .enterprise, organizationId: "91430682MA4L0C7A47",
                          person: PersonRef(id: "ent-001", name: "刘建国"), password: password, by: "local:test")
        }
        let enterprise = try store.add(login: "liu.jianguo", role: .enterprise, organizationId: "91430682MA4L0C7A47",
                                       organizationName: "临湘市桃林烟花爆竹有限公司", person: PersonRef(id: "ent-001", name: "刘建国"), password: password, by: "local:test")
        #expect(enterprise.actor == Actor(organization: OrganizationRef(kind: .enterprise, id: "91430682MA4L0C7A47", name: "临湘市桃林烟花爆竹有限公司"),
                                          person: PersonRef(id: "ent-001", name: "刘建国")))
    }

    @Test func readOnlyRolesHaveNoActor() throws {
        let store = try freshStore()
        let analyst = try store.add(login: "zhao.min", role: .analyst, organizationId: ReferenceData.linxiang.committee.id,
                                    person: PersonRef(id: "aqw-009", name: "赵敏"), password: password, by: "local:test")
        #expect(analyst.actor == nil)
        #expect(analyst.organization.kind == .committee)
    }

    @Test func aLoginAndAPersonBelongToOneAccount() throws {
        let store = try freshStore()
        try store.add(login: "li.weidong", role: .department, organizationId: "lx-yjj", person: PersonRef(id: "yjj-017", name: "李卫东"), password: password, by: "local:test")
        #expect(throws: AccountError.loginTaken("li.weidong")) {
            try store.add(login: "li.weidong", role: .department, organizationId: "lx-yjj", person: PersonRef(id: "yjj-018", name: "张强"), password: password, by: "local:test")
        }
        #expect(throws: AccountError.personTaken(personId: "yjj-017", login: "li.weidong")) {
            try store.add(login: "li.wd", role: .department, organizationId: "lx-yjj", person: PersonRef(id: "yjj-017", name: "李卫东"), password: password, by: "local:test")
        }
        #expect(try store.list().map(\.login) == ["li.weidong"])
    }

    @Test(arguments: ["short", String(repeating: "长", count: 25), "li.weidong-secret", "Bad Login"])
    func badPasswordsAndLoginsAreRefused(text: String) throws {
        let store = try freshStore()
        let login = text == "Bad Login" ? text : "li.weidong"
        #expect(throws: AccountError.self) {
            try store.add(login: login, role: .department, organizationId: "lx-yjj", person: PersonRef(id: "yjj-017", name: "李卫东"),
                          password: text == "Bad Login" ? password : text, by: "local:test")
        }
        #expect(try store.list().isEmpty)
    }

    @Test func aNewPasswordReplacesTheOldAndSurvivesReopening() throws {
        let store = try freshStore()
        try store.add(login: "li.weidong", role: .department, organizationId: "lx-yjj", person: PersonRef(id: "yjj-017", name: "李卫东"), password: password, by: "local:test")
        try store.setPassword("li.weidong", "another long passphrase", by: "local:test")
        let reopened = try AccountStore(path: store.path, reference: .linxiang)
        #expect(try reopened.authenticate(login: "li.weidong", password: password) == nil)
        #expect(try reopened.authenticate(login: "li.weidong", password: "another long passphrase") != nil)
        #expect(throws: AccountError.unknownLogin("nobody")) { try reopened.setPassword("nobody", "another long passphrase", by: "local:test") }
    }

    /// A database file edited by hand or crafted (a NULL or a blob where a name belongs) is an
    /// error naming the file, never a crash of the service that reads it on every request.
    @Test(arguments: ["personName = NULL", "credentialsVersion = NULL", "disabled = NULL", "role = x'FF00'"])
    func aCraftedRowIsAnErrorNotACrash(change: String) throws {
        let store = try freshStore()
        try store.add(login: "li.weidong", role: .department, organizationId: "lx-yjj", person: PersonRef(id: "yjj-017", name: "李卫东"), password: password, by: "local:test")
        try DatabaseQueue(path: store.path).writeWithoutTransaction { db in
            // A copy of the table keeps the rows and loses the NOT NULL constraints.
            try db.execute(sql: "CREATE TABLE loose AS SELECT * FROM account; DROP TABLE account; ALTER TABLE loose RENAME TO account")
            try db.execute(sql: "UPDATE account SET \(change)")
        }
        let reopened = try AccountStore(path: store.path, reference: .linxiang)
        #expect {
            try reopened.account("li.weidong")
        } throws: { error in
            guard case AccountError.database(let path, _) = error else { return false }
            return path == store.path
        }
    }
}
