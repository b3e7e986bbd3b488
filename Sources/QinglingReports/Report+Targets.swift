import QinglingEvents
import QinglingProjections

extension Report {
    /// The checks, then every breach with who answers for it.
    public static func targets(_ targets: PlanTargets) -> Report {
        let date = targets.date
        var report = Report(facts: [.init(key: "asOf", zh: "截止日", en: "As of", value: .date(date))]
                                + targets.checks.flatMap { figures(of: $0.measure) })
        let names: [String: (zh: String, en: String)] = [
            "stockCleared": ("存量清零（2023-12-31及以前发现的隐患截至2024-12-31全部销号）", "Stock cleared (hazards found by 2023-12-31 closed by 2024-12-31)"),
            "newContained": ("增量遏制（2025年新增少于2024年）", "New contained (fewer new hazards in 2025 than 2024)"),
            "dynamicZero": ("动态清零（2026年每月末无逾期）", "Dynamic zero (no hazard overdue at any 2026 month end)"),
        ]
        let shortNames: [String: (zh: String, en: String)] = [
            "stockCleared": ("存量清零", "stock cleared"), "newContained": ("增量遏制", "new contained"), "dynamicZero": ("动态清零", "dynamic zero"),
        ]
        let verdicts: [PlanTargets.Verdict: String] = [.passed: "达标", .failed: "未达标", .pending: "进行中"]
        report.tables.append(Report.Table(key: "targets", zh: "三年行动目标", en: "Plan targets",
            columns: [.init(key: "target", zh: "目标", en: "Target"), .init(key: "verdict", zh: "结论", en: "Verdict"),
                      .init(key: "measure", zh: "依据", en: "Measure"), .init(key: "breaches", zh: "不达标隐患数", en: "Breaches")],
            rows: targets.checks.map { check in
                [.term(code: check.id, zh: names[check.id]?.zh ?? check.id, en: names[check.id]?.en ?? check.id),
                 .term(code: check.verdict.rawValue, zh: verdicts[check.verdict] ?? check.verdict.rawValue, en: check.verdict.rawValue),
                 .words(check.measure.text), .int(check.breaches.count)]
            }))
        report.tables.append(Report.Table(key: "breaches", zh: "不达标隐患及责任人", en: "Hazards breaking a target, and who answers for each",
            columns: [.init(key: "target", zh: "目标", en: "Target"), .init(key: "on", zh: "日期", en: "On"),
                      .init(key: "hazardId", zh: "隐患编号", en: "Hazard"), .init(key: "region", zh: "地区", en: "Region"),
                      .init(key: "industry", zh: "行业", en: "Industry"), .init(key: "discoveredOn", zh: "发现日期", en: "Discovered"),
                      .init(key: "status", zh: "状态", en: "Status"), .init(key: "deadline", zh: "整改期限", en: "Deadline"),
                      .init(key: "leadDepartment", zh: "牵头部门", en: "Lead department"),
                      .init(key: "departmentOfficer", zh: "部门责任人", en: "Department officer"),
                      .init(key: "enterprisePrincipal", zh: "企业主要负责人", en: "Enterprise principal")],
            rows: targets.checks.flatMap { check in
                check.breaches.map { b in
                    [.term(code: check.id, zh: shortNames[check.id]?.zh ?? check.id, en: shortNames[check.id]?.en ?? check.id),
                     .date(b.on), .text(b.hazardId), .text(b.region), .industry(b.industry), .date(b.discoveredOn), .status(b.status),
                     .date(b.deadline), b.leadDepartment.map { .text($0) } ?? .none, b.departmentOfficer.map { .text($0) } ?? .none,
                     b.enterprisePrincipal.map { .text($0) } ?? .none]
                }
            }))
        return report
    }

    /// The figures a check's verdict rests on, as facts: numbers in JSON, not only inside the
    /// words of its `measure`.
    static func figures(of measure: PlanTargets.Measure) -> [Fact] {
        switch measure {
        case let .stockOpen(on, count):
            [.init(key: "stockCheckedOn", zh: "存量清零检查日", en: "Stock checked on", value: .date(on)),
             .init(key: "stockStillOpen", zh: "2023-12-31及以前发现、检查日仍未销号", en: "Found by 2023-12-31, still open that day", value: .int(count))]
        case let .newHazards(in2024, in2025):
            [.init(key: "newIn2024", zh: "2024年新增隐患", en: "New hazards in 2024", value: .int(in2024)),
             .init(key: "newIn2025", zh: "2025年新增隐患", en: "New hazards in 2025", value: .int(in2025))]
        case let .monthEnds(checked, overdue):
            [.init(key: "monthEndsChecked", zh: "2026年已检查月末", en: "Month ends of 2026 checked", value: .int(checked)),
             .init(key: "overdueHazardMonthEnds", zh: "逾期隐患·月末", en: "Overdue hazard-month-ends", value: .int(overdue))]
        }
    }
}
