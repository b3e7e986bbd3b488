import Foundation
import Logging
import QinglingEvents
import QinglingProjections
@testable import QinglingService
import QinglingWorkflow
import Testing

/// The service's ledger across stops: its checkpoint saved now and then while the log grows,
/// off the ledger's actor, never older over newer; after a crash, the log's index made whole
/// at start.
struct CheckpointSaverTests {
    private let directory = NSTemporaryDirectory() + "qingling-checkpoint-saver-\(UUID().uuidString)"
    private var log: String { directory + "/log" }

    private static let actor = Actor(organization: OrganizationRef(kind: .department, id: "lx-yjj", name: "临湘市应急管理局"),
                                     person: PersonRef(id: "yjj-017", name: "李卫东"))

    /// One request reporting hazard LX-2024-00`number`.
    private static func report(_ number: Int) -> [EventStore.Input] {
        let body = #"{"eventId":"yjj-2024-0305-\#(number)","type":"HazardReported","occurredAt":"2024-03-05T09:30:00+08:00","data":{"hazardId":"LX-2024-00\#(number)","enterprise":{"creditCode":"91430682MA4L0C7A47","name":"临湘市桃林烟花爆竹有限公司"},"region":"桃林镇","industry":"烟花爆竹","criterionClause":"烟花爆竹生产经营单位重大事故隐患判定标准第三条","description":"成品仓库超量储存","source":"departmentInspection","discoveredOn":"2024-03-05"}}"#
        return EventSubmission(body: Array(body.utf8), actor: actor, language: .en).inputs
    }

    /// The log length the checkpoint on disk covers, as a command reading the log finds it.
    private func checkpointCovers() throws -> UInt64? {
        try ProjectionStore.load(try EventStore(readingFrom: log), save: false).1.checkpointCovered
    }

    @Test func aSaveWritesOnlyAStateNewerThanTheFile() async throws {
        let ledger = try LiveLedger(directory: log, reference: .linxiang)
        #expect(await ledger.projectionsToSave() == nil)  // an empty log: nothing to save
        _ = await ledger.append(requests: [Self.report(41)], hiding: [])
        let older = try #require(await ledger.projectionsToSave())
        _ = await ledger.append(requests: [Self.report(42)], hiding: [])
        let newer = try #require(await ledger.projectionsToSave())
        #expect(ledger.checkpoint.save(newer) == nil)
        #expect(try checkpointCovers() == 2)
        #expect(await ledger.projectionsToSave() == nil)
        // An older state saved late (a slow periodic save) does not replace the newer file.
        #expect(ledger.checkpoint.save(older) == nil)
        #expect(try checkpointCovers() == 2)
        _ = await ledger.append(requests: [Self.report(43)], hiding: [])
        #expect(try await ledger.close() == nil)
        #expect(try checkpointCovers() == 3)
        // The saved projections equal a rebuild from the log.
        let (saved, _) = try ProjectionStore.load(try EventStore(readingFrom: log), save: false)
        let (rebuilt, _) = try ProjectionStore.load(try EventStore(readingFrom: log), rebuild: true, save: false)
        #expect(saved == rebuilt)
    }

    /// A service started on the log of one that died writes the last segment's index before
    /// its first append: the first appends' look-ups would otherwise scan the whole segment.
    @Test func aServiceStartedAfterACrashIndexesTheLastSegmentAtOnce() async throws {
        func indexFiles() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: log + "/index")) ?? []).filter { $0.hasSuffix(".qlidx") }
        }
        do {
            let crashed = try LiveLedger(directory: log, reference: .linxiang)
            for number in 41...43 { _ = await crashed.append(requests: [Self.report(number)], hiding: []) }
        }  // never closed: the process died, its writer's index not written
        #expect(indexFiles().isEmpty)
        let ledger = try LiveLedger(directory: log, reference: .linxiang)
        #expect(indexFiles().count == 1)
        #expect(await ledger.eventCount == 3)
        #expect(try await ledger.close() == nil)
    }

    @Test func theSaverSavesWhileAppendsGoOnAndStopsWhenCancelled() async throws {
        let ledger = try LiveLedger(directory: log, reference: .linxiang)
        let saver = CheckpointSaver(ledger: ledger, interval: .milliseconds(20), logger: Logger(label: "test"))
        let running = Task { try await saver.run() }
        for number in 41...45 {
            _ = await ledger.append(requests: [Self.report(number)], hiding: [])
            // Each append is saved within a few intervals, without a request or a shutdown.
            var covered: UInt64?
            for _ in 0..<500 where covered != UInt64(number - 40) {
                try await Task.sleep(for: .milliseconds(10))
                covered = try checkpointCovers()
            }
            #expect(covered == UInt64(number - 40))
        }
        running.cancel()
        try await running.value
        #expect(try await ledger.close() == nil)
    }
}
