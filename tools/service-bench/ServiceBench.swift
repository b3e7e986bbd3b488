import ArgumentParser
import AsyncHTTPClient
import Foundation
import QinglingLog
import QinglingTestSupport

/// The service under load, and killed under load (docs/performance.md, docs/reliability.md).
@main
struct ServiceBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service-bench",
        abstract: "Load and kill `qingling serve` (release build: swift build -c release --static-swift-stdlib --product service-bench --product qingling).",
        subcommands: [Load.self, Kill.self]
    )
}

/// Concurrent clients each appending single events through `POST /events`, beside the same
/// number of tasks appending single records to a `LogWriter` directly.
struct Load: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Events/s and p50/p99 latency of single-event appends, service vs LogWriter.")

    @Option(help: "Concurrent clients.") var clients = 200
    @Option(help: "Events each client appends, one per request.") var events = 50
    @Option(help: "Work directory (a fresh one under /tmp by default).") var directory: String?

    func run() async throws {
        let work = directory ?? NSTemporaryDirectory() + "qingling-service-bench-\(UUID().uuidString)"
        let served = try ServedLog(directory: work + "/served")
        try served.start()
        defer { served.stop() }
        let token = try await served.signIn()
        let clients = self.clients, events = self.events
        let started = ContinuousClock.now
        let (latencies, failures) = try await withThrowingTaskGroup(of: (Latencies, Int).self) { group in
            for client in 0..<clients {
                group.addTask {
                    var latencies = Latencies(), failures = 0
                    for index in 0..<events {
                        let sent = ContinuousClock.now
                        let answer = try await served.request("events", method: .POST, token: token, body: ServedLog.report(client * events + index + 1))
                        latencies.add(ContinuousClock.now - sent)
                        if answer.status != .ok { failures += 1 }
                    }
                    return (latencies, failures)
                }
            }
            var all = Latencies(), failures = 0
            for try await (latencies, failed) in group {
                all.values += latencies.values
                failures += failed
            }
            return (all, failures)
        }
        let serviceSeconds = seconds(ContinuousClock.now - started)
        let direct = try await directAppends(directory: work + "/direct", clients: clients, events: events)
        let total = Double(clients * events)
        print("service-bench load: \(clients) clients × \(events) single-event appends (durable: fdatasync before the answer)")
        print("path".padding(toLength: 28, withPad: " ", startingAt: 0) + "    events/s      p50 ms      p99 ms")
        for (name, rate, figures) in [("POST /api/v1/events", total / serviceSeconds, latencies), ("LogWriter.append (direct)", total / direct.seconds, direct.latencies)] {
            print(name.padding(toLength: 28, withPad: " ", startingAt: 0)
                  + String(format: "%12.0f%12.2f%12.2f", rate, figures.percentile(50) * 1000, figures.percentile(99) * 1000))
        }
        if failures > 0 { throw BenchError("\(failures) requests were not answered 200") }
        if directory == nil { try? FileManager.default.removeItem(atPath: work) }
    }

    /// The same number of single-record appends from as many tasks, to a `LogWriter`.
    private func directAppends(directory: String, clients: Int, events: Int) async throws -> (seconds: Double, latencies: Latencies) {
        let writer = try LogWriter(directory: directory)
        defer { try? writer.close() }
        let started = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: Latencies.self) { group in
            for client in 0..<clients {
                group.addTask {
                    var latencies = Latencies()
                    for index in 0..<events {
                        let payload = Array(ServedLog.report(client * events + index + 1).utf8)
                        let sent = ContinuousClock.now
                        _ = try await writer.append([Record(payload: payload)])
                        latencies.add(ContinuousClock.now - sent)
                    }
                    return latencies
                }
            }
            var all = Latencies()
            for try await latencies in group { all.values += latencies.values }
            return all
        }
        return (seconds(ContinuousClock.now - started), latencies)
    }
}

