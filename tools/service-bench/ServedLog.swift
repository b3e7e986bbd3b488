import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import QinglingAccounts
import QinglingEvents

/// A `qingling serve` of its own over a log directory, with one department account, and the
/// requests the benchmark makes of it.
final class ServedLog: @unchecked Sendable {
    static let login = "bench.dept"
    static let password = "a long passphrase for the bench"

    let directory: String
    var log: String { directory + "/log" }
    var accounts: String { directory + "/accounts.sqlite" }
    private var process: Process?
    private(set) var port = 0

    init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: accounts) {
            let store = try AccountStore(path: accounts, reference: .linxiang)
            try store.add(login: Self.login, role: .department, organizationId: "lx-yjj", person: PersonRef(id: "bench-001", name: "测试员"),
                          password: Self.password, by: "local:service-bench")
        }
    }

    /// The `qingling` binary beside this one.
    static var binary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("qingling").path
    }

    /// Starts the service and waits until it listens.
    func start() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["serve", "--log", log, "--accounts", accounts, "--listen", "127.0.0.1:0"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var text = ""
        while true {
            let data = errors.fileHandleForReading.availableData
            guard !data.isEmpty else { throw BenchError("qingling serve stopped before listening: \(text)") }
            text += String(decoding: data, as: UTF8.self)
            if let range = text.range(of: #"address=127\.0\.0\.1:[0-9]+"#, options: .regularExpression),
               let port = Int(text[range].split(separator: ":").last ?? "") {
                self.port = port
                break
            }
        }
        // Keep reading its log so that it never blocks on a full pipe.
        Thread.detachNewThread { while !errors.fileHandleForReading.availableData.isEmpty {} }
        self.process = process
    }

    /// Stops the service: SIGTERM (graceful) or SIGKILL.
    func stop(kill: Bool = false) {
        guard let process else { return }
        if kill { Foundation.kill(process.processIdentifier, SIGKILL) } else { process.terminate() }
        process.waitUntilExit()
        self.process = nil
    }

    var base: String { "http://127.0.0.1:\(port)/api/v1/" }

    /// Signs the bench account in; returns its token.
    func signIn() async throws -> String {
        let answer = try await request("login", method: .POST, token: nil,
                                       body: #"{"login":"\#(Self.login)","password":"\#(Self.password)"}"#, contentType: "application/json")
        guard answer.status == .ok, let object = try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any],
              let token = object["token"] as? String else { throw BenchError("login failed: \(answer.status)") }
        return token
    }

    struct Answer {
        var status: HTTPResponseStatus
        var body: [UInt8]
    }

    /// The clients' HTTP connections: one per concurrent client (`HTTPClient.shared` keeps at
    /// most 8 per host, which would queue the load in the benchmark instead of the service).
    /// A refused connection fails its request at once: once the service is killed, queued
    /// requests must end, not wait out their deadline retrying.
    private static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 1024)
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(2)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    func request(_ path: String, method: HTTPMethod, token: String?, body: String? = nil, contentType: String = "application/json") async throws -> Answer {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await Self.client.execute(request, timeout: .seconds(30))
        return Answer(status: response.status, body: Array(buffer: try await response.body.collect(upTo: 64 << 20)))
    }

    /// A report of a new hazard, number `number` (its event id is `bench-NUMBER`).
    static func report(_ number: Int) -> String {
        let id = String(format: "LX-2024-%06d", number)
        return #"{"eventId":"bench-\#(number)","type":"HazardReported","occurredAt":"2024-03-05T09:30:00+08:00","data":{"hazardId":"\#(id)","enterprise":{"creditCode":"91430682MA4L0C7A47","name":"临湘市桃林烟花爆竹有限公司"},"region":"桃林镇","industry":"烟花爆竹","criterionClause":"第三条","description":"成品仓库超量储存","source":"departmentInspection","discoveredOn":"2024-03-05"}}"#
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Latencies in seconds, and their percentiles.
struct Latencies {
    var values: [Double] = []

    mutating func add(_ duration: Duration) {
        values.append(Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }

    func percentile(_ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let rank = max(0, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1)
        return sorted[min(sorted.count - 1, rank)]
    }
}
