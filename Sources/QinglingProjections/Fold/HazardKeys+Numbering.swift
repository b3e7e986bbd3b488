import QinglingEvents

extension HazardNumbering {
    /// Appends to `numbers` the numbers of the hazards `facts` names: for a report, the new
    /// hazard's (nothing when the id was reported before, which the workflow refuses); for any
    /// other event, the known hazards it names, in order (unknown ids are left out).
    mutating func number(_ facts: UnsafePointer<EventFacts>, into numbers: inout [Int32]) throws(EventDecodingError) {
        switch facts.pointee.hazards {
        case .none:
            break
        case .reports(let hazard):
            let added: Int32?
            do throws(EngineError) { added = try numberReported(facts.pointee[hazard.id], at: hazard.position) } catch {
                throw EventDecodingError(.hazardId, at: Int(hazard.id.start), error)
            }
            if let added { numbers.append(added) }
        case .actsOn(let hazard):
            if let index = find(facts.pointee[hazard.id], at: hazard.position) { numbers.append(index) }
        case .each(let list):
            try facts.pointee.forEach(in: list) { id in
                if let index = find(facts.pointee[id], at: nil) { numbers.append(index) }
            }
        }
    }
}
