import QinglingEvents
@testable import QinglingProjections
import Testing

/// The checkpoint reader's fields over raw bytes: what it reads, and the damage and offset it
/// names for a field cut short, too long a count or bytes that are not UTF-8.
@Suite struct CheckpointReaderTests {
    @Test func stringsAndCountsReadBackAndTheirDamageIsNamedAtTheField() throws {
        var out = BinaryWriter()
        out.string("临湘")
        out.strings(["a", "bc"])
        out.rawBytes([1, 2, 3])
        out.unsigned(300)
        var input = CheckpointReader(testing: out.bytes)
        #expect(try input.string() == "临湘")
        #expect(try input.strings() == ["a", "bc"])
        #expect(try input.rawBytes() == [1, 2, 3])
        #expect(try input.unsigned() == 300)
        #expect(input.isAtEnd)

        // A length past the end; bytes that are not UTF-8; a count of strings past the end.
        var past = CheckpointReader(testing: [0x05, 0x61])
        #expect(throws: CheckpointDamage.unreadableField(offset: 0)) { try past.string() }
        var invalid = CheckpointReader(testing: [0x01, 0x61, 0x02, 0xC3, 0x28])
        #expect(try invalid.string() == "a")
        #expect(throws: CheckpointDamage.unreadableField(offset: 2)) { try invalid.string() }
        var many = CheckpointReader(testing: [0x09, 0x00])
        #expect(throws: CheckpointDamage.unreadableField(offset: 0)) { try many.strings() }
    }

    @Test func anArraysCountIsCheckedAgainstTheBytesAfterIt() throws {
        // The count and where its values start, for an array at `position` of bytes that lie at
        // offset 1,000 of a file.
        func count(_ bytes: [UInt8], at position: Int) throws(CheckpointDamage) -> (count: Int, start: Int) {
            var input = CheckpointReader(testing: Array(bytes[position...]), at: 1_000 + position)
            let (count, values) = try input.arrayInPlace(of: UInt32.self)
            return (count, input.offset - 1_000 - values.count)
        }
        // Two values of four bytes after a one-byte count, at position 1.
        let bytes: [UInt8] = [0xFF, 0x02] + Array(repeating: 7, count: 8)
        #expect(try count(bytes, at: 1) == (2, 2))
        #expect(throws: CheckpointDamage.countTooLarge(3, offset: 1_001)) { try count([0xFF, 0x03] + Array(repeating: 7, count: 8), at: 1) }
        // Nothing where the count should be; a varint cut short.
        #expect(throws: CheckpointDamage.unreadableField(offset: 1_010)) { try count(bytes, at: bytes.count) }
        #expect(throws: CheckpointDamage.unreadableField(offset: 1_000)) { try count([0x80, 0x80], at: 0) }
        #expect(throws: CheckpointDamage.unreadableField(offset: 1_000)) { try count([], at: 0) }
    }
}
