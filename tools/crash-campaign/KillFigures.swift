import Foundation

/// What the kill campaign counted, over its main log and the logs of its multi-batch appends.
struct KillFigures {
    var writerKills = 0, cuttingWriterKills = 0, bigAppends = 0, sealKills = 0, sealsCompleted = 0
    /// Multi-batch appends gathered in a spool (written a batch at a time).
    var bigSpooled = 0
    var bigNoneUnwritten = 0, bigNonePartWritten = 0, bigPartWithWholeBatch = 0, bigAllUnacknowledged = 0, bigAllAcknowledged = 0
    /// The sizes of the parts of multi-batch appends found written after a kill.
    var partWritten: ClosedRange<Int64>?
    var tornTails = 0, tornTailsSaved = 0, leftoversRemoved = 0
    var eventsChecked = 0, acknowledged = 0, sealedYears = 0

    /// The figures of two logs together.
    static func + (lhs: KillFigures, rhs: KillFigures) -> KillFigures {
        var sum = lhs
        sum.writerKills += rhs.writerKills
        sum.cuttingWriterKills += rhs.cuttingWriterKills
        sum.bigAppends += rhs.bigAppends
        sum.bigSpooled += rhs.bigSpooled
        sum.sealKills += rhs.sealKills
        sum.sealsCompleted += rhs.sealsCompleted
        sum.bigNoneUnwritten += rhs.bigNoneUnwritten
        sum.bigNonePartWritten += rhs.bigNonePartWritten
        sum.bigPartWithWholeBatch += rhs.bigPartWithWholeBatch
        sum.bigAllUnacknowledged += rhs.bigAllUnacknowledged
        sum.bigAllAcknowledged += rhs.bigAllAcknowledged
        if let part = rhs.partWritten { sum.notePartWritten(part.lowerBound); sum.notePartWritten(part.upperBound) }
        sum.tornTails += rhs.tornTails
        sum.tornTailsSaved += rhs.tornTailsSaved
        sum.leftoversRemoved += rhs.leftoversRemoved
        sum.eventsChecked += rhs.eventsChecked
        sum.acknowledged += rhs.acknowledged
        sum.sealedYears += rhs.sealedYears
        return sum
    }

    /// Counts the size of the part of a multi-batch append found written after a kill.
    mutating func notePartWritten(_ bytes: Int64) {
        partWritten = partWritten.map { min($0.lowerBound, bytes)...max($0.upperBound, bytes) } ?? bytes...bytes
    }

    func report(seconds: Double, seed: UInt64) -> String {
        let partBytes = partWritten.map { ", \($0.lowerBound)–\($0.upperBound) bytes" } ?? ""
        return """
        kill campaign (seed \(seed)) passed in \(String(format: "%.0f", seconds)) s:
          kills survived: \(writerKills + bigAppends + sealKills) (\(writerKills) of the writer in small appends, \(cuttingWriterKills) of them after it cut a torn tail; \(bigAppends) during a multi-batch append; \(sealKills) of the archive job, \(sealsCompleted) seals completed before their kill)
          multi-batch appends of 12,000–15,000 events killed: \(bigAppends) (\(bigSpooled) spooled), each all or nothing: none visible \(bigNoneUnwritten + bigNonePartWritten) (\(bigNoneUnwritten) killed before writing, \(bigNonePartWritten) with part written\(partBytes), \(bigPartWithWholeBatch) of them with the first batch whole), all visible \(bigAllAcknowledged + bigAllUnacknowledged) (\(bigAllAcknowledged) acknowledged, \(bigAllUnacknowledged) killed before the acknowledgement)
          events acknowledged: \(acknowledged), all present; event checks (every event, byte for byte, after every kill): \(eventsChecked)
          torn tails found after a kill: \(tornTails); cut by the next writer and found in recovered/ byte for byte: \(tornTailsSaved)
          sealing leftovers removed: \(leftoversRemoved); sealed years verified: \(sealedYears)
        """
    }
}
