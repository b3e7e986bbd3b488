import Foundation
import PostgresNIO
import QinglingEvents
import QinglingLog
import QinglingWorkflow

/// What one shipping run wrote.
public struct ShipReport: Equatable, Sendable {
    public var transactions = 0
    public var batches = 0
    public var events = 0
    /// Bytes of batches (headers and payloads) copied.
    public var bytes = 0
    /// The sequence after the last event the database holds for the county.
    public var nextSequence: UInt64 = 0

    public init() {}

    /// Counts a group written.
    mutating func add(_ group: ShipGroup) {
        transactions += 1
        batches += group.batches.count
        events += group.batches.reduce(0) { $0 + $1.records.count { $0.sequence >= group.eventsFrom } }
        bytes += group.batches.reduce(0) { $0 + $1.bytes.count }
        nextSequence = max(nextSequence, group.batches.last?.header.nextSequence ?? 0)
    }
}

/// Ships one county's log into the province's database (`qingling ship`): the physical copy
/// (`qingling.segments`, `qingling.batches`) and the logical one (`qingling.events`,
/// `qingling.hazards`), resuming after the last batch the database holds, in transactions
/// of whole appends.
public final class CountyShipper {
    public let county: String
    let countyName: String
    let database: ProvinceDatabase
    let reader: LogReader
    /// Batches per transaction, at most (a transaction ends at an append's last batch).
    let batchesPerTransaction: Int
    /// Events after which a transaction ends at the next append's end: a large county's
    /// day-long appends make a few hundred batches hundreds of thousands of events, held in
    /// memory as COPY rows until the transaction is written.
    let eventsPerTransaction: Int
    var hazards = CountyHazards()
    /// The sync marks after each segment's last batch the database holds, so that a look at
    /// the log that finds nothing new writes nothing.
    private var trailingWritten: [String: [UInt8]] = [:]
    /// The sealed years whose files this run has found in the copy (they never change).
    var sealedYearsWithFiles: Set<Int> = []

    /// Opens the log for reading and checks the county code against the reference data.
    public init(logDirectory: String, database: ProvinceDatabase, county: String?, reference: ReferenceData,
                batchesPerTransaction: Int = 512, eventsPerTransaction: Int = 50_000) throws(ProvinceError) {
        let code = county ?? reference.divisionCode
        guard code == reference.divisionCode else {
            throw .unknownCounty(code: code, known: reference.divisionCode, name: reference.county)
        }
        do { reader = try LogReader(directory: logDirectory) } catch { throw .log("\(error)") }
        self.county = code
        self.countyName = reference.county
        self.database = database
        self.batchesPerTransaction = max(1, batchesPerTransaction)
        self.eventsPerTransaction = max(1, eventsPerTransaction)
    }

    /// Ships everything the log holds beyond the copy; returns what was written.
    public func ship() async throws(ProvinceError) -> ShipReport {
        try await SchemaMigrations.check(database)
        try await register()
        try await readMarksAfter()
        var report = ShipReport()
        try await replaceSealedYears(into: &report)
        while true {
            let end = try await copyEnd()
            let position = end?.position
            report.nextSequence = end?.nextSequence ?? 0
            if let position {
                let held: Bool
                do { held = try reader.holds(position) } catch { throw .log("\(error)") }
                guard held else {
                    // A year sealed since the run began took the copy's last batch into its archive.
                    if try await replaceSealedYears(into: &report) { continue }
                    throw .logReplaced(county: county, reason: "the copy ends with the batch at sequence \(position.baseSequence) in \(Self.path(of: position.segment)), which the log no longer holds as copied")
                }
            }
            try foldHazards(through: end?.nextSequence ?? 0)
            let group = try walk(after: position)
            guard group.hasNews(besides: trailingWritten) else {
                try await shipFiles()
                return report
            }
            guard try await write(group, after: position) else { continue }
            report.add(group)
            if !group.reachedEnd { continue }
            try await shipFiles()
            return report
        }
    }

    // MARK: - The county

