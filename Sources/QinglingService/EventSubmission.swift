import QinglingEvents
import QinglingWorkflow

/// The events of one `POST /events` body, read as the session's account, in any form
/// `EventDocuments` tells apart (a JSON array, one object, JSON Lines). An event without
/// `actor` gets the account's; an event whose `actor` is anyone else is refused (403): the
/// actor of every event is the signed-in person.
struct EventSubmission {
    var inputs: [EventStore.Input] = []
    /// Documents that are not events (422).
    var problems: [APIError.Problem] = []
    /// Events that claim another actor (403).
    var impersonations: [APIError.Problem] = []
    /// More documents than one request may hold (413): none is checked.
    var tooMany = false

    init(body: [UInt8], actor: Actor, language: Language) {
        let documents = EventDocuments(body, limit: ServiceLimits.eventsPerRequest)
        guard !documents.exceedsLimit else {
            tooMany = true
            return
        }
        problems = documents.problems.map { APIError.Problem(index: nil, eventId: nil, rule: "syntax", message: $0.text(language)) }
        if documents.documents.isEmpty && documents.problems.isEmpty {
            problems.append(.init(index: nil, eventId: nil, rule: "syntax", message: language.pick(
                zh: "请求体中没有事件：请发送 JSON 数组、一个 JSON 对象或 JSON Lines", en: "the body holds no event: send a JSON array, one JSON object or JSON Lines")))
        }
        for (index, document) in documents.documents.enumerated() {
            read(document.value, index: index, actor: actor, language: language)
        }
    }

    private mutating func read(_ document: JSONValue, index: Int, actor: Actor, language: Language) {
        var document = document
        var claimed = true
        if case .object(var members) = document, !members.contains(where: { $0.key == "actor" }) {
            members.append(JSONMember("actor", EventJSONEncoder.actor(actor)))
            document = .object(members)
            claimed = false
        }
        switch EventJSONDecoder.decodeInput(document) {
        case .success(let input):
            var event = input.event
            if claimed, event.actor != actor {
                impersonations.append(.init(index: index, eventId: event.eventId, rule: "actor", message: language.pick(
                    zh: "事件的行为主体是 \(event.actor.organization.id) 的 \(event.actor.person.id)，而登录者是 \(actor.organization.id) 的 \(actor.person.id)；请省略 actor，由服务填写",
                    en: "the event's actor is \(event.actor.person.id) of \(event.actor.organization.id); you are signed in as \(actor.person.id) of \(actor.organization.id). Leave actor out: the service fills it in")))
            } else {
                // Equal as Swift compares strings (canonically) is not equal byte for byte:
                // what is stored is the account's own actor.
                event.actor = actor
                inputs.append(EventStore.Input(line: index, event: event, reporter: input.reporter))
            }
        case .failure(let error):
            for problem in error.problems {
                problems.append(.init(index: index, eventId: error.eventId, rule: "document", message: problem.text(language)))
            }
        }
    }
}
