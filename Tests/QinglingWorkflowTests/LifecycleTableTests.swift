import QinglingEvents
import Testing
@testable import QinglingWorkflow

/// The table of the lifecycle (`LifecycleStep.transition`) says what `domain.md` says, and the
/// workflow refuses exactly the steps it forbids and follows it for the others.
@Suite struct LifecycleTableTests {
    /// `domain.md`'s diagram and the "rule" column of its table of events, written out here on
    /// their own so that a change to the table shows: the statuses each step may come from and
    /// the one it leads to (`nil`: the status stays).
    private static let domain: [LifecycleStep: (from: [HazardStatus], to: HazardStatus?)] = [
        .reported: ([], .reported),
        .supervised: ([.reported], .rectifying),
        .extended: ([.rectifying, .awaitingVerification], nil),
        .rectified: ([.rectifying], .awaitingVerification),
        .verifiedPassed: ([.awaitingVerification], .verified),
        .verifiedFailed: ([.awaitingVerification], .rectifying),
        .closed: ([.verified], .closed),
        .reopened: ([.closed], .rectifying),
        .withdrawn: ([.reported, .rectifying, .awaitingVerification, .verified], .withdrawn),
    ]

    @Test func theTableIsTheLifecycleOfDomainMd() {
        for step in LifecycleStep.allCases {
            let transition = step.transition
            #expect(transition.from.statuses == Self.domain[step]?.from, "\(step) from")
            #expect(transition.to == Self.domain[step]?.to, "\(step) to")
            // The deadline: set by a supervision, an extension, a reopening; a failed
            // verification leaves it unchanged.
            #expect(transition.setsDeadline == [.supervised, .extended, .reopened].contains(step), "\(step) sets the deadline")
            // What a rectification answers: a supervision, a failed verification, a reopening,
            // never an extension (docs/events.md, "A rectification answers the step that began it").
            #expect(transition.beginsRectification == [.supervised, .verifiedFailed, .reopened].contains(step), "\(step) begins a rectification")
        }
    }

    @Test func aStatusSetHoldsWhatItWasMadeOf() {
        #expect(HazardStatuses.none.statuses.isEmpty)
        for status in HazardStatus.allCases {
            let others = HazardStatus.allCases.filter { $0 != status }
            #expect(HazardStatuses.only(status).statuses == [status])
            #expect(HazardStatuses.anyBut(status, status).statuses == others)
            for other in others {
                #expect(HazardStatuses.either(status, other).statuses == HazardStatus.allCases.filter { $0 == status || $0 == other })
                #expect(HazardStatuses.anyBut(status, other).statuses == others.filter { $0 != other })
            }
        }
    }

    /// Every step from every status, through a store: refused as in the wrong status exactly
    /// where the table forbids it (a report, whose hazard must be new, as existing), and
    /// otherwise accepted, leaving the status the table says.
    @Test(arguments: HazardStatus.allCases)
    func theWorkflowRefusesExactlyWhatTheTableForbids(from status: HazardStatus) throws {
        let id = "LX-2024-0001"
        for step in LifecycleStep.allCases {
            let log = TemporaryLog()
            let store = try log.store()
            var s = Scenario()
            #expect(try store.refusals(Self.path(to: status, &s)) == [], "reaching \(status)")
            #expect(try store.hazard(id)?.status == status)

            let event = Self.event(taking: step, &s)
            let refusals = try store.refusals([event])
            let transition = step.transition
            if step == .reported {
                #expect(refusals == [.hazardExists(id)])
            } else if transition.from.contains(status) {
                #expect(refusals == [], "\(step) from \(status)")
                #expect(try store.hazard(id)?.status == transition.status(after: status), "\(step) from \(status)")
            } else {
                #expect(refusals == [.wrongStatus(hazardId: id, status, event.type)], "\(step) from \(status)")
                #expect(try store.hazard(id)?.status == status)
            }
        }
    }

    /// Events that bring hazard `LX-2024-0001` to `status`.
    static func path(to status: HazardStatus, _ s: inout Scenario) -> [Event] {
        var events = [s.event(Scenario.department, s.report())]
        switch status {
        case .reported: break
        case .withdrawn: events.append(s.event(Scenario.committee, withdraw))
        case .rectifying, .awaitingVerification, .verified, .closed:
            events.append(s.event(Scenario.committee, s.supervise()))
            guard status != .rectifying else { break }
            events.append(s.event(Scenario.company, s.rectify()))
            guard status != .awaitingVerification else { break }
            events.append(s.event(Scenario.committee, s.verify()))
            guard status != .verified else { break }
            events.append(s.event(Scenario.committee, s.close()))
        }
        return events
    }

    /// An event taking `step` for hazard `LX-2024-0001`, by someone who may take it whenever
    /// the status allows (the committee; the hazard's enterprise for a rectification), with
    /// dates and deadlines the other rules accept.
    private static func event(taking step: LifecycleStep, _ s: inout Scenario) -> Event {
        let id = "LX-2024-0001"
        return switch step {
        case .reported: s.event(Scenario.department, s.report())
        case .supervised: s.event(Scenario.committee, s.supervise())
        case .extended: s.event(Scenario.committee, .deadlineExtended(DeadlineExtended(hazardId: id, newDeadline: s.day.adding(days: 400), reason: "设备到货延迟")))
        case .rectified: s.event(Scenario.company, s.rectify())
        case .verifiedPassed: s.event(Scenario.committee, s.verify(id, .passed))
        case .verifiedFailed: s.event(Scenario.committee, s.verify(id, .failed))
        case .closed: s.event(Scenario.committee, s.close())
        case .reopened: s.event(Scenario.committee, .hazardReopened(HazardReopened(hazardId: id, reason: "回头看发现复发", newDeadline: s.day.adding(days: 60))))
        case .withdrawn: s.event(Scenario.committee, withdraw)
        }
    }

    private static let withdraw = EventBody.hazardWithdrawn(HazardWithdrawn(hazardId: "LX-2024-0001", reason: "经复核不属于重大事故隐患"))
}
