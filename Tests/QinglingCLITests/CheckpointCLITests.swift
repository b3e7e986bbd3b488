import Foundation
import QinglingTestSupport
import Testing

/// The projection checkpoint as a user meets it: `verify` compares it with a rebuild, and one
/// covering events the log no longer holds stops the analysts' commands.
@Suite struct CheckpointCLITests {
    /// Moves the latest business date a checkpoint holds one day back and fixes the CRC-32Cs
    /// of its summary section and preamble, as someone editing `projections/state.qlproj` would.
    static let forgery = """
        import sys
        def crc32c(data):
            table = []
            for n in range(256):
                c = n
                for _ in range(8): c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
                table.append(c)
            crc = 0xFFFFFFFF
            for byte in data: crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
            return crc ^ 0xFFFFFFFF
        path = sys.argv[1]
        data = bytearray(open(path, 'rb').read())
        sections = data[5]
        preamble = 6 + sections * 16 + 8        # magic, version, count, (length, checksum) each, checksum
        summary_length = int.from_bytes(data[6:14], 'little')
        body = data[preamble:preamble + summary_length]
        rest = data[preamble + summary_length:]
        def varint(i):
            value, shift = 0, 0
            while True:
                byte = body[i]; i += 1
                value |= (byte & 0x7F) << shift; shift += 7
                if not byte & 0x80: return value, i
        i = 0
        _, i = varint(i)                      # next sequence
        length, i = varint(i); i += length    # last event hash
        _, i = varint(i)                      # last recorded time
        assert body[i] == 1; i += 1           # the latest business date is present
        start = i
        zigzag, i = varint(i)
        days = ((zigzag >> 1) ^ -(zigzag & 1)) - 1
        zigzag = (days << 1) ^ (days >> 63)
        encoded = bytearray()
        while True:
            low, zigzag = zigzag & 0x7F, zigzag >> 7
            encoded.append(low | (0x80 if zigzag else 0))
            if not zigzag: break
        body[start:i] = encoded
        data[6:14] = len(body).to_bytes(8, 'little')
        data[14:22] = crc32c(bytes(body)).to_bytes(8, 'little')
        data[preamble - 8:preamble] = crc32c(bytes(data[:preamble - 8])).to_bytes(8, 'little')
        open(path, 'wb').write(bytes(data[:preamble]) + bytes(body) + bytes(rest))
        """

    @Test func verifyNamesWhatAForgedCheckpointChangesAndARemovedSegmentStopsTheCommands() throws {
        let scratch = Scratch()
        let log = scratch.child("demo")
        #expect(try Qingling.run(["demo", "--directory", log, "--hazards-per-year", "8", "--seed", "3"]).status == 0)
        let checkpoint = log + "/projections/state.qlproj"
        let clean = try Qingling.run(["verify", "--log", log])
        #expect(clean.status == 0, "\(clean.stdout)")
        #expect(clean.stdout.contains("projection checkpoint: covers") && clean.stdout.contains("equals a full rebuild"))

        let forge = try ChildProcess.run("/usr/bin/env", ["python3", "-c", Self.forgery, checkpoint])
        #expect(forge.status == 0, "\(forge.stderr)")
        let forged = try Qingling.run(["verify", "--log", log])
        #expect(forged.status == 5)
        #expect(forged.stdout.contains("problem: \(checkpoint): brought up to date from the"))
        #expect(forged.stdout.contains("differs from a full rebuild in the latest business date"))
        #expect(forged.stdout.contains("verify: FAILED (1 problem)"))

        // A rebuild replaces the forged checkpoint; then the live segment goes missing.
        #expect(try Qingling.run(["rebuild", "--log", log]).status == 0)
        let segments = try FileManager.default.contentsOfDirectory(atPath: log + "/segments").filter { $0.hasSuffix(".qlseg") }
        #expect(segments.count == 1 && segments[0].hasPrefix("2026-"))
        // With its index too, which would otherwise show the segment missing before the checkpoint does.
        try FileManager.default.removeItem(atPath: log + "/segments/" + segments[0])
        try? FileManager.default.removeItem(atPath: log + "/index/" + segments[0].replacingOccurrences(of: ".qlseg", with: ".qlidx"))
        let saved = try Data(contentsOf: URL(fileURLWithPath: checkpoint))
        for command in [["stats", "2025"], ["rebuild"]] {
            let result = try Qingling.run(command + ["--log", log])
            #expect(result.status == 5, "\(command)")
            #expect(result.stderr.contains("covers") && result.stderr.contains("events but the log holds") && result.stderr.contains("events were removed"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: checkpoint)) == saved)
        let removed = try Qingling.run(["verify", "--log", log])
        #expect(removed.status == 5 && removed.stdout.contains("problem: projection checkpoint \(checkpoint) covers"))
    }

    /// A warm `stats` of a calendar month, quarter or year answers from the figures the
    /// checkpoint keeps for it: byte for byte what the command that folded the log answered.
    @Test func statsFromTheKeptFiguresEqualsStatsFromTheTimelines() throws {
        let scratch = Scratch()
        let log = scratch.child("demo")
        #expect(try Qingling.run(["demo", "--directory", log, "--hazards-per-year", "30", "--seed", "5"]).status == 0)
        let checkpoint = log + "/projections/state.qlproj"
        for question in [["2025", "--by", "both"], ["2025Q3", "--by", "region"], ["2024-07", "--by", "industry"], ["2026-01", "--by", "total"],
                         ["2025", "--by", "both", "--lang", "en", "--format", "csv"]] {
            try? FileManager.default.removeItem(atPath: checkpoint)
            let folded = try Qingling.run(["stats"] + question + ["--log", log])
            #expect(folded.status == 0 && FileManager.default.fileExists(atPath: checkpoint), "\(question): \(folded.stderr)")
            let kept = try Qingling.run(["stats"] + question + ["--log", log])
            #expect(kept.status == 0 && kept.stdout == folded.stdout && !kept.stdout.isEmpty, "\(question)")
        }
        // The kept figures are the file's last section: a byte changed there is damage that the
        // answer notes, then walks the timelines for the same figures.
        let folded = try Qingling.run(["stats", "2025", "--log", log])
        var bytes = try Data(contentsOf: URL(fileURLWithPath: checkpoint))
        bytes[bytes.count - 1] ^= 0x01
        try FileManager.default.removeItem(atPath: checkpoint)  // read-only: written anew
        try bytes.write(to: URL(fileURLWithPath: checkpoint))
        let damaged = try Qingling.run(["stats", "2025", "--log", log])
        #expect(damaged.status == 0 && damaged.stdout == folded.stdout)
        #expect(damaged.stderr.contains("kept clearance figures were not used") && damaged.stderr.contains("calendar figures"))
    }
}
