import QinglingEvents

/// The rule by which a proof's readable `event` is checked against its stored bytes, the same
/// in `qingling verify-proof` and `tools/archive/verify_proof.py` (docs/archive.md, "Inclusion
/// proofs"): the readable event must be the canonical form re-encoded from the stored bytes,
/// compared as JSON values with their types kept and the order of an object's keys not
/// significant.
enum ProofEvent {
    /// Whether `readable` is the same JSON value as `canonical`: of the same JSON type (an
    /// integer is not a number with a fraction or an exponent, a boolean is not a number), two
    /// integers of the same value, strings of the same Unicode code points (not merely
    /// canonically equivalent ones), arrays element by element, objects with the same keys, in
    /// any order, each with the same value.
    static func matches(_ readable: JSONValue, canonical: JSONValue) -> Bool {
        switch (readable, canonical) {
        case (.null, .null): true
        case let (.bool(a), .bool(b)): a == b
        case let (.number(a), .number(b)): integer(a).map { $0 == integer(b) } ?? false
        case let (.string(a), .string(b)): a.unicodeScalars.elementsEqual(b.unicodeScalars)
        case let (.array(a), .array(b)): a.count == b.count && zip(a, b).allSatisfy { matches($0, canonical: $1) }
        case let (.object(a), .object(b)):
            a.count == b.count && b.allSatisfy { member in
                a.first { $0.key.unicodeScalars.elementsEqual(member.key.unicodeScalars) }.map { matches($0.value, canonical: member.value) } ?? false
            }
        default: false
        }
    }

    /// A JSON number written as an integer (no fraction, no exponent), as its decimal digits
    /// with a sign, `-0` read as `0`; `nil` for any other number. The parser has checked the
    /// syntax, so the digits have no leading zero and equal text is equal value.
    private static func integer(_ text: String) -> String? {
        guard !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) else { return nil }
        return text == "-0" ? "0" : text
    }
}
