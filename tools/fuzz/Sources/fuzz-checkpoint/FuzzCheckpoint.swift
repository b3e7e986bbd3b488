import Foundation
import QinglingEvents
import QinglingLog
import QinglingProjections
import QinglingSampleData
import QinglingTestSupport
import QinglingWorkflow

/// The input is the projection checkpoint of a small generated log (2023–2026): the first byte
/// says whether its CRC-32Cs are recomputed first (bit 0), as someone editing the file would do;
/// the rest is the file. Decoding ends in a state or an error; a state encodes and decodes to
/// itself, and every query answers on it without trapping; read for one query's parts alone, it
/// answers that query without trapping, as the whole state does. Beside the log, the checkpoint is
/// used, discarded (and the state rebuilt) or refused as covering more events than the log
/// holds; a state rebuilt answers as the log does; and a checkpoint that `CheckpointAudit` (what
/// `qingling verify` runs) finds equal to a rebuild gives every answer a rebuild gives.
let directory = FuzzSupport.scratchDirectory("fuzz-checkpoint") + "/log"
let checkpoint = ProjectionStore.checkpointPath(forLog: directory)
let date = CalendarDate(year: 2026, month: 10, day: 1) ?? CalendarDate(daysSinceEpoch: 0)

/// What the analysts' commands answer from `state`, with the hazards of the parties `partyKeys`,
/// written out (every query's result is built in a fixed order, so equal states give equal text).
func answers(_ state: ProjectionState, partyKeys: [String]) -> [String] {
    var out: [String] = []
    for year in 2023...2026 {
        for grouping in ClearanceGrouping.allCases {
            let statistics = ClearanceStatistics(state, period: .year(year), grouping: grouping, reference: .linxiang)
            out.append("\(statistics.rows) \(statistics.total)")
        }
    }
    for quarter in 1...4 {
        let ranking = QuarterlyRanking(state, quarter: Quarter(year: 2025, number: quarter), reference: .linxiang)
        out.append("\(ranking.entries) \(ranking.departments)")
    }
    let alerts = OverdueAlerts(state, on: date)
    out.append("\(alerts.overdue) \(alerts.unsupervised) \(alerts.awaitingVerification) \(alerts.dueSoon)")
    out.append("\(PlanTargets(state, on: date).checks)")
    out.append("\(PenaltySummary(state, reference: .linxiang).rows) \(RewardSummary(state).tipOffs)")
    for (index, id) in state.hazardIds.enumerated() {
        let hazard = state.hazards[index]
        out.append("\(id) \(state.enterprisePrincipal(of: hazard)?.label ?? "") \(state.departmentOfficer(of: hazard)?.label ?? "")")
    }
    for key in partyKeys { out.append("\(key) \(state.hazards(ofParty: key).map(state.hazardId))") }
    out.append("\(String(describing: state.latestBusinessDate))")
    return out
}

/// Each query's answer from the checkpoint in `bytes` read for the parts it needs alone: it
/// answers without trapping, and, when the whole checkpoint reads (`whole`), as the whole does.
func checkPartialReads(_ bytes: [UInt8], whole: ProjectionState?) {
    let queries: [(needs: ProjectionParts, answer: (ProjectionState) -> String)] = [
        (ClearanceStatistics.needs, { "\(ClearanceStatistics($0, period: .year(2025), grouping: .regionAndIndustry, reference: .linxiang).rows)" }),
        (OverdueAlerts.needs, { "\(OverdueAlerts($0, on: date).overdue)" }),
        (PlanTargets.needs, { "\(PlanTargets($0, on: date).checks)" }),
        (QuarterlyRanking.needs, { "\(QuarterlyRanking($0, quarter: Quarter(year: 2025, number: 4), reference: .linxiang).departments)" }),
    ]
    for query in queries {
        guard let partial = try? ProjectionCheckpoint.decode(bytes, parts: query.needs) else {
            if whole != nil { fatalError("a checkpoint that reads whole does not read in part") }
            continue
        }
        let answer = query.answer(partial)
        if let whole, query.answer(whole) != answer { fatalError("a checkpoint read in part answers otherwise") }
    }
}

