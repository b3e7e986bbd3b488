import PostgresNIO
import QinglingLog
import QinglingWorkflow

/// A county that seals a year already shipped: sealing re-packs the year's batches into archive
/// segments and removes the live ones the copy holds. The copy follows: once the archive is
/// shown to hold the very events the copy holds, and to join the chain where the copied batches
/// did, the year's live rows are replaced by the archive's in one transaction.
extension CountyShipper {
    /// Replaces, year by year, the copy's live segments of every year the log has sealed since;
    /// whether it replaced any. Each year's files follow at once, so that the copy restores.
    @discardableResult
    func replaceSealedYears(into report: inout ShipReport) async throws(ProvinceError) -> Bool {
        var replaced = false
        while let (year, first) = try await liveCopyOfASealedYear() {
            let end = try await copyEnd()
            try foldHazards(through: end?.nextSequence ?? 0)
            let group = try await archiveGroup(year, first: first, copyEnd: end)
            guard try await write(group, after: end?.position) else { continue }
            report.add(group)
            replaced = true
            try await shipFiles()
        }
        return replaced
    }

    /// The first year the log has sealed whose copy is still live segments, with the year's
    /// first archive segment (one query for all years: `--follow` asks every round).
    private func liveCopyOfASealedYear() async throws(ProvinceError) -> (Int, SegmentName)? {
        let names: [SegmentName]
        do { names = try reader.segments() } catch { throw .log("\(error)") }
        guard let firstSealed = names.first(where: \.sealed) else { return nil }
        let rows = try await database.run("""
            SELECT DISTINCT year FROM qingling.segments WHERE county = \(county) AND path LIKE 'segments/%' AND year >= \(firstSealed.year)
            """, during: "reading which years of county \(county) the copy holds as live segments")
        let live = Set(rows.compactMap { try? Int($0.decode(Int16.self)) })
        // Names are in sequence order: the first archive segment of each year comes first.
        return names.first { $0.sealed && live.contains($0.year) }.map { ($0.year, $0) }
    }

    /// The archive's pieces of `year`, checked against what the copy holds of it: every copied
    /// event has the archive's bytes and recorded time, the archive's chain starts from the hash
    /// the copy's first batch of the year names and ends where the year's link says, and a copy
    /// that holds the whole year (or goes on past it) ends the year with the batch the link
    /// names, and ends where the log still holds it. Event rows are written only for the events
    /// after the copy's.
    private func archiveGroup(_ year: Int, first: SegmentName, copyEnd end: (position: StoredPosition, nextSequence: UInt64)?) async throws(ProvinceError) -> ShipGroup {
        let during = "reading the copy of county \(county)'s year \(year)"
        var copied: [UInt64: (hash: [UInt8], recordedAt: Int64)] = [:]
        for row in try await database.run("""
            SELECT sequence, hash, (extract(epoch FROM recorded_at) * 1000000)::bigint FROM qingling.events WHERE county = \(county) AND year = \(year)
            """, during: during) {
            guard let (sequence, hash, recordedAt) = try? row.decode((Int64, ByteBuffer, Int64).self), let sequence = UInt64(exactly: sequence) else {
                throw .damagedCopy(county: county, reason: "an event row of \(year) is not readable")
            }
            copied[sequence] = (Array(hash.readableBytesView), recordedAt)
        }
        let ends = try await database.run("""
            SELECT (SELECT base_sequence FROM qingling.batches WHERE county = \(county) AND year = \(year) ORDER BY base_sequence LIMIT 1),
                   (SELECT substring(bytes FROM \(Int32(BatchHeader.previousHashOffset + 1)) FOR 32) FROM qingling.batches
                    WHERE county = \(county) AND year = \(year) ORDER BY base_sequence LIMIT 1),
                   (SELECT base_sequence + record_count FROM qingling.batches WHERE county = \(county) AND year = \(year) ORDER BY base_sequence DESC LIMIT 1),
                   (SELECT hash FROM qingling.batches WHERE county = \(county) AND year = \(year) ORDER BY base_sequence DESC LIMIT 1)
            """, during: during)
        guard let (firstBase, firstPrevious, copyNext, copyLastHash) = try? ends.first?.decode((Int64?, ByteBuffer?, Int64?, ByteBuffer?).self),
              firstBase.map({ UInt64(exactly: $0) != nil }) ?? true, copyNext.map({ UInt64(exactly: $0) != nil }) ?? true else {
            throw .damagedCopy(county: county, reason: "the batch rows of \(year) are not readable")
        }

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
                        guard let shipped = copied[record.sequence] else { continue }
                        guard shipped.hash == Ledger.digest(ofStoredBytes: record.payload), shipped.recordedAt == record.recordedAt else {
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
        do { link = try SealedYearLink.read(year, layout: reader.layout, fileSystem: reader.fileSystem) } catch { throw .log("\(error)") }
        let refusal = ProvinceError.logReplaced(county: county, reason: "year \(year) was sealed since it was shipped, and its archive does not hold the events and chain shipped before")
        guard let firstBatch = group.batches.first, group.batches.last?.header.nextSequence == link.nextSequence, matched == copied.count else {
            throw refusal
        }
        let copiedThrough = copyNext.flatMap(UInt64.init(exactly:))
        if let copiedThrough {
            // The copy's batches of the year: a prefix of the year, on the archive's chain.
            guard firstBase.flatMap(UInt64.init(exactly:)) == firstBatch.header.baseSequence,
                  firstPrevious.map({ Array($0.readableBytesView) }) == firstBatch.header.previousHash,
                  copiedThrough <= link.nextSequence else { throw refusal }
            // A copy of the whole year, or past it: its last batch of the year is the one the link names.
            if copiedThrough == link.nextSequence || (end?.nextSequence ?? 0) > copiedThrough {
                guard copiedThrough == link.nextSequence, copyLastHash.map({ Array($0.readableBytesView) }) == link.lastLiveBatchHash else { throw refusal }
            }
        } else {
            // No batch of the year in the copy (at most a segment's header): it ends before the year.
            guard copied.isEmpty, (end?.nextSequence ?? 0) <= firstBatch.header.baseSequence else { throw refusal }
        }
        // A copy past the year must end where the log still holds it.
        if let end, end.nextSequence > link.nextSequence {
            let held: Bool
            do { held = try reader.holds(end.position) } catch { throw .log("\(error)") }
            guard held else { throw refusal }
        }
        group.eventsFrom = copiedThrough ?? firstBatch.header.baseSequence
        return group
    }
}