/// SIGKILL of the service under load, `rounds` times: every event answered 200 is in the log,
/// nothing the clients did not send is, `qingling verify` passes, and the restarted service's
/// figures (`GET /stats`) equal those of a rebuild of the same events; so do the figures saved
/// in its checkpoint at a graceful stop.
struct Kill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "SIGKILL the service under load; check what was acknowledged.")

    @Option(help: "Kills.") var rounds = 20
    @Option(help: "Concurrent clients.") var clients = 200
    @Option(help: "Seed for the moments of the kills.") var seed: UInt64 = 1

    func run() async throws {
        let work = NSTemporaryDirectory() + "qingling-service-kill-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let served = try ServedLog(directory: work)
        var generator = SplitMix(state: seed)
        var acknowledged = Set<Int>(), sent = Set<Int>(), next = 1
        // The figures of a rebuild of the log as the last kill left it.
        var rebuilt: String?
        for round in 1...rounds {
            try served.start()
            let token = try await served.signIn()
            if let rebuilt {
                let live = try await served.request("stats?period=2024&by=both", method: .GET, token: token)
                guard live.status == .ok, String(decoding: live.body, as: UTF8.self).trimmingCharacters(in: .newlines) == rebuilt else {
                    throw BenchError("round \(round): the restarted service's figures differ from a rebuild's")
                }
            }
            let first = next
            next += 100_000 / rounds
            let (acked, attempted) = await load(served, token: token, numbers: first..<next)
            // Killed while the clients still send.
            try await Task.sleep(for: .milliseconds(200 + Int(generator.next() % 800)))
            served.stop(kill: true)
            let (late, lateAttempted) = await (acked.value, attempted.value)
            acknowledged.formUnion(late)
            sent.formUnion(lateAttempted)
            let inLog = try eventNumbers(in: served.log)
            let lost = acknowledged.subtracting(inLog), invented = inLog.subtracting(sent)
            guard lost.isEmpty, invented.isEmpty else {
                throw BenchError("round \(round): \(lost.count) acknowledged events missing, \(invented.count) never sent in the log")
            }
            guard try run(["verify", "--log", served.log]).status == 0 else { throw BenchError("round \(round): qingling verify failed") }
            rebuilt = try rebuiltFigures(of: served.log, scratch: work + "/rebuilt")
            print("round \(round): killed; \(late.count) acknowledged this round, \(inLog.count) events in the log, verify passed")
        }
        // A graceful start and stop saves the service's checkpoint; the figures the command
        // line reads from it equal a rebuild's.
        try served.start()
        served.stop()
        let saved = try run(["stats", "2024", "--by", "both", "--format", "json", "--log", served.log])
        guard saved.status == 0, saved.stdout.trimmingCharacters(in: .newlines) == rebuilt else { throw BenchError("the figures of the service's checkpoint differ from a rebuild's") }
        print("service-bench kill: \(rounds) SIGKILLs under \(clients) clients' load; \(acknowledged.count) acknowledged events all in the log, none invented; verify passed each time; the restarted service's figures equal a rebuild's")
    }

    /// `stats 2024 --by both` of a copy of the log without its projections: folded afresh.
    private func rebuiltFigures(of log: String, scratch: String) throws -> String {
        try? FileManager.default.removeItem(atPath: scratch)
        try FileManager.default.copyItem(atPath: log, toPath: scratch)
        try? FileManager.default.removeItem(atPath: scratch + "/projections")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let figures = try run(["stats", "2024", "--by", "both", "--format", "json", "--log", scratch])
        guard figures.status == 0 else { throw BenchError("qingling stats of a copy of the log failed") }
        return figures.stdout.trimmingCharacters(in: .newlines)
    }

    /// Clients appending single events numbered from `numbers` until the service stops answering:
    /// the numbers answered 200, and all sent.
    private func load(_ served: ServedLog, token: String, numbers: Range<Int>) -> (Task<Set<Int>, Never>, Task<Set<Int>, Never>) {
        let box = Collected()
        let clients = self.clients
        let work = Task {
            await withTaskGroup(of: Void.self) { group in
                for client in 0..<clients {
                    group.addTask {
                        var number = numbers.lowerBound + client
                        while number < numbers.upperBound {
                            box.sent(number)
                            guard let answer = try? await served.request("events", method: .POST, token: token, body: ServedLog.report(number)) else { return }
                            if answer.status == .ok { box.acknowledged(number) }
                            number += clients
                        }
                    }
                }
            }
        }
        return (Task { await work.value; return box.acknowledgedNumbers }, Task { await work.value; return box.sentNumbers })
    }

    /// The numbers of the bench's events in the log (`bench-NUMBER`), read by `qingling export`.
    private func eventNumbers(in log: String) throws -> Set<Int> {
        let export = try run(["export", "--log", log])
        var numbers = Set<Int>()
        for line in export.stdout.split(separator: "\n") {
            guard let range = line.range(of: #""eventId":"bench-[0-9]+""#, options: .regularExpression) else { continue }
            numbers.insert(Int(line[range].dropFirst(#""eventId":"bench-"#.count).dropLast()) ?? -1)
        }
        return numbers
    }

    private func run(_ arguments: [String]) throws -> (status: Int32, stdout: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ServedLog.binary)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// The numbers clients sent and had acknowledged, from many tasks.
final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var sentSet = Set<Int>(), acknowledgedSet = Set<Int>()
    func sent(_ number: Int) { lock.withLock { _ = sentSet.insert(number) } }
    func acknowledged(_ number: Int) { lock.withLock { _ = acknowledgedSet.insert(number) } }
    var sentNumbers: Set<Int> { lock.withLock { sentSet } }
    var acknowledgedNumbers: Set<Int> { lock.withLock { acknowledgedSet } }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}
