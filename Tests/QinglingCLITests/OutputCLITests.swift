import Foundation
import Testing

/// `--output FILE` of `export`, `generate` and `prove`: it only ever creates a new file
/// (docs/reliability.md, "`--output` over something already there").
@Suite struct OutputCLITests {
    /// Every entry under `directory` (hidden ones too), with the bytes of each file and the
    /// target of each link.
    static func tree(_ directory: String) -> [String: String] {
        var entries: [String: String] = [:]
        for path in (FileManager.default.subpaths(atPath: directory) ?? []) where !path.hasSuffix("LOCK") {
            let full = directory + "/" + path
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: full) {
                entries[path] = "link to " + target
            } else if let data = FileManager.default.contents(atPath: full) {
                entries[path] = data.base64EncodedString()
            } else {
                entries[path] = "directory"
            }
        }
        return entries
    }

    @Test func whatIsAlreadyThereIsNeverRemovedOrReplaced() throws {
        let scratch = Scratch()
        let log = scratch.child("log")
        let events = scratch.child("events.jsonl")
        #expect(try Qingling.run(["generate", "--hazards-per-year", "5", "--first-year", "2024", "--last-year", "2024", "--output", events]).status == 0)
        #expect(try Qingling.run(["append", "--log", log, events]).status == 0)
        let directory = scratch.child("reports")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "keep me".write(toFile: directory + "/notes.txt", atomically: false, encoding: .utf8)
        let file = scratch.child("earlier.jsonl")
        try "an earlier export".write(toFile: file, atomically: false, encoding: .utf8)
        let link = scratch.child("link.jsonl")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: file)
        let before = Self.tree(scratch.path)

        for (command, taken, what) in [(["export", "--log", log], log, "a directory"), (["export", "--log", log], directory, "a directory"),
                                       (["generate", "--hazards-per-year", "1"], directory, "a directory"),
                                       (["export", "--log", log], file, "a regular file"), (["generate", "--hazards-per-year", "1"], file, "a regular file"),
                                       (["export", "--log", log], link, "a symbolic link")] {
            let result = try Qingling.run(command + ["--output", taken])
            #expect(result.status == 64, "\(command) --output \(taken): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains("--output \(taken): \(what) is already there"), "\(result.stderr)")
            #expect(result.stderr.contains("move it away first, or give the path of a file that does not exist yet"))
            #expect(Self.tree(scratch.path) == before, "\(command) --output \(taken) changed something")
        }
        #expect(try Qingling.run(["verify", "--log", log]).status == 0)
    }

    @Test func theOutputAppearsWholeOrNotAtAllAndLeavesNothingElse() throws {
        let scratch = Scratch()
        // A file named like the temporary name older versions used is not touched.
        try "someone else's".write(toFile: scratch.child("out.jsonl.tmp"), atomically: false, encoding: .utf8)
        let generated = try Qingling.run(["generate", "--hazards-per-year", "5", "--output", scratch.child("out.jsonl")])
        #expect(generated.status == 0, "\(generated.stderr)")
        #expect(try String(contentsOfFile: scratch.child("out.jsonl.tmp"), encoding: .utf8) == "someone else's")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted() == ["out.jsonl", "out.jsonl.tmp"])
        let standardOutput = try Qingling.run(["generate", "--hazards-per-year", "5"]).stdout
        #expect(try String(contentsOfFile: scratch.child("out.jsonl"), encoding: .utf8) == standardOutput)

        // A command that fails leaves no output and no temporary file.
        let log = scratch.child("log")
        #expect(try Qingling.run(["append", "--log", log, scratch.child("out.jsonl")]).status == 0)
        let unsealed = try Qingling.run(["prove", "1", "--log", log, "--output", scratch.child("proof.json")])
        #expect(unsealed.status == 3, "\(unsealed.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted() == ["log", "out.jsonl", "out.jsonl.tmp"])

        // A directory that does not exist: the system's refusal, with its errno.
        let missing = try Qingling.run(["export", "--log", log, "--output", scratch.child("no-such-folder/out.jsonl")])
        #expect(missing.status == 4 && missing.stderr.contains("no such file or directory (errno 2)"), "\(missing.stderr)")
    }

    @Test func proveNeverWritesOverTheLog() throws {
        let scratch = Scratch()
        let log = scratch.child("demo")
        #expect(try Qingling.run(["demo", "--directory", log, "--hazards-per-year", "5"]).status == 0)
        let before = Self.tree(log)
        for taken in [log, log + "/archive", log + "/log.meta"] {
            let result = try Qingling.run(["prove", "1", "--log", log, "--output", taken])
            #expect(result.status == 64 && result.stderr.contains("is already there"), "\(taken): \(result.stderr)")
        }
        #expect(Self.tree(log) == before)
        #expect(try Qingling.run(["verify", "--log", log]).status == 0)
        let proof = try Qingling.run(["prove", "1", "--log", log, "--output", scratch.child("proof.json")])
        #expect(proof.status == 0 && FileManager.default.fileExists(atPath: scratch.child("proof.json")), "\(proof.stderr)")
    }
}
