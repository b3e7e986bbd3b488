import Foundation
import QinglingEvents
import QinglingEvidence
import QinglingWorkflow

/// Records the event a web form built: as the signed-in account's own actor, with a fresh
/// event id, happened now by the log's clock, appended through the API's path
/// (`EventRoutes.commit`: the group commit, the rules, all or nothing).
struct FormAppend {
    let events: EventRoutes
    let ledger: LiveLedger

    /// Today in Asia/Shanghai by the log's clock.
    var today: CalendarDate { now.date }

    /// Now by the log's clock.
    var now: ShanghaiDateTime { ShanghaiDateTime(microseconds: ledger.clock.now()) }

    /// The evidence files posted with `form` stored in the log's blob store, as the attachments
    /// of the event, each with the form's caption (field `caption`, at most
    /// `Attachment.maxCaptionLength` characters); or the message refusing them (a file neither
    /// JPEG, PNG nor PDF, empty, too large; too many files), nothing about the event written.
    func attachments(_ form: FormBody) -> Result<[Attachment], FormRefusal.Files> {
        guard form.files.count <= Attachment.maxPerEvent else { return .failure(.init(message: "一次最多上传 \(Attachment.maxPerEvent) 个文件。")) }
        let caption = String((form["caption"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            .unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.prefix(Attachment.maxCaptionLength))
        var list: [Attachment] = []
        for (index, bytes) in form.files.enumerated() {
            do throws(BlobError) {
                var attachment = try ledger.blobs.store(bytes).attachment
                attachment.caption = caption
                if !list.contains(where: { $0.sha256 == attachment.sha256 }) { list.append(attachment) }
            } catch {
                let which = "第 \(index + 1) 个文件"
                switch error {
                case .tooLarge: return .failure(.init(message: "\(which)超过 20 MiB，未写入任何内容。"))
                case .empty, .unsupportedType: return .failure(.init(message: "\(which)不是 JPEG、PNG 或 PDF 文件（按文件内容判断），未写入任何内容。"))
                default: return .failure(.init(message: "附件库暂时无法写入，请稍后重试；未写入任何内容。"))
                }
            }
        }
        return .success(list)
    }

    /// Appends `body` as `actor`; the rules' refusals when refused (nothing written), empty when
    /// written. A failure of the log itself is thrown (500).
    /// A tip-off's `reporter` identity is sealed by the event store before anything is written.
    func append(_ body: EventBody, by actor: Actor, reporter: ReporterIdentity? = nil, context: ServiceContext) async throws -> [WorkflowViolation] {
        let event = Event(eventId: "web-" + UUID().uuidString.lowercased(), occurredAt: now, actor: actor, body: body)
        switch await events.commit([EventStore.Input(event: event, reporter: reporter)], hiding: [], context: context) {
        case .success: return []
        case .failure(.refused(let violations)): return violations
        case .failure(let error): throw EventRoutes.apiError(error, language: .zh)
        }
    }
}
