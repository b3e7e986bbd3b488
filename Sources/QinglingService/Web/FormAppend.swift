import Foundation
import QinglingEvents
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
