@testable import QinglingArchive
import QinglingEvents
import Testing

/// The rule both proof checkers apply to a proof's readable `event` (docs/archive.md): the
/// canonical form re-encoded from the stored bytes, compared as JSON values with their types
/// kept, the order of an object's keys not significant.
@Suite struct ProofEventTests {
    static func json(_ text: String) -> JSONValue {
        (try? JSONParser.parse(text)) ?? .string("not JSON: \(text)")
    }

    static func same(_ readable: String, _ canonical: String) -> Bool {
        ProofEvent.matches(json(readable), canonical: json(canonical))
    }

    @Test func theOrderOfKeysIsNotSignificant() {
        #expect(Self.same(#"{"b":{"y":1,"x":[1,2]},"a":"t"}"#, #"{"a":"t","b":{"x":[1,2],"y":1}}"#))
        #expect(Self.same(#"{ "a" : "\u0074" }"#, #"{"a":"t"}"#), "escapes and spaces are the same text")
    }

    @Test func typesAreKept() {
        let canonical = #"{"fundsFen":222000,"passed":true,"n":1}"#
        #expect(Self.same(#"{"fundsFen":222000,"passed":true,"n":1}"#, canonical))
        #expect(Self.same(#"{"fundsFen":-0,"passed":true,"n":1}"#, #"{"fundsFen":0,"passed":true,"n":1}"#), "-0 is the integer 0")
        for wrong in [#"{"fundsFen":222000.0,"passed":true,"n":1}"#, #"{"fundsFen":2.22e5,"passed":true,"n":1}"#,
                      #"{"fundsFen":"222000","passed":true,"n":1}"#, #"{"fundsFen":222000,"passed":1,"n":1}"#,
                      #"{"fundsFen":222000,"passed":true,"n":true}"#, #"{"fundsFen":222000,"passed":true,"n":1.0}"#] {
            #expect(!Self.same(wrong, canonical), "\(wrong)")
        }
    }

    @Test func everyMemberMustBeThereAndNothingElse() {
        #expect(!Self.same(#"{"a":1}"#, #"{"a":1,"b":null}"#))
        #expect(!Self.same(#"{"a":1,"b":null}"#, #"{"a":1}"#))
        #expect(!Self.same(#"[1,2]"#, #"[2,1]"#), "arrays keep their order")
    }

    @Test func textIsComparedByItsCodePoints() {
        // A precomposed é and e + a combining accent are the same to Swift's ==, not to a proof.
        #expect(!Self.same("{\"a\":\"\u{E9}\"}", "{\"a\":\"e\u{301}\"}"))
    }
}
