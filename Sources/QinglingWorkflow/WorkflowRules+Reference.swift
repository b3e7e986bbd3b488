import QinglingEvents

/// The rules that read the reference data: who may be an actor, which regions, industries and
/// departments exist, the county's hazard id prefix; and the one canonical form of a region in a
/// stored report.
extension WorkflowRules {
    /// `event` as it is stored: a report's region given by its code is stored by its name (the
    /// form every reader and figure uses), so the same report is the same event either way.
    public func canonical(_ event: Event) -> Event {
        guard case .hazardReported(var report) = event.body, reference.region(named: report.region) == nil,
              let region = reference.region(code: report.region) else { return event }
        var event = event
        report.region = region.name
        event.body = .hazardReported(report)
        return event
    }

    /// The first value of `event` that the reference data does not hold: its actor's
    /// organisation, an escalation's target, a lead department, a report's hazard id prefix,
    /// region and industry.
    func referenceRefusal(of event: Event) -> WorkflowViolation.Rule? {
        if let rule = organizationRefusal(event.actor.organization, as: .actor) { return rule }
        switch event.body {
        case .escalationIssued(let e):
            return organizationRefusal(e.target, as: .escalationTarget)
        case .hazardSupervised(let e):
            let lead = OrganizationRef(kind: .department, id: e.leadDepartment.id, name: e.leadDepartment.name)
            return organizationRefusal(lead, as: .leadDepartment)
        case .hazardReported(let e):
            if !e.hazardId.hasPrefix(reference.hazardIdPrefix + "-") { return .hazardIdPrefix(hazardId: e.hazardId, prefix: reference.hazardIdPrefix) }
            if reference.region(named: e.region) == nil && reference.region(code: e.region) == nil {
                return .unknownRegion(e.region, nearest: NearestNames.labels(near: e.region, in: regionCandidates))
            }
            if !reference.isIndustry(e.industry) {
                // By the Chinese name the log takes or the English one English output shows.
                let industries = reference.industries.map { NearestNames.Candidate(keys: [$0, IndustryNames.text($0, .en)], label: $0) }
                return .unknownIndustry(e.industry, nearest: NearestNames.labels(near: e.industry, in: industries))
            }
            return nil
        default:
            return nil
        }
    }

    /// A department, the committee or a town must be the reference data's (a town by its
    /// region's code); an enterprise is known by its credit code alone, which must be valid
    /// (GB 32100-2015, check character included) but may be of any county.
    private func organizationRefusal(_ organization: OrganizationRef, as role: WorkflowViolation.OrganizationRole) -> WorkflowViolation.Rule? {
        let id = organization.id
        let candidates: [NearestNames.Candidate]
        switch organization.kind {
        case .enterprise:
            return CreditCode.problem(id).map { .invalidCreditCode(id, role: role, $0) }
        case .department:
            guard reference.department(id: id) == nil else { return nil }
            candidates = reference.departments.map { NearestNames.Candidate(keys: [$0.id, $0.name], label: $0.id + " " + $0.name) }
        case .committee:
            guard id != reference.committee.id else { return nil }
            candidates = [NearestNames.Candidate(keys: [reference.committee.id], label: reference.committee.id + " " + reference.committee.name)]
        case .town:
            guard reference.region(code: id) == nil else { return nil }
            candidates = regionCandidates
        }
        return .unknownOrganization(organization.kind, id: id, role: role, nearest: NearestNames.labels(near: id, in: candidates))
    }

    /// The regions, each by its code and name, shown as `430682107 桃林镇`.
    private var regionCandidates: [NearestNames.Candidate] {
        reference.regions.map { NearestNames.Candidate(keys: [$0.code, $0.name], label: $0.code + " " + $0.name) }
    }
}
