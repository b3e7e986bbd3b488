import Foundation

/// What a user would do instead: load the events into SQLite with the `sqlite3` tool (WAL,
/// `synchronous=FULL`, one row per event holding its JSON, 1,000 rows per transaction) and
/// compute the clearance statistics with SQL.
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

    /// Computes the clearance statistics with SQL on a database `load` made, writes them sorted to
    /// `statisticsOutput`, and prints the query's time.
    static func query(database: String, statisticsOutput: String) throws {
        let queryPath = database + ".query.sql"
        try (".mode tabs\n" + clearanceQuery(start: "2025-01-01", end: "2025-12-31")).write(toFile: queryPath, atomically: true, encoding: .utf8)
        let unsorted = statisticsOutput + ".unsorted"
        let query = try seconds { try runProgram("/usr/bin/sqlite3", ["-readonly", database], input: queryPath, output: unsorted) }
        let lines = try String(contentsOfFile: unsorted, encoding: .utf8).split(separator: "\n").map(String.init).sorted()
        try (lines.joined(separator: "\n") + "\n").write(toFile: statisticsOutput, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: unsorted)
        try FileManager.default.removeItem(atPath: queryPath)
        result("sqlite_statistics_seconds", query)
        note("sqlite3: clearance statistics in \(String(format: "%.1f", query)) s")
    }

    /// Stock, new, closed, open and overdue by region and industry for [start, end], with the
    /// definitions of docs/analyst-guide.md: withdrawn hazards left out; a hazard's state at a
    /// date is that of its last lifecycle event on or before the date; the deadline in force is
    /// the last one set on or before the end; overdue means open with that deadline before the end.
    static func clearanceQuery(start: String, end: String) -> String {
        """
        WITH ev AS MATERIALIZED (
          SELECT seq,
                 json_extract(json, '$.type') AS type,
                 substr(json_extract(json, '$.occurredAt'), 1, 10) AS day,
                 json_extract(json, '$.data.hazardId') AS hazard,
                 coalesce(json_extract(json, '$.data.deadline'), json_extract(json, '$.data.newDeadline')) AS deadline,
                 json_extract(json, '$.data.region') AS region,
                 json_extract(json, '$.data.industry') AS industry,
                 json_extract(json, '$.data.discoveredOn') AS discovered
          FROM events
          WHERE json_extract(json, '$.data.hazardId') IS NOT NULL
        ),
        life AS MATERIALIZED (
          SELECT * FROM ev WHERE type IN ('HazardSupervised', 'DeadlineExtended', 'HazardRectified',
                                          'HazardVerified', 'HazardClosed', 'HazardReopened')
        ),
        hz AS (
          SELECT hazard, region, industry, discovered FROM ev
          WHERE type = 'HazardReported'
            AND hazard NOT IN (SELECT hazard FROM ev WHERE type = 'HazardWithdrawn')
        ),
        at_start AS (SELECT hazard, type, max(seq) FROM life WHERE day < '\(start)' GROUP BY hazard),
        at_end AS (SELECT hazard, type, max(seq) FROM life WHERE day <= '\(end)' GROUP BY hazard),
        deadline_at_end AS (SELECT hazard, deadline, max(seq) FROM life WHERE deadline IS NOT NULL AND day <= '\(end)' GROUP BY hazard),
        closed_in AS (SELECT hazard, count(*) AS n FROM life WHERE type = 'HazardClosed' AND day BETWEEN '\(start)' AND '\(end)' GROUP BY hazard)
        SELECT hz.region, hz.industry,
               sum(hz.discovered < '\(start)' AND coalesce(s.type, '') <> 'HazardClosed'),
               sum(hz.discovered BETWEEN '\(start)' AND '\(end)'),
               sum(coalesce(c.n, 0)),
               sum(hz.discovered <= '\(end)' AND coalesce(e.type, '') <> 'HazardClosed'),
               sum(hz.discovered <= '\(end)' AND coalesce(e.type, '') <> 'HazardClosed' AND coalesce(d.deadline < '\(end)', 0))
        FROM hz
        LEFT JOIN at_start s ON s.hazard = hz.hazard
        LEFT JOIN at_end e ON e.hazard = hz.hazard
        LEFT JOIN deadline_at_end d ON d.hazard = hz.hazard
        LEFT JOIN closed_in c ON c.hazard = hz.hazard
        GROUP BY hz.region, hz.industry;

        """
    }
}