    /// Records the county and its log's identity (`log.meta`); a county shipped before from
    /// another log (another `log.meta`) is refused.
    private func register() async throws(ProvinceError) {
        let meta: [UInt8]
        do {
            meta = Array(try Data(contentsOf: URL(fileURLWithPath: reader.layout.metadata)))
        } catch {
            throw .log("cannot read \(reader.layout.metadata): \(error.localizedDescription)")
        }
        try await database.run("""
            INSERT INTO qingling.counties (county, name, log_meta) VALUES (\(county), \(countyName), \(ByteBuffer(bytes: meta)))
            ON CONFLICT (county) DO NOTHING
            """, during: "registering county \(county)")
        for step in LifecycleStep.allCases {
            let transition = step.transition
            try await database.run("""
                INSERT INTO qingling.lifecycle_steps (step, to_status, sets_deadline)
                VALUES (\("\(step)"), \(transition.to?.rawValue), \(transition.setsDeadline))
                ON CONFLICT (step) DO UPDATE SET to_status = EXCLUDED.to_status, sets_deadline = EXCLUDED.sets_deadline
                """, during: "writing the lifecycle's table")
        }
        let rows = try await database.run("SELECT log_meta FROM qingling.counties WHERE county = \(county)", during: "registering county \(county)")
        guard let stored = try? rows.first?.decode(ByteBuffer.self), Array(stored.readableBytesView) == meta else {
            throw .logReplaced(county: county, reason: "its log.meta differs from the one shipped before (another log, created at another time)")
        }
    }

    /// The sync marks after each segment's last batch as the database holds them.
    private func readMarksAfter() async throws(ProvinceError) {
        let rows = try await database.run("SELECT path, marks_after FROM qingling.segments WHERE county = \(county)",
                                          during: "reading the segments of county \(county)")
        for row in rows {
            if let (path, marks) = try? row.decode((String, ByteBuffer).self) { trailingWritten[path] = Array(marks.readableBytesView) }
        }
    }

    /// The last batch the database holds for the county, and the sequence after it.
    func copyEnd() async throws(ProvinceError) -> (position: StoredPosition, nextSequence: UInt64)? {
        let rows = try await database.run("""
            SELECT path, "offset", base_sequence, record_count, hash FROM qingling.batches WHERE county = \(county)
            ORDER BY base_sequence DESC LIMIT 1
            """, during: "reading where the copy of county \(county) ends")
        guard let row = rows.first else { return nil }
        guard let (path, offset, base, count, hash) = try? row.decode((String, Int64, Int64, Int32, ByteBuffer).self),
              let segment = Self.segmentName(path), base >= 0, count > 0 else {
            throw .damagedCopy(county: county, reason: "its last batch row is not readable")
        }
        let position = StoredPosition(segment: segment, offset: offset, baseSequence: UInt64(base), hash: Array(hash.readableBytesView))
        return (position, UInt64(base) + UInt64(count))
    }

    /// `segments/2024-….qlseg` or `archive/2024/2024-….qlseg` as a segment name.
    static func segmentName(_ path: String) -> SegmentName? {
        let parts = path.split(separator: "/")
        guard let file = parts.last, var name = SegmentName(fileName: String(file)) else { return nil }
        name.sealed = parts.first == "archive"
        return name
    }

    static func path(of name: SegmentName) -> String {
        (name.sealed ? "archive/\(name.year)/" : "segments/") + name.fileName
    }

    // MARK: - Reading the log

    /// Folds the log's events before the copy's end, once, so that hazards changed later are
    /// written as the whole log leaves them.
    func foldHazards(through end: UInt64) throws(ProvinceError) {
        guard hazards.foldedThrough < end else { return }
        do {
            try reader.forEach(in: hazards.foldedThrough..<end) { record throws(LogError) in
                if let stored = try? Self.decode(record) { hazards.apply(stored) }
            }
        } catch {
            throw .log("\(error)")
        }
    }

