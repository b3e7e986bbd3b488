/// The outcome of a full verification pass.
public struct VerifyReport: Sendable {
    public var segments = 0
    public var batches = 0
    public var records = 0
    /// Bytes of segment files read.
    public var bytes: Int64 = 0
    /// The sequence number after the last valid record.
    public var nextSequence: UInt64 = 0
    /// The hash of the last valid batch: the head of the hash chain.
    public var lastBatchHash = [UInt8](repeating: 0, count: 32)
    /// Every problem found, each naming its file and byte offset.
    public var problems: [LogError] = []
    /// A torn tail at the end of the log: bytes never acknowledged (a write in progress, or one
    /// cut short by a crash), which the writer cuts before it next writes. Not a problem.
    public var tornTail: RecoveryReport.CutTail?

    /// Whether every byte of every segment checked out.
    public var passed: Bool { problems.isEmpty }
}

extension LogReader {
    /// Re-checks every segment: headers, checksums, the LZ4 frames and their content checksums,
    /// record structure, sequence numbers, recorded times and the SHA-256 hash chain across all
    /// segments (a sealed year's archive segments have a chain of their own, starting from the
    /// hash the year's first live batch named; after the year the chain goes on from its link). Problems are collected, not thrown, so one pass reports all damaged segments.
    ///
    /// - Parameter firstPreviousHash: the hash the first batch must name; by default 32 zero
    ///   bytes when the log starts at sequence 0 (otherwise unchecked).
    public func verify(firstPreviousHash: [UInt8]? = nil) throws(LogError) -> VerifyReport {
        var report = VerifyReport()
        let names = try segments()
        let tail = try layout.tailPosition(of: names, fileSystem: fileSystem)
        var chain: [UInt8]? = firstPreviousHash
            ?? (names.first?.baseSequence == 0 ? [UInt8](repeating: 0, count: 32) : nil)
        var expectedSequence = names.first?.baseSequence
        var lastTime = Int64.min
        for (position, name) in names.enumerated() {
            let path = layout.segment(name)
            report.segments += 1
            if position > 0, names[position - 1].sealed, !name.sealed || name.year != names[position - 1].year {
                // After a sealed year the chain goes on from the year's last live batch.
                do throws(LogError) {
                    chain = try SealedYearLink.read(names[position - 1].year, layout: layout, fileSystem: fileSystem).lastLiveBatchHash
                } catch {
                    report.problems.append(error)
                    chain = nil
                }
            }
            if let expected = expectedSequence, expected != name.baseSequence {
                report.problems.append(.corrupt(path: path, offset: 0, reason: "segment starts at sequence \(name.baseSequence), expected \(expected)"
                                                + (name.baseSequence > expected ? ": the segments holding \(expected)–\(name.baseSequence - 1) are missing" : ": segments overlap")))
                chain = nil
            }
            let file = try fileSystem.openForReading(path)
            defer { file.close() }
            let size = try file.size()
            report.bytes += size
            var scanner = SegmentScanner(file: file, path: path, name: name, fileSize: size, lastRecordedAt: lastTime)
            if case let .damaged(offset, reason, _) = try scanner.readSegmentHeader() {
                report.problems.append(.corrupt(path: path, offset: offset, reason: reason))
                chain = nil
                expectedSequence = position + 1 < names.count ? names[position + 1].baseSequence : nil
                continue
            }
            var damaged = false
            segmentLoop: while true {
                switch try scanner.next() {
                case .end:
                    break segmentLoop
                case let .damaged(offset, reason, _):
                    var detail = reason
                    if position >= tail, !name.sealed {
                        switch try scanner.classifyDamage(at: offset) {
                        case .tornTail:
                            // Never acknowledged: not a problem of the log, but said; unless the
                            // segment's index shows these bytes were synced (a problem, below).
                            if (SegmentIndex.claimedBytes(name, layout: layout, fileSystem: fileSystem) ?? 0) <= offset {
                                report.tornTail = .init(segment: path, offset: offset, bytes: size - offset, reason: reason)
                            }
                            break segmentLoop
                        case .acknowledged: detail += " (a valid batch or sync mark after it shows these bytes had been synced)"
                        case .ambiguous: detail += " (written before sync marks: a torn tail or lost synced data; see `qingling recover`)"
                        }
                    }
                    report.problems.append(.corrupt(path: path, offset: offset, reason: detail))
                    chain = nil
                    damaged = true
                    break segmentLoop
                case .batch(let batch):
                    if let expected = chain, expected != batch.header.previousHash {
                        report.problems.append(.corrupt(path: path, offset: batch.offset + 48, reason: "hash chain broken: the batch does not name the previous batch's SHA-256"))
                    }
                    do throws(LogError) {
                        report.records += try batch.records(path: path).count
                    } catch {
                        report.problems.append(error)
                    }
                    let hash = batch.hash()
                    chain = hash
                    report.lastBatchHash = hash
                    report.batches += 1
                    report.nextSequence = batch.header.nextSequence
                    lastTime = batch.header.lastRecordedAt
                }
            }
            if position >= tail, !damaged, !name.sealed, let claimed = SegmentIndex.claimedBytes(name, layout: layout, fileSystem: fileSystem),
               claimed > scanner.offset {
                report.problems.append(Self.lostSyncedData(path, at: scanner.offset, claimed: claimed))
            }
            if position == names.count - 1, !damaged, scanner.finishedByWriter {
                report.problems.append(LogOpener.missingSuccessor(path, next: scanner.nextSequence))
            }
            // After damage the segment's end is unknown: the next segment is not held to it.
            expectedSequence = damaged ? nil : scanner.nextSequence
            if damaged { lastTime = .min }
        }
        return report
    }
}
