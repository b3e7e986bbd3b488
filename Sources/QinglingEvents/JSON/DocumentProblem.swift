/// One problem of a JSON document read field by field (an event, the reference data): where
/// (`path`, e.g. `data.responsible.townOfficer.name`; empty for the document itself) and what
/// (`kind`, with the values found). The words are derived: `text(_:)` in Chinese or English.
public struct DocumentProblem: Equatable, Sendable {
    /// The field's path; empty for the document itself.
    public var path: String
    /// What is wrong.
    public var kind: Kind

    /// The problem `kind` of the field at `path`.
    public init(path: String, _ kind: Kind) {
        self.path = path
        self.kind = kind
    }

    /// Each way a field can be wrong, with what was found. Field names, values and codes are
    /// carried as they are.
    public enum Kind: Equatable, Sendable {
        // Any field.
        /// A member that the document's form does not have.
        case unknownField
        /// A field that must be there is not.
        case required
        /// A field written as `null`: an absent optional field is left out instead.
        case null
        /// A value of another type or form than the field's.
        case expected(Expectation, found: Found)

        // Strings.
        /// A string whose length (in Unicode scalars) is outside the field's.
        case length(ClosedRange<Int>, found: Int)
        /// A string of white space only.
        case blank
        /// A string holding a control character (C0, DEL or C1; `ControlCharacters`): the first
        /// one and its position, counted in Unicode scalars from 1.
        case controlCharacter(Unicode.Scalar, position: Int)
        /// A string that is not of the identifier form the field takes.
        case notAn(IdentifierForm, found: String)
        /// A value that must be unique appears again here.
        case duplicate(String)

        // Numbers and arrays.
        /// An integer outside the field's range.
        case outOfRange(Int64, ClosedRange<Int64>)
        /// An array with a number of items outside the field's range.
        case itemCount(ClosedRange<Int>, found: Int)

        // Events.
        /// An organisation's kind that the field does not allow (the kinds it does, as codes).
        case organizationKind(allowed: [String])
        /// Some but not all of the output-only fields `sequence`, `recordedAt` and `hash`.
        case outputFieldsApart
        /// A `hash` that is not 64 lowercase hexadecimal digits.
        case notASHA256
        /// A credit code that fails GB 32100-2015, and why.
        case creditCode(String, CreditCode.Problem)
        /// A reporter's identity field not of its form (the value is never repeated).
        case reporterField(ReporterFieldForm)
        /// A `data.reporter` with none of its fields.
        case reporterEmpty
        /// A `data.reporterSealed` on input: only the program that appends seals an identity.
        case reporterSealedOnInput
        /// A `data.reporter` where nothing can seal it.
        case reporterNotSealedHere

        // Reference data.
        /// A lead industry that is not one of the reference data's industries.
        case notAnIndustry(String)
        /// An industry that another department (by id) already leads.
        case industryAlreadyLed(String, by: String)
        /// The committee's office listed as leading industries.
        case committeeLeadsIndustries
    }

    /// What a field takes, as a message says it was expected.
    public enum Expectation: Equatable, Sendable {
        case object, string, array, nonEmptyArray, boolean, integer
        /// An integer amount of money in fen.
        case fen
        /// A calendar date `YYYY-MM-DD`.
        case date
        /// An RFC 3339 time with the +08:00 offset.
        case dateTime
        /// One of a vocabulary's codes.
        case oneOf([String])
        /// A string of 1 to `maxLength` characters, not blank.
        case nonBlankString(maxLength: Int)
    }

    /// What a message says was found instead.
    public enum Found: Equatable, Sendable {
        /// A value of this kind.
        case kind(JSONValueKind)
        /// This value, as JSON text.
        case value(String)
        /// An array with nothing in it.
        case emptyArray
    }

    /// The forms of a reporter's identity fields (`ReporterInput`).
    public enum ReporterFieldForm: Equatable, Sendable {
        case phone, idNumber, idNumberCheck, bankAccount
    }

    /// The forms of identifier a field can take.
    public enum IdentifierForm: Equatable, Sendable {
        case eventId, hazardId, tipOffId
        /// A county's six-digit administrative division code.
        case divisionCode
        /// The capital letters that begin a county's hazard ids.
        case hazardIdPrefix
    }
}
