import Testing
import QinglingEvents
@testable import QinglingWorkflow

/// Every rule says itself in Chinese and in English; suggestions are the nearest valid values.
@Suite struct RuleMessageTests {
    static let day = CalendarDate(year: 2026, month: 12, day: 1) ?? CalendarDate(daysSinceEpoch: 0)
    static let time = ShanghaiDateTime(date: day, hour: 9, minute: 30, second: 0) ?? ShanghaiDateTime(microseconds: 0)

    /// One value of each case.
    static let rules: [WorkflowViolation.Rule] = [
        .expectedVersionOutsideStorable(-1, storable: 0...9), .unstorable(.outOfRange(.date(days: 2_932_897), at: 9)),
        .eventIdReused("t-1", sequence: 3), .inTheFuture(time, now: time), .beforeEarliestDate(field: "occurredAt", day),
        .hazardIdYear(hazardId: "LX-1999-0001", discoveredOn: day), .expectedVersionWithoutHazard(1),
        .unknownRegion("桃林", nearest: ["430682107 桃林镇"]), .unknownIndustry("烟花", nearest: ["烟花爆竹"]),
        .unknownOrganization(.town, id: "430682170", role: .actor, nearest: ["430682107 桃林镇", "430682110 詹桥镇"]),
        .invalidCreditCode("91430682MA4L0C7A48", role: .actor, .checkCharacter(found: "8", expected: "7")),
        .invalidCreditCode("某公司", role: .escalationTarget, .length(3)), .invalidCreditCode("91430682MA4L0C7AI7", role: .actor, .character(position: 17)),
        .invalidCreditCode("9143068AMA4L0C7A47", role: .actor, .divisionNotDigits), .hazardIdPrefix(hazardId: "LXGX-2024-0105", prefix: "LX"),
        .versionMismatch(hazardId: "LX-2024-0001", expected: 2, found: 1), .hazardExists("LX-2024-0001"), .unknownHazard("LX-2024-0001"),
        .notOwnHazard(actorId: "91430682MA4L0C7A47"), .notPermitted(.enterprise, .hazardVerified),
        .wrongStatus(hazardId: "LX-2024-0001", .reported, .hazardClosed), .noLeadYet(hazardId: "LX-2024-0001", .reported, .hazardClosed),
        .notLead(lead: "lx-yjj", actorId: "lx-zjj", .hazardClosed), .notOwnEnterprise(hazardEnterprise: nil),
        .notTheTown(townId: "430682101", townRegion: "忠防镇", hazardId: "LX-2024-0001", hazardRegion: "桃林镇"),
        .verifierRecordedRectification(PersonRef(id: "tlz-002", name: "王芳")),
        .discoveredAfterReport(discoveredOn: day, reportedAt: time),
        .beforePreviousStep(hazardId: "LX-2024-0001", on: day, previous: .hazardVerified, previousOn: day.adding(days: 4)),
        .beforeReport(hazardId: "LX-2024-0001", on: day, reportedOn: day.adding(days: 2)),
        .beforeTipOff(tipOffId: "JB-2024-0007", on: day, receivedOn: day.adding(days: 3)),
        .deadlineNotAfterDiscovery(deadline: day, discoveredOn: day), .deadlineNotLater(day, current: day),
        .completedAfterRecorded(day, recordedAt: time),
        .completedBeforeTheStepItAnswers(hazardId: "LX-2024-0001", completedOn: day, step: .hazardReopened, stepOn: day.adding(days: 1)),
        .reopenDeadlineNotAfter(day, reopenedOn: day), .fineWithoutAmount,
        .penaltyNamesAnotherEnterprisesHazard(hazardId: "LX-2024-0001", penalised: "91430682MA4PBX3D27", owner: nil), .tipOffNotReceived("JB-2024-0007"),
        .escalationNamesHazardOutsideTarget(hazardId: "LX-2024-0001", target: OrganizationRef(kind: .town, id: "430682101", name: "忠防镇")),
        .tipOffExists("JB-2024-0007"), .tipOffNotConfirmed("JB-2024-0007"),
        .attachmentNotStored(sha256: String(repeating: "ab", count: 32)),
        .attachmentDiffers(sha256: String(repeating: "ab", count: 32), stated: "1024 bytes image/png", stored: "2048 bytes image/png"),
    ]

    @Test(arguments: rules)
    func aRuleSaysItselfInBothLanguages(rule: WorkflowViolation.Rule) {
        let zh = rule.message(.zh), en = rule.message(.en)
        #expect(!zh.isEmpty && !en.isEmpty && zh != en)
        #expect(zh.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(zh)")
        #expect(en.unicodeScalars.allSatisfy { $0.isASCII || (0x3000...0x9FFF).contains($0.value) || (0xFF00...0xFFEF).contains($0.value) }, "\(en)")
        // Not cut off: the English does not end on a word that needs more after it.
        let last = en.split(separator: " ").last.map(String.init) ?? ""
        #expect(!["be", "may", "is", "not", "the", "a", "an", "of", "to", "before", "after"].contains(last), "cut off: \(en)")
    }

    @Test func theWholeLineNamesThePlaceInEitherLanguage() {
        let violation = WorkflowViolation(line: 3, eventId: "t-9", type: .hazardClosed, rule: .fineWithoutAmount)
        #expect(violation.description == "line 3 (event t-9): HazardClosed refused: a fine needs an amount above 0 fen")
        #expect(violation.text(.en) == violation.description)
        #expect(violation.text(.zh) == "第 3 行（事件 t-9）：销号（HazardClosed）被拒绝：罚款金额须大于 0 分")
        #expect(WorkflowViolation(line: nil, eventId: "t-9", type: .hazardClosed, rule: .fineWithoutAmount).text(.en).hasPrefix("event t-9: "))
    }

    @Test func onlyConcurrentEditsAndReusedIdsAreConflicts() {
        #expect(Self.rules.filter(\.isConflict) == [.eventIdReused("t-1", sequence: 3), .versionMismatch(hazardId: "LX-2024-0001", expected: 2, found: 1)])
    }

    @Test func theNearestNamesAreFoundByEditsSwapsAndPrefixes() {
        let scalars: (String) -> [Unicode.Scalar] = { Array($0.unicodeScalars) }
        #expect(NearestNames.distance(scalars("430682170"), scalars("430682107")) == 1, "a swap counts 1")
        #expect(NearestNames.distance(scalars("桃林"), scalars("桃林镇")) == 1)
        #expect(NearestNames.distance(scalars(""), scalars("lx-aqw")) == 6)
        let regions = ReferenceData.linxiang.regions.map { NearestNames.Candidate(keys: [$0.code, $0.name], label: $0.code + " " + $0.name) }
        #expect(NearestNames.labels(near: "430682170", in: regions) == ["430682107 桃林镇", "430682110 詹桥镇"])
        #expect(NearestNames.labels(near: "陶林镇", in: regions) == ["430682107 桃林镇"])
        #expect(NearestNames.labels(near: "lxgxq", in: regions).first == "LXGXQ 临湘高新区")
        #expect(NearestNames.labels(near: "x", in: []).isEmpty)
    }
}
