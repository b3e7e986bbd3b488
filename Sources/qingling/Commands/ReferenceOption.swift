import ArgumentParser
import QinglingEvents

/// `--reference FILE`: the county's regions, industries and departments (default: Linxiang).
struct ReferenceOption: ParsableArguments {
    @Option(name: .customLong("reference"), help: ArgumentHelp(
        "Reference data (regions, industries, departments) as JSON; default: the built-in Linxiang data (tools/reference/linxiang.json).",
        valueName: "FILE"))
    var file: String?

    func load() throws -> ReferenceData {
        guard let file else { return .linxiang }
        do {
            return try ReferenceData.load(jsonFile: file)
        } catch {
            printError("qingling: \(error)")
            throw ExitCodes.invalidInput
        }
    }
}
