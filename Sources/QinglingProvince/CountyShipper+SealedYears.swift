import PostgresNIO
import QinglingLog
import QinglingWorkflow

/// A county that seals a year already shipped: sealing re-packs the year's batches into archive
/// segments and removes the live ones the copy holds. The copy follows: once the archive is
/// shown to hold the very events the copy holds, and to join the chain where the copied batches
/// did, the year's live rows are replaced by the archive's in one transaction.
extension CountyShipper {
    /// Replaces, year by year, the copy's live segments of every year the log has sealed since.
    func replaceSealedYears(into report: inout ShipReport) async throws(ProvinceError) {
        while let (year, first) = try await liveCopyOfASealedYear() {
            let end = try await copyEnd()
            try foldHazards(through: end?.nextSequence ?? 0)
            let group = try await archiveGroup(year, first: first)
            guard try await write(group, after: end?.position) else { continue }
            report.add(group)
        }
    }

    /// The first year the log has sealed whose copy is still live segments, with the year's
    /// first archive segment.
    private func liveCopyOfASealedYear() async throws(ProvinceError) -> (Int, SegmentName)? {
        let names: [SegmentName]
        do { names = try reader.segments() } catch { throw .log("\(error)") }
        for name in names where name.sealed && names.first(where: { $0.sealed && $0.year == name.year }) == name {
            let rows = try await database.run("""
                SELECT count(*) FROM qingling.segments WHERE county = \(county) AND year = \(name.year) AND path LIKE 'segments/%'
                """, during: "reading the copy of county \(county)'s year \(name.year)")
            if let count = try? rows.first?.decode(Int64.self), count > 0 { return (name.year, name) }
        }
        return nil
    }

    /// The archive's pieces of `year`, checked against what the copy holds of it: every copied
    /// event has the archive's bytes (the same hash), the archive's chain starts from the hash
    /// the copy's first batch of the year names, and a copy of the whole year ends with the
    /// batch the year's link names. Event rows are written only for the events after the copy's.
    private func archiveGroup(_ year: Int, first: SegmentName) async throws(ProvinceError) -> ShipGroup {
        let during = "reading the copy of county \(county)'s year \(year)"
        var copied: [UInt64: [UInt8]] = [:]
        for row in try await database.run("SELECT sequence, hash FROM qingling.events WHERE county = \(county) AND year = \(year)", during: during) {
            guard let (sequence, hash) = try? row.decode((Int64, ByteBuffer).self), sequence >= 0 else {
                throw .damagedCopy(county: county, reason: "an event row of \(year) is not readable")
            }
            copied[UInt64(sequence)] = Array(hash.readableBytesView)
        }
        let ends = try await database.run("""
            SELECT (SELECT base_sequence FROM qingling.batches WHERE county = \(county) AND year = \(year) ORDER BY base_sequence LIMIT 1),
                   (SELECT substring(bytes FROM \(Int32(BatchHeader.previousHashOffset + 1)) FOR 32) FROM qingling.batches
                    WHERE county = \(county) AND year = \(year) ORDER BY base_sequence LIMIT 1),
                   (SELECT base_sequence + record_count FROM qingling.batches WHERE county = \(county) AND year = \(year) ORDER BY base_sequence DESC LIMIT 1),
                   (SELECT hash FROM qingling.batches WHERE county = \(county) AND year = \(year) ORDER BY base_sequence DESC LIMIT 1)
            """, during: during)
        let copy = try? ends.first?.decode((Int64?, ByteBuffer?, Int64?, ByteBuffer?).self)

        var group = ShipGroup()
        group.replacingYear = year
        var matched = 0
        do {
            try reader.forEachStoredPiece(from: first) { piece throws(LogError) in
                switch piece {
                case let .segment(name, header):
                    guard name.sealed, name.year == year else { return false }
                    group.segments.append((name, header))
                case .batch(let batch):
                    group.batches.append(batch)
                    for record in batch.records {
                        guard let hash = copied[record.sequence] else { continue }
                        guard hash == Ledger.digest(ofStoredBytes: record.payload) else {
                            throw .corrupt(path: reader.layout.segment(batch.segment), offset: batch.offset,
                                           reason: "the event at sequence \(record.sequence) differs from the one shipped before")
                        }
                        matched += 1
                    }
                case let .segmentEnd(name, trailing, _):
                    group.ends.append((name, trailing))
                }
                return true
            }
        } catch {
            throw .logReplaced(county: county, reason: "year \(year) was sealed since it was shipped, and its archive is not what was shipped: \(error)")
        }
        let link: SealedYearLink
        do { link = try SealedYearLink.read(year, layout: reader.layout, fileSystem: PosixFileSystem()) } catch { throw .log("\(error)") }
        let copiedThrough = copy?.2.map(UInt64.init) ?? 0
        guard matched == copied.count, let firstBatch = group.batches.first,
              copy?.0.map(UInt64.init) == firstBatch.header.baseSequence,
              copy?.1.map({ Array($0.readableBytesView) }) == firstBatch.header.previousHash,
              copiedThrough < link.nextSequence || copy?.3.map({ Array($0.readableBytesView) }) == link.lastLiveBatchHash else {
            throw .logReplaced(county: county, reason: "year \(year) was sealed since it was shipped, and its archive does not hold the events and chain shipped before")
        }
        group.eventsFrom = copiedThrough
        return group
    }
}
