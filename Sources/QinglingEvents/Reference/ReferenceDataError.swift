/// Why a reference-data file cannot be used: it cannot be read, is not JSON, or its content is
/// wrong — each problem named with the file and the field path (e.g. `regions[3].code`).
public enum ReferenceDataError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(file: String, reason: String)
    /// The file is not one JSON document.
    case syntax(file: String, JSONSyntaxError)
    /// The document is JSON but not valid reference data: every problem, with its field path.
    case invalid(file: String, problems: [DocumentProblem])

    /// The file the error is about.
    public var file: String {
        switch self {
        case .unreadable(let file, _), .syntax(let file, _), .invalid(let file, _): file
        }
    }

    /// The message for people: the file, what is wrong, and for `invalid` one problem a line.
    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "reference data \(file): cannot read it: \(reason)"
        case let .syntax(file, error):
            return "reference data \(file): not JSON: \(error)"
        case let .invalid(file, problems):
            let listed = problems.map { "\(file): \($0.text(.en))" }
            return "reference data \(file) is invalid (\(problems.count) problem\(problems.count == 1 ? "" : "s")):\n  "
                + listed.joined(separator: "\n  ")
        }
    }
}
