import Foundation
import Testing
import QinglingEvents
import QinglingEvidence
import QinglingLog
import QinglingWorkflow

/// Appends of events naming attachments: refused unless the blob store holds the file as named.
@Suite struct AttachmentAppendTests {
    static let enterprise = EnterpriseRef(creditCode: CreditCode.withCheckCharacter("91430682MA4L0C7A4") ?? "", name: "临湘市桃林烟花爆竹有限公司")
    static let department = Actor(organization: OrganizationRef(kind: .department, id: "lx-yjj", name: "临湘市应急管理局"),
                                  person: PersonRef(id: "yjj-017", name: "李卫东"))

    static func report(_ attachments: [QinglingEvents.Attachment], id: String = "e-1") -> Event {
        let day = CalendarDate(year: 2024, month: 3, day: 5) ?? CalendarDate(daysSinceEpoch: 0)
        return Event(eventId: id, occurredAt: ShanghaiDateTime(date: day, hour: 10, minute: 0, second: 0) ?? ShanghaiDateTime(microseconds: 0),
                     actor: department,
                     body: .hazardReported(HazardReported(hazardId: "LX-2024-0001", enterprise: enterprise, region: "桃林镇", industry: "烟花爆竹",
                                                          criterionClause: "烟花爆竹重大事故隐患判定标准第三条", description: "仓库超量储存",
                                                          source: .departmentInspection, discoveredOn: day, attachments: attachments)))
    }

    func store(_ directory: TemporaryDirectory) throws -> EventStore {
        let store = try EventStore(appendingTo: directory.path, reference: .linxiang,
                                   options: LogOptions(clock: SimulatedClock(microseconds: ShanghaiTime.startOfYear(2027))))
        store.attachments = BlobStore(logDirectory: directory.path)
        return store
    }

    func refusal(_ store: EventStore, _ event: Event) -> WorkflowViolation.Rule? {
        do {
            _ = try store.append([EventStore.Input(event: event)])
            return nil
        } catch let StoreError.refused(violations) {
            return violations.first?.rule
        } catch {
            Issue.record("\(error)")
            return nil
        }
    }

    @Test func anEventNamingAStoredFileIsWrittenAndReadsBack() throws {
        let directory = TemporaryDirectory()
        let store = try store(directory)
        var photo = try BlobStore(logDirectory: directory.path).store(Samples.jpeg()).attachment
        photo.caption = "仓库超量储存现场"
        let report = try store.append([EventStore.Input(event: Self.report([photo]))])
        #expect(report.written.count == 1)
        let read = try EventStore(readingFrom: directory.path).event(at: 0)
        #expect(read.event.body.attachments == [photo])
        #expect(try store.reader.verify().passed)
    }

    @Test func anEventNamingAFileNotStoredIsRefusedAndNothingIsWritten() throws {
        let directory = TemporaryDirectory()
        let store = try store(directory)
        let missing = QinglingEvents.Attachment(sha256: String(repeating: "a", count: 64), size: 10, mediaType: .png)
        #expect(refusal(store, Self.report([missing])) == .attachmentNotStored(sha256: missing.sha256))
        #expect(try store.reader.nextSequence() == 0)
    }

    @Test func anEventDescribingAStoredFileWronglyIsRefused() throws {
        let directory = TemporaryDirectory()
        let store = try store(directory)
        let stored = try BlobStore(logDirectory: directory.path).store(Samples.pdf()).attachment
        var wrongSize = stored
        wrongSize.size += 1
        guard case .attachmentDiffers(let hash, _, _) = refusal(store, Self.report([wrongSize])) else {
            Issue.record("a wrong size was not refused")
            return
        }
        #expect(hash == stored.sha256)
        var wrongType = stored
        wrongType.mediaType = .png
        #expect(refusal(store, Self.report([wrongType])) != nil)
        #expect(try store.reader.nextSequence() == 0)
    }

    @Test func withoutABlobStoreEveryAttachmentIsRefused() throws {
        let directory = TemporaryDirectory()
        let store = try store(directory)
        let stored = try BlobStore(logDirectory: directory.path).store(Samples.png()).attachment
        store.attachments = nil
        #expect(refusal(store, Self.report([stored])) == .attachmentNotStored(sha256: stored.sha256))
    }

    /// The log's recovery and verification do not mind the blob store's directory.
    @Test func theLogIgnoresTheBlobStoresDirectory() throws {
        let directory = TemporaryDirectory()
        do {
            let store = try store(directory)
            let stored = try BlobStore(logDirectory: directory.path).store(Samples.png()).attachment
            _ = try store.append([EventStore.Input(event: Self.report([stored]))])
            try store.close()
        }
        let reopened = try store(directory)
        #expect(reopened.recovery?.cutTails.isEmpty ?? true)
        #expect(reopened.recovery?.removedSealingLeftovers.isEmpty ?? true)
        #expect(try reopened.reader.verify().passed)
        #expect(try reopened.reader.nextSequence() == 1)
    }
}
