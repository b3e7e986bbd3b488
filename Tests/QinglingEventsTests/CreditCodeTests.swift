import Testing
import QinglingEvents

/// A credit code's problem is typed (for words in either language) and keeps its English words.
@Suite struct CreditCodeTests {
    @Test func eachProblemIsNamedInTheOrderItIsFound() {
        #expect(CreditCode.problem("91430682MA4L0C7A47") == nil)
        #expect(CreditCode.problem("91430682MA4L0C7A4") == .length(17))
        #expect(CreditCode.problem("9143068IMA4L0C7A4N") == .character(position: 8))
        #expect(CreditCode.problem("914306A2MA4L0C7A4N") == .divisionNotDigits)
        #expect(CreditCode.problem("91430682MA4L0C7A48") == .checkCharacter(found: "8", expected: "7"))
    }

    @Test func theEnglishWordsAreTheDecodersAsBefore() {
        #expect(CreditCode.problem("91430682MA4L0C7A4")?.message(.en) == "has 17 characters; a credit code has 18")
        #expect(CreditCode.problem("9143068IMA4L0C7A4N")?.message(.en) == "character 8 is not one of 0-9 A-H J-N P Q R T U W X Y")
        #expect(CreditCode.problem("914306A2MA4L0C7A4N")?.message(.en) == "characters 3 to 8 (the division code) must be digits")
        #expect(CreditCode.problem("91430682MA4L0C7A48")?.message(.en) == "check character is 8, GB 32100-2015 gives 7")
        #expect(CreditCode.problem("91430682MA4L0C7A47") == nil)
    }
}