    /// The pieces after `position`, up to `batchesPerTransaction` batches or the append that
    /// reaches `eventsPerTransaction` events, ending after an append's last batch.
    private func walk(after position: StoredPosition?) throws(ProvinceError) -> ShipGroup {
        var group = ShipGroup()
        var events = 0
        var full = false
        let (limit, eventLimit) = (batchesPerTransaction, eventsPerTransaction)
        do {
            try reader.forEachStoredPiece(after: position) { piece throws(LogError) in
                switch piece {
                case let .segment(name, header): group.segments.append((name, header))
                case .batch(let batch):
                    group.batches.append(batch)
                    events += batch.records.count
                case let .segmentEnd(name, trailing, _): group.ends.append((name, trailing))
                }
                if case .batch(let batch) = piece, group.batches.count >= limit || events >= eventLimit, !batch.header.continues {
                    full = true
                    return false
                }
                return true
            }
        } catch {
            throw .log("\(error)")
        }
        group.reachedEnd = !full
        return group
    }

    static func decode(_ record: LogRecord) throws -> StoredEvent {
        let event = try EventBinaryCodec.decode(record.payload)
        return StoredEvent(sequence: record.sequence, recordedAt: ShanghaiDateTime(microseconds: record.recordedAt),
                           event: event, hash: Ledger.digest(ofStoredBytes: record.payload))
    }

    // MARK: - Writing