/// The log's store, opened afresh for each input (a store is not shared between threads).
func openStore() -> EventStore {
    do throws(StoreError) { return try EventStore(readingFrom: directory) } catch { fatalError("cannot open the template log: \(error)") }
}

let (rebuilt, partyKeys, expected): (ProjectionState, [String], [String]) = {
    do throws(ProjectionError) {
        let events = LinxiangGenerator(seed: 31, hazardsPerYear: 4, until: CalendarDate(year: 2026, month: 11, day: 20)).events()
        guard let first = events.first else { fatalError("the generator made no events") }
        let clock = SimulatedClock(microseconds: first.occurredAt.microseconds)
        do throws(StoreError) {
            let writer = try EventStore(appendingTo: directory, reference: .linxiang, options: LogOptions(clock: clock))
            for event in events {
                clock.set(microseconds: event.occurredAt.microseconds + 600_000_000)
                _ = try writer.append([EventStore.Input(event: event)])
            }
            try writer.close()
        } catch { throw .store(error) }
        let (rebuilt, _) = try ProjectionStore.load(openStore())
        guard let saved = FileManager.default.contents(atPath: checkpoint) else { fatalError("no checkpoint saved") }
        FuzzSupport.writeSeed([0] + [UInt8](saved), named: "checkpoint")
        FuzzSupport.writeSeed([1] + [UInt8](saved), named: "checkpoint-digest-fixed")
        // The parties whose hazards `trace --person` and `--organization` list: every actor.
        let partyKeys = Set(events.flatMap { ["P:" + $0.actor.person.id, "O:" + $0.actor.organization.id] }).sorted()
        return (rebuilt, partyKeys, answers(rebuilt, partyKeys: partyKeys))
    } catch {
        fatalError("cannot build the template log: \(error)")
    }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheckpoint(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard !expected.isEmpty, size >= 1 else { return 0 }  // the template first: an empty input writes the seeds
    let raw = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let bytes = data[0] & 1 != 0 ? ChecksumFixer.checkpoint(raw) : raw
    let whole = try? ProjectionCheckpoint.decode(bytes)
    checkPartialReads(bytes, whole: whole)
    guard let decoded = whole else { return 0 }
    guard (try? ProjectionCheckpoint.decode(ProjectionCheckpoint.encode(decoded))) == decoded else {
        fatalError("a decoded checkpoint does not survive encoding")
    }
    _ = answers(decoded, partyKeys: partyKeys)

    _ = FileManager.default.createFile(atPath: checkpoint, contents: Data(bytes))
    let store = openStore()
    let loaded: ProjectionState
    let report: ProjectionStore.LoadReport
    do throws(ProjectionError) {
        (loaded, report) = try ProjectionStore.load(store, save: false)
    } catch {
        guard case .checkpoint(.coversMoreThanTheLog) = error, decoded.nextSequence > rebuilt.nextSequence else {
            fatalError("a checkpoint made the projections fail: \(error)")
        }
        return 0
    }
    guard report.checkpointCovered != nil else {
        guard loaded == rebuilt else { fatalError("a discarded checkpoint changed the rebuilt state") }
        return 0
    }
    let finding: CheckpointAudit.Finding
    do throws(ProjectionError) { finding = try CheckpointAudit.run(store) } catch { fatalError("the audit failed: \(error)") }
    switch finding {
    case .matches:
        guard answers(loaded, partyKeys: partyKeys) == expected else { fatalError("verify passes a checkpoint that changes an answer") }
    case .differs:
        break
    case .absent, .unused:
        fatalError("the audit did not check the checkpoint the commands used: \(finding)")
    }
    return 0
}
