import QinglingEvents
import QinglingSampleData
import Testing

@Suite("Generated events in the interchange and stored forms")
struct RoundTripTests {
    @Test("every event survives JSON encoding, writing, strict parsing and decoding unchanged (so holds no control character)")
    func json() throws {
        var failures: [String] = []
        for event in SampleData.events {
            let text = JSONWriter.string(EventJSONEncoder.encode(event))
            let value = try JSONParser.parse(text)
            switch EventJSONDecoder.decode(value) {
            case .success(let decoded) where decoded == event: continue
            case .success: failures.append("\(event.eventId): changed")
            case .failure(let error): failures.append("\(event.eventId): \(error.problems)")
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
    }

    @Test("every event survives the binary codec unchanged")
    func binary() throws {
        for event in SampleData.events {
            let decoded = try EventBinaryCodec.decode(EventBinaryCodec.encode(event))
            #expect(decoded == event)
            if decoded != event { return }
        }
    }

    @Test("every credit code is valid (GB 32100-2015) and belongs to the county")
    func creditCodes() {
        var codes: Set<String> = []
        for event in SampleData.events {
            if let code = event.body.creditCode { codes.insert(code) }
            if event.actor.organization.kind == .enterprise { codes.insert(event.actor.organization.id) }
            if case .escalationIssued(let e) = event.body, e.target.kind == .enterprise { codes.insert(e.target.id) }
        }
        #expect(codes.count > 50)
        #expect(codes.allSatisfy(CreditCode.isValid))
        #expect(codes.allSatisfy { $0.dropFirst(2).hasPrefix("430682") })
    }

    @Test("one enterprise code always carries one name")
    func enterpriseNames() {
        var names: [String: String] = [:]
        for event in SampleData.events {
            guard let enterprise = event.body.enterprise else { continue }
            #expect(names[enterprise.creditCode, default: enterprise.name] == enterprise.name)
            names[enterprise.creditCode] = enterprise.name
        }
    }
}

extension EventBody {
    var enterprise: EnterpriseRef? {
        switch self {
        case .hazardReported(let e): e.enterprise
        case .penaltyImposed(let e): e.enterprise
        default: nil
        }
    }
}
