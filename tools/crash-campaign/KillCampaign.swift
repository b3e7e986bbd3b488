import ArgumentParser
import Foundation
import QinglingArchive
import QinglingLog

/// Starts the writer (and now and then the archive job) as a real process, kills it with
/// SIGKILL at a random moment, and checks the log after every kill.
struct KillCampaign: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kill",
        abstract: "SIGKILL a writer (and the archive job) at random moments; after each kill check every acknowledged event.",
        discussion: """
        After every kill: the log opens for writing (recovering a torn tail), every sequence \
        from 0 holds exactly the event appended there (byte for byte), every acknowledged event \
        is present, the hash chain verifies, and sealed years verify (signature, files, Merkle \
        roots); the next writer appends again.
        """
    )

    @Option(help: "How many kills.") var kills = 30
    @Option(help: "The random seed (the same seed gives the same kill schedule).") var seed: UInt64 = 1
    @Option(help: "Kill the archive job instead of the writer every this many kills (0: never).") var sealEvery = 6
    @Option(help: ArgumentHelp("Where to keep the log (default: a fresh temporary directory).", valueName: "DIR")) var directory: String?

    func run() throws {
        let directory = self.directory ?? NSTemporaryDirectory() + "qingling-kill-\(getpid())"
        guard !FileManager.default.fileExists(atPath: directory) else { throw ValidationError("\(directory) exists; give a new directory") }
        let keyPath = directory + ".signing-key"
        defer {
            if self.directory == nil {
                try? FileManager.default.removeItem(atPath: directory)
                try? FileManager.default.removeItem(atPath: keyPath)
            }
        }
        var random = SplitMix(state: seed)
        var acknowledged = 0
        var figures = Figures()
        let started = Date()
        for cycle in 1...kills {
            let sealing = sealEvery > 0 && cycle % sealEvery == 0 && FileManager.default.fileExists(atPath: keyPath)
            let delay = sealing ? random.below(1_500_000) : 20_000 + random.below(600_000)
            let output = try runAndKill(sealing ? ["sealer", directory, keyPath] : ["writer", directory, "--seed", String(random.next())],
                                        afterMicroseconds: delay)
            if sealing {
                figures.sealKills += 1
                if output.contains("SEALED") { figures.sealsCompleted += 1 }
            } else {
                figures.writerKills += 1
                for line in output.split(separator: "\n") where line.hasPrefix("ACK ") {
                    let parts = line.split(separator: " ")
                    if parts.count == 3, let end = Int(parts[2]) { acknowledged = max(acknowledged, end) }
                }
            }
            try check(directory, acknowledged: acknowledged, cycle: cycle, figures: &figures)
            if !FileManager.default.fileExists(atPath: keyPath), FileManager.default.fileExists(atPath: directory + "/log.meta") {
                _ = try SigningKeys.generate(privateKeyPath: keyPath, logDirectory: directory)
            }
        }
        figures.acknowledged = acknowledged
        print(figures.report(seconds: Date().timeIntervalSince(started), seed: seed))
    }

    /// Runs this program's `arguments` as a child, kills it with SIGKILL after the delay (if
    /// it is still running) and returns what it printed.
    private func runAndKill(_ arguments: [String], afterMicroseconds delay: Int) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Bundle.main.executablePath ?? CommandLine.arguments[0])
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(UInt32(delay))
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// Every promise, after a kill.
    private func check(_ directory: String, acknowledged: Int, cycle: Int, figures: inout Figures) throws {
        func fail(_ what: String) -> ExitCode {
            print("kill \(cycle): BROKEN: \(what)")
            return ExitCode(1)
        }
        guard FileManager.default.fileExists(atPath: directory + "/log.meta") else {
            if acknowledged > 0 { throw fail("the log vanished after \(acknowledged) acknowledged events") }
            return
        }
        let reader = try LogReader(directory: directory)
        let lastTime = try reader.lastRecordedAt() ?? CampaignEvents.start
        do {
            let writer = try LogWriter(directory: directory, options: LogOptions(clock: SimulatedClock(microseconds: lastTime), createIfMissing: false))
            figures.tailsCut += writer.recovery.cutTails.count
            figures.leftoversRemoved += writer.recovery.removedSealingLeftovers.count
            try writer.close()
        } catch {
            throw fail("the log does not open for writing: \(error)")
        }
        var count = 0
        do {
            try LogReader(directory: directory).forEach { record throws(LogError) in
                let expected = CampaignEvents.expected(count)
                guard record.sequence == UInt64(count), record.payload == expected.payload, record.keys == expected.keys else {
                    throw LogError.corrupt(path: directory, offset: 0, reason: "sequence \(count) does not hold the event appended there")
                }
                count += 1
            }
        } catch {
            throw fail("reading: \(error)")
        }
        guard count >= acknowledged else { throw fail("\(acknowledged) events acknowledged, \(count) in the log") }
        figures.eventsChecked += count
        let report = try ArchiveVerifier.verify(directory: directory)
        guard report.passed else { throw fail("verify: \((report.log?.problems.map(\.description) ?? []) + report.problems)") }
        figures.sealedYears = report.years.count
    }

    struct Figures {
        var writerKills = 0, sealKills = 0, sealsCompleted = 0, tailsCut = 0, leftoversRemoved = 0
        var eventsChecked = 0, acknowledged = 0, sealedYears = 0

        func report(seconds: Double, seed: UInt64) -> String {
            """
            kill campaign (seed \(seed)) passed in \(String(format: "%.0f", seconds)) s:
              kills survived: \(writerKills + sealKills) (\(writerKills) of the writer, \(sealKills) of the archive job; \(sealsCompleted) seals completed before their kill)
              events acknowledged: \(acknowledged); event checks (every event, after every kill): \(eventsChecked)
              torn tails cut on recovery: \(tailsCut); sealing leftovers removed: \(leftoversRemoved); sealed years verified: \(sealedYears)
            """
        }
    }
}
