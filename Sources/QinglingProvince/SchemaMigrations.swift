import Foundation
import PostgresNIO

/// The `qingling` schema's versions: the files `schemas/postgres/NNNN-name.sql`, applied in
/// order, each in one transaction with its row in `qingling.schema_version`.
public enum SchemaMigrations {
    /// One version of the schema.
    public struct Migration: Sendable {
        public let version: Int
        public let name: String
        public let sql: String
    }

    /// Every migration this program knows, in version order.
    public static func all() throws(ProvinceError) -> [Migration] {
        let directory = try schemaDirectory()
        let files: [String]
        do { files = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
            throw .log("cannot list the schema files in \(directory): \(error.localizedDescription)")
        }
        var migrations: [Migration] = []
        for file in files.sorted() where file.hasSuffix(".sql") {
            guard let dash = file.firstIndex(of: "-"), let version = Int(file[..<dash]) else { continue }
            guard let sql = try? String(contentsOfFile: directory + "/" + file, encoding: .utf8) else {
                throw .log("cannot read the schema file \(directory)/\(file)")
            }
            migrations.append(Migration(version: version, name: String(file.dropLast(4)), sql: sql))
        }
        guard migrations.map(\.version) == Array(1...max(1, migrations.count)) else {
            throw .log("the schema files in \(directory) are not numbered 0001, 0002, … without gaps")
        }
        return migrations
    }

    /// The newest version this program knows.
    public static func latestVersion() throws(ProvinceError) -> Int { try all().last?.version ?? 0 }

    /// The database's schema version; `nil` when it has no `qingling` schema.
    static func installedVersion(_ database: ProvinceDatabase) async throws(ProvinceError) -> Int? {
        let rows = try await database.run("SELECT to_regclass('qingling.schema_version') IS NOT NULL", during: "reading the schema version")
        guard let exists = try? rows.first?.decode(Bool.self), exists else { return nil }
        let versions = try await database.run("SELECT coalesce(max(version), 0) FROM qingling.schema_version", during: "reading the schema version")
        return (try? versions.first?.decode(Int.self)) ?? 0
    }

    /// Checks the database holds the schema this program writes (`--init` to create it).
    static func check(_ database: ProvinceDatabase) async throws(ProvinceError) {
        let latest = try latestVersion()
        guard let installed = try await installedVersion(database), installed > 0 else {
            throw .noSchema(address: database.location.address)
        }
        if installed > latest { throw .schemaTooNew(found: installed, known: latest) }
        if installed < latest {
            throw .server(during: "checking the schema", reason: "the database's qingling schema is version \(installed), this program's is \(latest); run again with --init to migrate it")
        }
    }

    /// Creates the schema or brings it to the latest version; returns the versions applied.
    /// Safe to repeat, and to run from two places at once (an advisory lock orders them).
    @discardableResult
    public static func migrate(_ database: ProvinceDatabase) async throws(ProvinceError) -> [Int] {
        let migrations = try all()
        return try await database.transaction(during: "migrating the schema") { database throws(ProvinceError) in
            try await database.run("SELECT pg_advisory_xact_lock(hashtext('qingling.schema'))", during: "migrating the schema")
            try await database.run("CREATE SCHEMA IF NOT EXISTS qingling", during: "creating the schema")
            try await database.run("""
                CREATE TABLE IF NOT EXISTS qingling.schema_version (
                    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
                """, during: "creating the schema")
            // A migration file holds several statements: run as one by PL/pgSQL's EXECUTE.
            try await database.run("""
                CREATE OR REPLACE FUNCTION pg_temp.qingling_apply(statements text) RETURNS void
                LANGUAGE plpgsql AS $$ BEGIN EXECUTE statements; END $$
                """, during: "migrating the schema")
            let installed = try await installedVersion(database) ?? 0
            let latest = migrations.last?.version ?? 0
            if installed > latest { throw .schemaTooNew(found: installed, known: latest) }
            var applied: [Int] = []
            for migration in migrations where migration.version > installed {
                try await database.run("SELECT pg_temp.qingling_apply(\(migration.sql))", during: "applying schema version \(migration.version) (\(migration.name))")
                try await database.run("INSERT INTO qingling.schema_version (version, name) VALUES (\(migration.version), \(migration.name))",
                                       during: "recording schema version \(migration.version)")
                applied.append(migration.version)
            }
            return applied
        }
    }

    /// Where the schema files are: beside the running binary (SwiftPM's resource folder, as
    /// `Bundle.module` looks, without its crash when absent), else the source tree.
    static func schemaDirectory() throws(ProvinceError) -> String {
        let bundle = "qingling_QinglingProvince.resources/Schema"
        var candidates = [Bundle.main.bundleURL.appendingPathComponent(bundle).path]
        if let executable = Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent(bundle).path {
            candidates.append(executable)
        }
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Schema").path)
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate) { return candidate }
        throw .log("the schema files are missing (searched \(candidates.joined(separator: ", "))); reinstall qingling with its qingling_QinglingProvince.resources directory beside the binary")
    }
}
