import QinglingEvents

/// The county's registers: hazard ids (`LX-2024-0031`), tip-off ids (`JB-2024-0007`) and penalty
/// case numbers (`临应急罚〔2024〕12号`), numbered per year in the order stories are planned.
/// One register is shared by every story of a run (a reference; a run is single-threaded).
final class Numbering {
    let hazardPrefix: String
    let countyInitial: String
    private var hazards: [Int: Int] = [:]
    private var tipOffs: [Int: Int] = [:]
    private var cases: [String: Int] = [:]

    init(reference: ReferenceData) {
        hazardPrefix = reference.hazardIdPrefix
        countyInitial = reference.county.first.map(String.init) ?? ""
    }

    /// The next hazard id of `year` (4 digits, more past 9999; at most 999999 a year).
    func hazardId(year: Int) -> String {
        let number = (hazards[year] ?? 0) + 1
        hazards[year] = number
        return hazardPrefix + "-" + String(year) + "-" + Numbering.pad(number, 4)
    }

    /// The next tip-off id of `year`.
    func tipOffId(year: Int) -> String {
        let number = (tipOffs[year] ?? 0) + 1
        tipOffs[year] = number
        return "JB-" + String(year) + "-" + Numbering.pad(number, 4)
    }

    /// The next case number of a department's penalty decisions in `year`.
    func caseNumber(_ department: Department, year: Int) -> String {
        let key = department.id + "/" + String(year)
        let number = (cases[key] ?? 0) + 1
        cases[key] = number
        return countyInitial + department.abbreviation + "罚〔" + String(year) + "〕" + String(number) + "号"
    }

    static func pad(_ number: Int, _ width: Int) -> String {
        let text = String(number)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