    /// Writes one group in one transaction; `false` when the copy moved meanwhile (another
    /// shipper of the same county), so nothing was written and the caller reads again.
    func write(_ group: ShipGroup, after position: StoredPosition?) async throws(ProvinceError) -> Bool {
        var folded = hazards
        var changed: [String] = []
        var seen: Set<String> = []
        var batchRows = CopyRows()
        var eventRows = CopyRows()
        var years: Set<Int> = Set(group.segments.map { $0.0.year })
        for batch in group.batches {
            let year = batch.segment.year
            years.insert(year)
            batchRows.text(county)
            batchRows.integer(year)
            batchRows.integer(batch.header.baseSequence)
            batchRows.integer(batch.header.recordCount)
            batchRows.text(Self.path(of: batch.segment))
            batchRows.integer(batch.offset)
            batchRows.bytea(batch.leading)
            batchRows.bytea(batch.bytes)
            batchRows.bytea(batch.hash)
            batchRows.endRow()
            for record in batch.records where record.sequence >= group.eventsFrom {
                let stored: StoredEvent
                do { stored = try Self.decode(record) } catch {
                    throw .log("\(reader.layout.directory): the event at sequence \(record.sequence) does not decode: \(error)")
                }
                if let id = folded.apply(stored), seen.insert(id).inserted { changed.append(id) }
                let hazardId = stored.event.body.hazardId
                let report = hazardId.flatMap { folded.report($0) }
                var json: [UInt8] = []
                EventJSONEncoder.write(stored, to: &json)
                eventRows.text(county)
                eventRows.integer(year)
                eventRows.integer(stored.sequence)
                eventRows.text(stored.event.type.rawValue)
                eventRows.text(stored.event.occurredAt.description)
                eventRows.text(stored.recordedAt.description)
                eventRows.text(hazardId)
                eventRows.text(report?.region)
                eventRows.text(report?.industry)
                let step = stored.event.body.lifecycleStep
                eventRows.text(step.map { "\($0.step)" })
                eventRows.text(step?.deadline?.description)
                eventRows.escaped(utf8: json)
                eventRows.bytea(stored.hash)
                eventRows.endRow()
            }
        }
        let hazardRows = Self.hazardRows(county: county, changed, in: folded)
        let county = self.county
        let during = "shipping county \(county) from sequence \(group.batches.first?.header.baseSequence ?? 0)"
        let moved = try await database.transaction(during: during) { database throws(ProvinceError) -> Bool in
            try await database.run("SELECT pg_advisory_xact_lock(hashtext('qingling.ship.' || \(county)))", during: during)
            guard try await self.copyEnd()?.position == position else { return true }
            if let year = group.replacingYear {
                try await database.run("DELETE FROM qingling.batches WHERE county = \(county) AND year = \(year)", during: during)
                try await database.run("DELETE FROM qingling.segments WHERE county = \(county) AND year = \(year)", during: during)
            }
            // COPY names its table unqualified (the client quotes it whole): the schema is found by the path.
            try await database.run("SET LOCAL search_path = qingling", during: during)
            for year in years.sorted() {
                try await database.run("SELECT qingling.ensure_partitions(\(county), \(year)::integer)", during: during)
            }
            for (name, header) in group.segments {
                try await database.run("""
                    INSERT INTO qingling.segments (county, path, year, base_sequence, header, marks_after)
                    VALUES (\(county), \(Self.path(of: name)), \(name.year), \(Int64(name.baseSequence)), \(ByteBuffer(bytes: header)), ''::bytea)
                    ON CONFLICT (county, path) DO NOTHING
                    """, during: during)
            }
            for (name, trailing) in group.ends {
                try await database.run("""
                    UPDATE qingling.segments SET marks_after = \(ByteBuffer(bytes: trailing))
                    WHERE county = \(county) AND path = \(Self.path(of: name))
                    """, during: during)
            }
            try await database.copy(into: "batches",
                                    columns: ["county", "year", "base_sequence", "record_count", "path", "offset", "marks_before", "bytes", "hash"],
                                    rows: batchRows.bytes, during: during)
            try await database.copy(into: "events",
                                    columns: ["county", "year", "sequence", "type", "occurred_at", "recorded_at", "hazard_id", "region", "industry",
                                              "step", "step_deadline", "event", "hash"],
                                    rows: eventRows.bytes, during: during)
            if !hazardRows.isEmpty {
                try await database.run("CREATE TEMPORARY TABLE IF NOT EXISTS hazard_changes (LIKE qingling.hazards) ON COMMIT DELETE ROWS", during: during)
                try await database.copy(into: "hazard_changes", columns: Self.hazardColumns, rows: hazardRows.bytes, during: during)
                let assignments = Self.hazardColumns.dropFirst(2).map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", ")
                try await database.run(PostgresQuery(unsafeSQL: """
                    INSERT INTO qingling.hazards SELECT * FROM hazard_changes
                    ON CONFLICT (county, hazard_id) DO UPDATE SET \(assignments)
                    """), during: during)
            }
            try await database.run("UPDATE qingling.counties SET last_shipped = now() WHERE county = \(county)", during: during)
            return false
        }
        if moved { return false }
        hazards = folded
        for (name, trailing) in group.ends { trailingWritten[Self.path(of: name)] = trailing }
        return true
    }

    static let hazardColumns = ["county", "hazard_id", "region", "industry", "status", "deadline", "lead_department", "supervision",
                                "reported_on", "last_step", "last_step_on", "version", "last_sequence"]

    static func hazardRows(county: String, _ ids: [String], in hazards: CountyHazards) -> CopyRows {
        var rows = CopyRows()
        for id in ids {
            guard let record = hazards.records[id] else { continue }
            rows.text(county)
            rows.text(id)
            rows.text(record.report.region)
            rows.text(record.report.industry)
            rows.text(record.status.rawValue)
            rows.text(record.deadline?.description)
            rows.text(record.leadDepartmentId)
            rows.text(record.supervision?.supervisionLevel.rawValue)
            rows.text(record.reportedOn.description)
            rows.text(record.lastStepType.rawValue)
            rows.text(record.lastStepOn.description)
            rows.integer(record.version)
            rows.integer(hazards.lastSequence[id] ?? 0)
            rows.endRow()
        }
        return rows
    }
}

/// The pieces of the log one transaction writes.
struct ShipGroup {
    var segments: [(SegmentName, [UInt8])] = []
    var batches: [StoredBatch] = []
    var ends: [(SegmentName, [UInt8])] = []
    /// Whether the walk reached the end of the log.
    var reachedEnd = false
    /// A sealed year whose rows the group replaces (its live segments by its archive's).
    var replacingYear: Int?
    /// The records before this sequence are in the copy already: no event rows for them.
    var eventsFrom: UInt64 = 0

    /// Whether there is anything to write: a batch, a segment, or sync marks after a
    /// segment's last batch other than those already written.
    func hasNews(besides written: [String: [UInt8]]) -> Bool {
        !batches.isEmpty || !segments.isEmpty || ends.contains { written[CountyShipper.path(of: $0.0)] != $0.1 }
    }
}
