import Foundation
import Testing
@testable import QinglingProjections

/// The state's large arrays ask for transparent huge pages, and keep their elements.
@Suite struct HugePagesTests {
    @Test func reservingKeepsTheElementsAndMakesTheRoomAsked() {
        var numbers = Array(0..<1_000)
        numbers.reserveCapacityInHugePages(3 << 20)
        #expect(numbers == Array(0..<1_000))
        #expect(numbers.capacity >= 3 << 20)
        let before = numbers.capacity
        numbers.makeRoomInHugePages(for: before - numbers.count)
        #expect(numbers.capacity == before, "the room was already there")
        numbers.append(contentsOf: repeatElement(7, count: before - numbers.count))
        numbers.makeRoomInHugePages(for: 1)
        #expect(numbers.capacity >= 2 * before, "growing doubles, as append would")
        #expect(numbers.prefix(1_000) == Array(0..<1_000)[...])
    }

    #if os(Linux)
    /// The kernel marks the mapping holding a large reserved array as advised for huge pages
    /// (`hg` among its flags in /proc/self/smaps). Only where the kernel has transparent huge
    /// pages at all (elsewhere the advice is refused, harmlessly).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/sys/kernel/mm/transparent_hugepage/enabled")))
    func aLargeReservationIsAdvisedForHugePages() throws {
        var table: [UInt64] = []
        table.reserveCapacityInHugePages(4 << 20)  // 32 MiB
        let address = table.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) } + 8 << 20
        // Read to the end: a /proc file reports a size of 0.
        let file = try #require(FileHandle(forReadingAtPath: "/proc/self/smaps"))
        let smaps = String(decoding: try #require(try file.readToEnd()), as: UTF8.self)
        var inMapping = false
        var flags: String?
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if let range = fields.first, range.contains("-"), !range.hasSuffix(":") {
                let bounds = range.split(separator: "-").compactMap { UInt($0, radix: 16) }
                inMapping = bounds.count == 2 && bounds[0] <= address && address < bounds[1]
            } else if inMapping, line.hasPrefix("VmFlags:") {
                flags = String(line)
            }
        }
        let advised = try #require(flags, "no mapping holds the array")
        #expect(advised.split(separator: " ").contains("hg"), "\(advised)")
        withExtendedLifetime(table) {}
    }
    #endif
}
