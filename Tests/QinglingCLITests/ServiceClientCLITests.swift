import Foundation
import QinglingTestSupport
import Testing

/// `qingling login` and `qingling append --server` against a real `qingling serve`.
@Suite struct ServiceClientCLITests {
    private static let password = "a long passphrase for tests"
    private static let report = #"{"eventId":"yjj-2024-0305-01","type":"HazardReported","occurredAt":"2024-03-05T09:30:00+08:00","data":{"hazardId":"LX-2024-0031","enterprise":{"creditCode":"91430682MA4L0C7A47","name":"临湘市桃林烟花爆竹有限公司"},"region":"桃林镇","industry":"烟花爆竹","criterionClause":"第三条","description":"成品仓库超量储存","source":"departmentInspection","discoveredOn":"2024-03-05"}}"#

    /// `qingling serve` on a free port, until `stop()`.
    final class Server {
        let process: ChildProcess
        let port: Int
        private let errors = NSTemporaryDirectory() + "qingling-serve-\(UUID().uuidString).err"

        init(log: String) throws {
            process = try ChildProcess(Qingling.binary, ["serve", "--log", log, "--listen", "127.0.0.1:0"], standardError: .file(errors))
            // Its log line `… address=127.0.0.1:PORT …` says where it listens.
            var text = ""
            var found: Int?
            let deadline = Date().addingTimeInterval(60)
            while found == nil, process.isRunning, Date() < deadline {
                usleep(50_000)
                text = String(decoding: FileManager.default.contents(atPath: errors) ?? Data(), as: UTF8.self)
                if let range = text.range(of: #"address=127\.0\.0\.1:[0-9]+"#, options: .regularExpression) {
                    found = Int(text[range].split(separator: ":").last ?? "")
                }
            }
            guard let found else {
                process.send(SIGTERM)
                process.wait()
                try? FileManager.default.removeItem(atPath: errors)
                throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "serve did not start: \(text)"])
            }
            port = found
        }

        func stop() -> Int32 {
            process.send(SIGTERM)
            defer { try? FileManager.default.removeItem(atPath: errors) }
            return process.wait()
        }
    }

    @Test func anEventAppendedThroughTheServiceIsTheSignedInPersons() throws {
        let scratch = Scratch()
        let log = scratch.child("county")
        let add = try Qingling.run(["users", "add", "li.weidong", "--log", log, "--role", "department", "--organization", "lx-yjj",
                                    "--person-id", "yjj-017", "--person-name", "李卫东", "--password-stdin"], input: Self.password + "\n")
        #expect(add.status == 0, "\(add.stderr)")
        let report = scratch.child("report.json")
        try Data(Self.report.utf8).write(to: URL(fileURLWithPath: report))
        let session = ["QINGLING_SESSION_FILE": scratch.child("session.json"), "QINGLING_TOKEN": ""]

        let server = try Server(log: log)
        let url = "http://127.0.0.1:\(server.port)"
        let notSignedIn = try Qingling.run(["append", "--server", url, report], environment: session)
        #expect(notSignedIn.status == 64 && notSignedIn.stderr.contains("qingling login --server"), "\(notSignedIn.stderr)")
        let wrong = try Qingling.run(["login", "--server", url, "--login", "li.weidong", "--password-stdin"], input: "not the password\n", environment: session)
        #expect(wrong.status == 2, "\(wrong.stderr)")

        let login = try Qingling.run(["login", "--server", url + "/", "--login", "li.weidong", "--password-stdin"], input: Self.password + "\n", environment: session)
        #expect(login.status == 0, "\(login.stderr)")
        #expect(login.stdout.contains("李卫东"))
        let mode = try FileManager.default.attributesOfItem(atPath: scratch.child("session.json"))[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)

        let first = try Qingling.run(["append", "--server", url, report], environment: session)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("appended 1 event(s)"), "\(first.stdout)")
        let retry = try Qingling.run(["append", "--server", url, report], environment: session)
        #expect(retry.stdout.contains("appended 0 event(s)") && retry.stdout.contains("1 already in the log"), "\(retry.stdout)")
        let refused = try Qingling.run(["append", "--server", url, "-"], input: Self.report.replacingOccurrences(of: "yjj-2024-0305-01", with: "yjj-2024-0305-02"),
                                       environment: session)
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(refused.stderr.contains("LX-2024-0031"), "\(refused.stderr)")
        // The token in the environment stands in for a saved session.
        let token = try Qingling.run(["login", "--server", url, "--login", "li.weidong", "--password-stdin", "--print-token"], input: Self.password + "\n")
        let withToken = try Qingling.run(["append", "--server", url, report], environment: ["QINGLING_SESSION_FILE": scratch.child("none.json"),
                                                                                       "QINGLING_TOKEN": token.stdout.trimmingCharacters(in: .whitespacesAndNewlines)])
        #expect(withToken.status == 0, "\(withToken.stderr)")
        #expect(!FileManager.default.fileExists(atPath: log + "/projections/state.qlproj"))
        #expect(server.stop() == 0)
        // SIGTERM saved the projections' checkpoint, covering the log.
        let verify = try Qingling.run(["verify", "--log", log, "--lang", "en"])
        #expect(verify.status == 0 && verify.stdout.contains("covers 1 event"), "\(verify.stdout)")

        // The event's actor is the account's, filled in by the service.
        let export = try Qingling.run(["export", "--log", log])
        #expect(export.stdout.contains(#""person":{"id":"yjj-017","name":"李卫东"}"#), "\(export.stdout)")
        #expect(export.stdout.split(separator: "\n").count == 1)
    }
}
