import Foundation
import QinglingTestSupport
import Testing

/// `qingling ship` and `qingling restore` against a real PostgreSQL server: the test cluster
/// (`PostgresCluster.shared`), one database per test.
@Suite struct ProvinceCLITests {
    static func cluster() throws -> PostgresCluster {
        switch PostgresCluster.shared {
        case .success(let cluster): return cluster
        case .failure(let error): throw error
        }
    }

    /// A county log of `hazards` hazards a year over 2024–2025 on the simulated clock, one
    /// batch a day: many batches, and a segment per year.
    static func makeLog(_ path: String, hazards: Int = 12, seed: Int = 7, reference: String? = nil) throws {
        var arguments = ["generate", "--seed", "\(seed)", "--hazards-per-year", "\(hazards)", "--first-year", "2024", "--last-year", "2025", "--into", path]
        if let reference { arguments += ["--reference", reference] }
        let generated = try Qingling.run(arguments)
        #expect(generated.status == 0, "\(generated.stderr)")
    }

    /// Every segment file of a log, by relative path, with its bytes.
    static func segments(_ log: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: log + "/segments") where name.hasSuffix(".qlseg") {
            files["segments/" + name] = FileManager.default.contents(atPath: log + "/segments/" + name)
        }
        return files
    }

    /// What the database holds for `county`, as one digest per table (shipping times left out).
    static func fingerprint(_ cluster: PostgresCluster, _ database: String, county: String) throws -> String {
        try cluster.psql("""
            SELECT (SELECT md5(coalesce(string_agg(b::text, '|' ORDER BY base_sequence), '')) FROM qingling.batches b WHERE county = '\(county)')
                || ' ' || (SELECT md5(coalesce(string_agg(s::text, '|' ORDER BY path), '')) FROM qingling.segments s WHERE county = '\(county)')
                || ' ' || (SELECT md5(coalesce(string_agg(e::text, '|' ORDER BY sequence), '')) FROM qingling.events e WHERE county = '\(county)')
                || ' ' || (SELECT md5(coalesce(string_agg(h::text, '|' ORDER BY hazard_id), '')) FROM qingling.hazards h WHERE county = '\(county)')
                || ' ' || (SELECT count(*) FROM qingling.events WHERE county = '\(county)')
            """, database: database).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func eventCount(_ log: String) throws -> Int {
        let export = try Qingling.run(["export", "--log", log])
        return export.stdout.split(separator: "\n").count
    }

    @Test func aShippedLogIsCopiedOnceResumedAndRestoredByteForByte() throws {
        let cluster = try Self.cluster()
        let database = try cluster.createDatabase("ship")
        let url = cluster.url(database: database)
        let scratch = Scratch()
        let log = scratch.child("log")
        try Self.makeLog(log)

        // Without the schema: refused, offering --init, nothing created.
        let bare = try Qingling.run(["ship", "--log", log, "--postgres", url])
        #expect(bare.status == 3 && bare.stderr.contains("--init"), "\(bare.stderr)")
        #expect(try cluster.psql("SELECT count(*) FROM pg_namespace WHERE nspname = 'qingling'", database: database).hasPrefix("0"))

        let first = try Qingling.run(["ship", "--log", log, "--postgres", url, "--init", "--batches-per-transaction", "5"])
        #expect(first.status == 0, "\(first.stderr)")
        let events = try Self.eventCount(log)
        #expect(first.stdout.contains("county 430682: \(events) events"), "\(first.stdout)")
        #expect(try cluster.psql("SELECT count(*) FROM qingling.events WHERE county = '430682'", database: database).hasPrefix("\(events)\n"))
        // Partitioned by county, then year.
        let partitions = try cluster.psql("SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relname LIKE 'events_430682%' AND relkind IN ('r', 'p')", database: database)
        #expect(partitions.contains("events_430682,events_430682_2024,events_430682_2025"), "\(partitions)")
        // The logical copy: the export's JSON form, and hazards as the lifecycle leaves them.
        let exported = try Qingling.run(["export", "--log", log, "--from", "3", "--to", "3"]).stdout
        let stored = try cluster.psql("SELECT event FROM qingling.events WHERE county = '430682' AND sequence = 3", database: database)
        let exportedObject = try JSONSerialization.jsonObject(with: Data(exported.utf8)) as? NSDictionary
        let storedObject = try JSONSerialization.jsonObject(with: Data(stored.utf8)) as? NSDictionary
        #expect(exportedObject != nil && exportedObject == storedObject)
        let closed = try cluster.psql("SELECT count(*) FROM qingling.hazards WHERE status = 'closed'", database: database)
        #expect((Int(closed.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0)

        // Again: nothing new, nothing written; --init repeated is harmless.
        let fingerprint = try Self.fingerprint(cluster, database, county: "430682")
        let again = try Qingling.run(["ship", "--log", log, "--postgres", url, "--init"])
        #expect(again.status == 0 && again.stdout.contains(": 0 events"), "\(again.stdout)\(again.stderr)")
        #expect(try Self.fingerprint(cluster, database, county: "430682") == fingerprint)

        // The log grows: only the new events are shipped.
        let more = try Qingling.run(["generate", "--seed", "99", "--hazards-per-year", "2", "--first-year", "2026", "--last-year", "2026"])
        #expect(try Qingling.run(["append", "--log", log, "-"], input: more.stdout).status == 0)
        let grown = try Self.eventCount(log)
        let resumed = try Qingling.run(["ship", "--log", log, "--postgres", url])
        #expect(resumed.status == 0 && resumed.stdout.contains(": \(grown - events) events"), "\(resumed.stdout)\(resumed.stderr)")

        // Restored: byte-identical segments, and the log verifies.
        let restored = scratch.child("restored")
        let restore = try Qingling.run(["restore", "--postgres", url, "--county", "430682", "--into", restored])
        #expect(restore.status == 0, "\(restore.stderr)")
        let original = try Self.segments(log)
        #expect(original.count >= 3)
        #expect(try Self.segments(restored) == original)
        let verify = try Qingling.run(["verify", "--log", restored])
        #expect(verify.status == 0 && verify.stdout.contains("passed"), "\(verify.stdout)\(verify.stderr)")
        #expect(try Self.eventCount(restored) == grown)

        // A taken directory is refused; an unknown county has no copy.
        let taken = try Qingling.run(["restore", "--postgres", url, "--county", "430682", "--into", restored])
        #expect(taken.status == 64 && taken.stderr.contains("not empty"), "\(taken.stderr)")
        let none = try Qingling.run(["restore", "--postgres", url, "--county", "430621", "--into", scratch.child("none")])
        #expect(none.status == 3 && none.stderr.contains("no copy of county 430621"), "\(none.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.child("none")))
    }

    @Test func badAddressesPasswordsAndCountiesAreRefusedClearly() throws {
        let cluster = try Self.cluster()
        let database = try cluster.createDatabase("refuse")
        let scratch = Scratch()
        let log = scratch.child("log")
        try Self.makeLog(log, hazards: 2)

        let password = try Qingling.run(["ship", "--log", log, "--postgres", cluster.url(database: database, password: "wrong"), "--init"])
        #expect(password.status == 4 && password.stderr.contains("refused user qingling"), "\(password.stderr)")
        #expect(!password.stderr.contains("wrong") && !password.stderr.contains(cluster.password))
        let closedPort = try Qingling.run(["ship", "--log", log, "--postgres", "postgres://qingling:x@127.0.0.1:1/\(database)", "--init"])
        #expect(closedPort.status == 4 && closedPort.stderr.contains("cannot connect to PostgreSQL at 127.0.0.1:1/"), "\(closedPort.stderr)")
        let badURL = try Qingling.run(["ship", "--log", log, "--postgres", "mysql://qingling@127.0.0.1/x"])
        #expect(badURL.status == 2 && badURL.stderr.contains("postgres://"), "\(badURL.stderr)")
        let county = try Qingling.run(["ship", "--log", log, "--postgres", cluster.url(database: database), "--init", "--county", "430621"])
        #expect(county.status == 2 && county.stderr.contains("430621 is not in the reference data"), "\(county.stderr)")
        let digits = try Qingling.run(["ship", "--log", log, "--postgres", cluster.url(database: database), "--county", "4306"])
        #expect(digits.status == 64 && digits.stderr.contains("six digits"), "\(digits.stderr)")
        // None of these wrote anything.
        #expect(try cluster.psql("SELECT count(*) FROM pg_namespace WHERE nspname = 'qingling'", database: database).hasPrefix("0"))
    }

    @Test func aReplacedLogIsRefusedAndASecondCountyShipsBesideTheFirst() throws {
        let cluster = try Self.cluster()
        let database = try cluster.createDatabase("replaced")
        let url = cluster.url(database: database)
        let scratch = Scratch()
        let log = scratch.child("log")
        try Self.makeLog(log, hazards: 4)
        #expect(try Qingling.run(["ship", "--log", log, "--postgres", url, "--init"]).status == 0)
        let before = try Self.fingerprint(cluster, database, county: "430682")

        // Another log in its place (other events): refused, nothing written.
        try FileManager.default.removeItem(atPath: log)
        try Self.makeLog(log, hazards: 5, seed: 8)
        let replaced = try Qingling.run(["ship", "--log", log, "--postgres", url])
        #expect(replaced.status == 5 && replaced.stderr.contains("not the one shipped before"), "\(replaced.stderr)")
        #expect(try Self.fingerprint(cluster, database, county: "430682") == before)

        // 岳阳县 (430621), from a reference file of its own, ships beside 临湘市.
        let referenceText = try String(contentsOfFile: ArchiveCLITests.repository + "/tools/reference/linxiang.json", encoding: .utf8)
        let yueyang = referenceText.replacingOccurrences(of: "\"430682\"", with: "\"430621\"").replacingOccurrences(of: "\"临湘市\"", with: "\"岳阳县\"")
        #expect(yueyang != referenceText)
        let reference = scratch.child("yueyang.json")
        try yueyang.write(toFile: reference, atomically: false, encoding: .utf8)
        let second = scratch.child("yueyang")
        try Self.makeLog(second, hazards: 3, reference: reference)
        let shipped = try Qingling.run(["ship", "--log", second, "--postgres", url, "--reference", reference, "--county", "430621"])
        #expect(shipped.status == 0 && shipped.stdout.contains("county 430621"), "\(shipped.stdout)\(shipped.stderr)")
        let counties = try cluster.psql("SELECT string_agg(county || ':' || name, ',' ORDER BY county) FROM qingling.counties", database: database)
        #expect(counties.contains("430621:岳阳县,430682:临湘市"), "\(counties)")
        #expect(try Self.fingerprint(cluster, database, county: "430682") == before)
    }

    /// Every file under `folder` of a log (segments, a sealed year's archive), by relative path.
    static func files(_ log: String, under folder: String) -> [String: Data] {
        var files: [String: Data] = [:]
        let walker = FileManager.default.enumerator(atPath: log + "/" + folder)
        while let path = walker?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: log + "/" + folder + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[folder + "/" + path] = FileManager.default.contents(atPath: log + "/" + folder + "/" + path)
            }
        }
        return files
    }

    @Test func aYearSealedAfterItWasShippedShipsOnAndRestoresWithItsArchive() throws {
        let cluster = try Self.cluster()
        let scratch = Scratch()
        let log = scratch.child("log")
        try Self.makeLog(log)
        let key = scratch.child("signing-key")
        #expect(try Qingling.run(["keygen", "--log", log, "--private-key", key]).status == 0)
        let signedHead = scratch.child("head.json")
        #expect(try Qingling.run(["head", "--sign", "--log", log, "--private-key", key, "--output", signedHead]).status == 0)

        // Before the seal: a copy of everything; a copy made in the middle of 2024 (the rows
        // after a batch of 2024 removed, as if shipped then); a copy whose 2024 differs.
        let whole = try cluster.createDatabase("whole")
        let middle = try cluster.createDatabase("middle")
        let forged = try cluster.createDatabase("forged")
        for database in [whole, middle, forged] {
            let shipped = try Qingling.run(["ship", "--log", log, "--postgres", cluster.url(database: database), "--init", "--batches-per-transaction", "7"])
            #expect(shipped.status == 0, "\(shipped.stderr)")
        }
        try cluster.psql("""
            CREATE TEMPORARY TABLE cut AS SELECT base_sequence FROM qingling.batches WHERE year = 2024 ORDER BY base_sequence OFFSET 40 LIMIT 1;
            DELETE FROM qingling.batches WHERE base_sequence >= (SELECT base_sequence FROM cut);
            DELETE FROM qingling.events WHERE sequence >= (SELECT base_sequence FROM cut);
            DELETE FROM qingling.segments WHERE base_sequence > (SELECT base_sequence FROM cut);
            """, database: middle)
        #expect(try cluster.psql("SELECT count(*) FROM qingling.batches WHERE year = 2024", database: middle).hasPrefix("40\n"))
        try cluster.psql("UPDATE qingling.events SET hash = sha256(hash) WHERE sequence = 5", database: forged)

        let seal = try Qingling.run(["seal", "2024", "--log", log, "--private-key", key])
        #expect(seal.status == 0, "\(seal.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: log + "/segments").allSatisfy { !$0.hasPrefix("2024-") })

        // Both copies follow the seal; a fresh copy takes the archive as it is.
        let fresh = try cluster.createDatabase("fresh")
        for database in [whole, middle, fresh] {
            let shipped = try Qingling.run(["ship", "--log", log, "--postgres", cluster.url(database: database), "--init"])
            #expect(shipped.status == 0, "\(shipped.stdout)\(shipped.stderr)")
        }
        let expected = try Self.fingerprint(cluster, fresh, county: "430682")
        let fileList = "SELECT string_agg(path || ':' || encode(sha256, 'hex'), ',' ORDER BY path) FROM qingling.files"
        let files = try cluster.psql(fileList, database: fresh)
        #expect(files.contains("archive/2024/manifest.json:") && files.contains("archive/2024/chain.qllink:") && files.contains("signing.pub:"), "\(files)")
        for database in [whole, middle] {
            #expect(try Self.fingerprint(cluster, database, county: "430682") == expected)
            #expect(try cluster.psql(fileList, database: database) == files)
            #expect(try cluster.psql("SELECT count(*) FROM qingling.segments WHERE path LIKE 'segments/2024-%'", database: database).hasPrefix("0\n"))
        }
        // A copy of 2024 that the archive does not hold is refused, nothing written.
        let refused = try Qingling.run(["ship", "--log", log, "--postgres", cluster.url(database: forged)])
        #expect(refused.status == 5 && refused.stderr.contains("year 2024 was sealed since it was shipped"), "\(refused.stderr)")
        #expect(try cluster.psql("SELECT count(*) FROM qingling.segments WHERE path LIKE 'archive/%'", database: forged).hasPrefix("0\n"))

        // The copy made in the middle of 2024 restores the sealed log: the archive's files and
        // the segments byte for byte; it verifies, and against the head signed before the seal.
        let restored = scratch.child("restored")
        let restore = try Qingling.run(["restore", "--postgres", cluster.url(database: middle), "--county", "430682", "--into", restored])
        #expect(restore.status == 0, "\(restore.stderr)")
        let archive = Self.files(log, under: "archive")
        #expect(archive.keys.contains("archive/2024/manifest.sig"))
        #expect(Self.files(restored, under: "archive") == archive)
        #expect(try Self.segments(restored) == Self.segments(log))
        let verify = try Qingling.run(["verify", "--log", restored])
        #expect(verify.status == 0 && verify.stdout.contains("passed"), "\(verify.stdout)\(verify.stderr)")
        let head = try Qingling.run(["verify", "--head", signedHead, "--log", restored])
        #expect(head.status == 0 && head.stdout.contains("verify --head: passed"), "\(head.stdout)\(head.stderr)")
    }

    /// Polls `sql` (a count) until it prints `expected`, for at most 60 s; the last count.
    static func waitForCount(_ cluster: PostgresCluster, _ database: String, _ sql: String, _ expected: Int) -> Int {
        let deadline = Date().addingTimeInterval(60)
        var count = -1
        while Date() < deadline {
            // Until the shipper has created the schema, the query fails: no count yet.
            count = (try? cluster.psql(sql, database: database)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? -1
            if count == expected { break }
            usleep(100_000)
        }
        return count
    }

    @Test func followShipsWhatIsAppendedUntilStopped() throws {
        let cluster = try Self.cluster()
        let scratch = Scratch()
        let log = scratch.child("log")
        try Self.makeLog(log, hazards: 4)
        let followed = try cluster.createDatabase("followed")
        let follower = try ChildProcess(Qingling.binary, ["ship", "--log", log, "--postgres", cluster.url(database: followed), "--init", "--follow", "--interval", "0.2"],
                                        standardOutput: .file(scratch.child("follow.out")), standardError: .file(scratch.child("follow.err")))
        defer {
            follower.send(SIGKILL)
            follower.wait()
        }
        let count = "SELECT count(*) FROM qingling.events WHERE county = '430682'"
        let events = try Self.eventCount(log)
        #expect(Self.waitForCount(cluster, followed, count, events) == events)

        // The county's writer goes on beside the follower (which takes no lock).
        let more = try Qingling.run(["generate", "--seed", "98", "--hazards-per-year", "2", "--first-year", "2026", "--last-year", "2026"])
        #expect(try Qingling.run(["append", "--log", log, "-"], input: more.stdout).status == 0)
        let grown = try Self.eventCount(log)
        #expect(grown > events)
        #expect(Self.waitForCount(cluster, followed, count, grown) == grown)
        // The county seals 2024 under the follower's feet: the copy follows the archive.
        let key = scratch.child("signing-key")
        #expect(try Qingling.run(["keygen", "--log", log, "--private-key", key]).status == 0)
        #expect(try Qingling.run(["seal", "2024", "--log", log, "--private-key", key]).status == 0)
        #expect(Self.waitForCount(cluster, followed, "SELECT count(*) FROM qingling.files WHERE path = 'archive/2024/manifest.json'", 1) == 1)
        #expect(try cluster.psql("SELECT count(*) FROM qingling.segments WHERE path LIKE 'segments/2024-%'", database: followed).hasPrefix("0\n"))
        #expect(follower.isRunning)
        follower.send(SIGTERM)
        #expect(follower.wait() == 128 + SIGTERM)
        let output = try String(contentsOfFile: scratch.child("follow.out"), encoding: .utf8)
        #expect(output.contains("county 430682: \(events) events") && output.contains("county 430682: \(grown - events) events"), "\(output)")

        // What it left is what one run after the growth writes.
        let once = try cluster.createDatabase("once")
        #expect(try Qingling.run(["ship", "--log", log, "--postgres", cluster.url(database: once), "--init"]).status == 0)
        #expect(try Self.fingerprint(cluster, followed, county: "430682") == Self.fingerprint(cluster, once, county: "430682"))
    }

    @Test func aConnectionIsEncryptedAndItsServerCheckedAsTheURLAsks() throws {
        let cluster = try Self.cluster()
        let role = "tls_" + UUID().uuidString.prefix(8).lowercased()
        try cluster.createTLSOnlyRole(role, password: "tls only")
        let database = try cluster.createDatabase("tls")
        let scratch = Scratch()
        let log = scratch.child("log")
        try Self.makeLog(log, hazards: 2)
        func ship(_ parameters: String, host: String = "localhost") throws -> Qingling.Output {
            try Qingling.run(["ship", "--log", log, "--init", "--postgres", "postgres://\(role):tls%20only@\(host):\(cluster.port)/\(database)?\(parameters)"])
        }
        // A server that takes this account only over TLS refuses a plain connection.
        let plain = try ship("sslmode=disable")
        #expect(plain.status == 4 && plain.stderr.contains("no encryption"), "\(plain.stderr)")
        // Another authority's certificate is not the server's.
        let stranger = scratch.child("stranger.crt")
        _ = try ChildProcess.run("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                                                      "-keyout", scratch.child("stranger.key"), "-out", stranger])
        let wrongAuthority = try ship("sslmode=verify-full&sslrootcert=\(stranger)")
        #expect(wrongAuthority.status == 4 && wrongAuthority.stderr.contains("TLS failed"), "\(wrongAuthority.stderr)")
        #expect(try cluster.psql("SELECT count(*) FROM pg_namespace WHERE nspname = 'qingling'", database: database).hasPrefix("0"))
        // Checked against its own certificate, by its name: shipped.
        let verified = try ship("sslmode=verify-full&sslrootcert=\(cluster.certificate)")
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(try Qingling.run(["ship", "--log", log, "--postgres", "postgres://\(role):tls%20only@localhost:\(cluster.port)/\(database)?sslmode=require"]).status == 0)
        // Parameters that mean nothing, or a file that is not there, are bad input.
        #expect(try ship("sslmode=sometimes").status == 2)
        #expect(try ship("sslmode=verify-full&sslrootcert=\(scratch.child("absent.crt"))").status == 2)
        #expect(try ship("sslmode=require&sslrootcert=\(cluster.certificate)").status == 2)
        #expect(try ship("application_name=x").status == 2)
    }

    /// A log of 30 hazards a year shipped once, uninterrupted, into a database of its own: the
    /// cluster, the scratch directory holding the log, the log, and that database's fingerprint.
    static func shippedOnce() throws -> (PostgresCluster, Scratch, String, String) {
        let cluster = try Self.cluster()
        let scratch = Scratch()
        let log = scratch.child("log")
        try Self.makeLog(log, hazards: 30)
        let whole = try cluster.createDatabase("whole")
        #expect(try Qingling.run(["ship", "--log", log, "--postgres", cluster.url(database: whole), "--init"]).status == 0)
        return (cluster, scratch, log, try Self.fingerprint(cluster, whole, county: "430682"))
    }

    @Test func shippingKilledAtRandomMomentsEndsAsOneUninterruptedRun() throws {
        let (cluster, scratch, log, expected) = try Self.shippedOnce()
        defer { withExtendedLifetime(scratch) {} }  // the log lives in it

        let killed = try cluster.createDatabase("killed")
        let url = cluster.url(database: killed)
        var generator = SplitMix(state: 27)
        var interrupted = 0
        for round in 0..<6 {
            let process = try ChildProcess(Qingling.binary, ["ship", "--log", log, "--postgres", url, "--init", "--batches-per-transaction", "1"])
            usleep(UInt32(100_000 + generator.next() % 400_000))
            if process.isRunning {
                process.send(SIGKILL)
                interrupted += 1
            }
            process.wait()
            _ = round
        }
        let last = try Qingling.run(["ship", "--log", log, "--postgres", url, "--init"])
        #expect(last.status == 0, "\(last.stderr)")
        #expect(interrupted > 0)
        #expect(try Self.fingerprint(cluster, killed, county: "430682") == expected)
    }

    @Test func aConnectionDroppedMidTransactionIsReconnectedAndResumed() throws {
        let (cluster, scratch, log, expected) = try Self.shippedOnce()
        let dropped = try cluster.createDatabase("dropped")
        #expect(try Qingling.run(["ship", "--log", log, "--postgres", cluster.url(database: dropped), "--init", "--batches-per-transaction", "1000000"]).status == 0)
        try cluster.psql("DELETE FROM qingling.events; DELETE FROM qingling.batches; DELETE FROM qingling.hazards; DELETE FROM qingling.segments", database: dropped)

        // The server ends the shipper's backend while it writes (one transaction of everything).
        let output = scratch.child("ship.err")
        let process = try ChildProcess(Qingling.binary, ["ship", "--log", log, "--postgres", cluster.url(database: dropped), "--batches-per-transaction", "1000000"],
                                       environment: ["QINGLING_LANG": "en"], standardError: .file(output))
        defer {
            process.send(SIGKILL)
            process.wait()
        }
        var terminated = 0
        // The shipper must notice: a client that waited forever on a closed connection once held CI.
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning {
            guard Date() < deadline else {
                process.send(SIGKILL)
                Issue.record("ship did not end within 120 s of its connection being ended")
                break
            }
            if terminated == 0 {
                let ended = try cluster.psql("""
                    SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                    WHERE datname = '\(dropped)' AND pid <> pg_backend_pid() AND state <> 'idle'
                    """, database: "postgres")
                terminated += Int(ended.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            }
            usleep(2_000)
        }
        let status = process.wait()
        let message = String(decoding: FileManager.default.contents(atPath: output) ?? Data(), as: UTF8.self)
        #expect(status == 0, "\(message)")
        if terminated > 0 {
            #expect(message.contains("the connection to PostgreSQL was lost") && message.contains("connecting again in"), "\(message)")
        }
        // Shipping times aside, the same rows as one uninterrupted run.
        #expect(try Self.fingerprint(cluster, dropped, county: "430682") == expected)
    }

    static let figureKeys = ["stock", "new", "closed", "closedOnTime", "openAtEnd", "overdueAtEnd", "stockClosed", "extensions", "failedVerifications"]
    static let figureColumns = "stock, new, closed, closed_on_time, open_at_end, overdue_at_end, stock_closed, extensions, failed_verifications"

    /// `qingling stats PERIOD --by both --format json` as "region|industry" → figures, and its total under "".
    static func statsFigures(_ log: String, first: String, last: String, reference: String?) throws -> [String: [Int]] {
        var arguments = ["stats", "\(first)..\(last)", "--as-of", "2099-12-31", "--by", "both", "--format", "json", "--log", log]
        if let reference { arguments += ["--reference", reference] }
        let stats = try Qingling.run(arguments)
        #expect(stats.status == 0, "\(stats.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])
        var figures: [String: [Int]] = [:]
        for row in object["rows"] as? [[String: Any]] ?? [] {
            figures["\(row["region"] ?? "")|\(row["industry"] ?? "")"] = figureKeys.map { row[$0] as? Int ?? -1 }
        }
        let total = try #require(object["total"] as? [String: Any])
        figures[""] = figureKeys.map { total[$0] as? Int ?? -1 }
        return figures
    }

    /// `qingling.clearance_statistics` for one county, in the same shape.
    static func sqlFigures(_ cluster: PostgresCluster, _ database: String, county: String, first: String, last: String) throws -> [String: [Int]] {
        let output = try cluster.psql("""
            SELECT coalesce(region || '|' || industry, ''), \(figureColumns)
            FROM qingling.clearance_statistics('\(first)', '\(last)') WHERE county = '\(county)'
            """, database: database)
        var figures: [String: [Int]] = [:]
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 9 else { continue }
            let key = fields.count == 11 ? fields[0] + "|" + fields[1] : fields[0]
            figures[key] = fields.suffix(9).map { Int($0) ?? -1 }
        }
        return figures
    }

    @Test func theSQLStatisticsOfEachCountyAreThoseOfQinglingStats() throws {
        let cluster = try Self.cluster()
        let database = try cluster.createDatabase("stats")
        let url = cluster.url(database: database)
        let scratch = Scratch()
        let referenceText = try String(contentsOfFile: ArchiveCLITests.repository + "/tools/reference/linxiang.json", encoding: .utf8)
        let reference = scratch.child("yueyang.json")
        try referenceText.replacingOccurrences(of: "\"430682\"", with: "\"430621\"").replacingOccurrences(of: "\"临湘市\"", with: "\"岳阳县\"")
            .write(toFile: reference, atomically: false, encoding: .utf8)
        let counties: [(code: String, log: String, reference: String?)] = [("430682", scratch.child("linxiang"), nil), ("430621", scratch.child("yueyang"), reference)]
        for (index, county) in counties.enumerated() {
            try Self.makeLog(county.log, hazards: 40, seed: 11 + index, reference: county.reference)
            var ship = ["ship", "--log", county.log, "--postgres", url, "--init", "--county", county.code]
            if let reference = county.reference { ship += ["--reference", reference] }
            let shipped = try Qingling.run(ship)
            #expect(shipped.status == 0, "\(shipped.stderr)")
        }
        for county in counties {
            for (first, last) in [("2025-01-01", "2025-12-31"), ("2024-04-01", "2024-06-30"), ("2024-11-15", "2025-02-10")] {
                let expected = try Self.statsFigures(county.log, first: first, last: last, reference: county.reference)
                #expect(expected.count > 3 && expected[""]?.reduce(0, +) ?? 0 > 0)
                let actual = try Self.sqlFigures(cluster, database, county: county.code, first: first, last: last)
                #expect(actual == expected, "county \(county.code), \(first)..\(last)")
            }
        }
        // The province's total is the sum of the counties'.
        let province = try cluster.psql("SELECT \(Self.figureColumns.replacingOccurrences(of: ", ", with: " || ',' || ")) FROM qingling.clearance_statistics('2025-01-01', '2025-12-31') WHERE county IS NULL", database: database)
        let sums = try counties.map { try Self.statsFigures($0.log, first: "2025-01-01", last: "2025-12-31", reference: $0.reference)[""] ?? [] }
        #expect(province.trimmingCharacters(in: .whitespacesAndNewlines) == zip(sums[0], sums[1]).map { String($0 + $1) }.joined(separator: ","))
    }
}
