import Foundation

/// What a user would do instead: load the events into SQLite with the `sqlite3` tool (WAL,
/// `synchronous=FULL`, one row per event holding its JSON, 1,000 rows per transaction). The
/// columns table and the statistics' SQL are peers/sqlite_peer.py's; run.sh times the queries.
enum SQLiteMeasures {
    /// Loads the JSON Lines into a new database at `database`; prints the insert time and the
    /// database's size.
    static func load(jsonLines: String, database: String) throws {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
        guard let input = FileHandle(forReadingAtPath: jsonLines) else { throw BenchError("cannot read \(jsonLines)") }
        var rows = 0
        // The SQL text is made from the JSON Lines while sqlite3 reads it, so the time includes
        // making it (escaping quotes; small beside sqlite3's own work).
        let insert = try seconds {
            try runProgram("/usr/bin/sqlite3", [database]) { pipe in
                try pipe.write(contentsOf: Data("""
                    PRAGMA journal_mode=WAL;
                    PRAGMA synchronous=FULL;
                    CREATE TABLE events(seq INTEGER PRIMARY KEY, json TEXT NOT NULL);

                    """.utf8))
                var sql = [UInt8]()
                try JSONLines.forEachLine(input) { line in
                    if rows % 1_000 == 0 { sql += Array("BEGIN;\n".utf8) }
                    sql += Array("INSERT INTO events(json) VALUES('".utf8)
                    for byte in line {
                        if byte == UInt8(ascii: "'") { sql.append(byte) }
                        sql.append(byte)
                    }
                    sql += Array("');\n".utf8)
                    rows += 1
                    if rows % 1_000 == 0 {
                        sql += Array("COMMIT;\n".utf8)
                        try pipe.write(contentsOf: sql)
                        sql.removeAll(keepingCapacity: true)
                    }
                }
                if rows % 1_000 != 0 { sql += Array("COMMIT;\n".utf8) }
                sql += Array("PRAGMA wal_checkpoint(TRUNCATE);\n".utf8)
                try pipe.write(contentsOf: sql)
            }
        }
        result("sqlite_insert_seconds", insert)
        result("sqlite_insert_events_per_second", Double(rows) / insert)
        result("sqlite_bytes", Double(diskBytes(database) + diskBytes(database + "-wal")))
        note("sqlite3: \(rows) rows inserted in \(String(format: "%.1f", insert)) s")
    }
}
