/// The numbers of the persons and organisations folding an event links to each hazard it acts
/// on (`PartyNumbering`), and of the names it keeps (`internNames`); -1 for those it does not
/// name. Roles as in `EventFacts.PartyKeys` and `EventFacts.NameKeys`.
struct EventNumbers {
    var actor: Int32 = -1
    var actorOrganization: Int32 = -1
    var organization: Int32 = -1
    var principal: Int32 = -1
    var controller: Int32 = -1
    var officer: Int32 = -1
    var town: Int32 = -1
    var region: Int32 = -1
    var industry: Int32 = -1
    var leadDepartment: Int32 = -1
    var principalName: Int32 = -1
    var officerName: Int32 = -1

    /// Interns the names `facts` holds into `names` and notes their numbers. Every name an
    /// event holds is interned, whether or not the fold keeps it.
    mutating func internNames(of facts: UnsafePointer<EventFacts>, into names: inout KeyNumbering) throws(EngineError) {
        let keys = facts.pointee.names
        if let span = keys.region { region = try names.number(HashedKey(facts.pointee[span])) }
        if let span = keys.industry { industry = try names.number(HashedKey(facts.pointee[span])) }
        if let span = keys.leadDepartment { leadDepartment = try names.number(HashedKey(facts.pointee[span])) }
        if let span = keys.principal { principalName = try names.number(HashedKey(facts.pointee[span])) }
        if let span = keys.officer { officerName = try names.number(HashedKey(facts.pointee[span])) }
    }
}
