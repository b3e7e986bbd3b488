import Foundation

/// A PostgreSQL cluster of its own for tests and benchmarks: `initdb` in a temporary
/// directory, `pg_ctl start` on a free port of 127.0.0.1 with password authentication
/// (scram-sha-256) and TLS (a certificate of its own for `localhost` and 127.0.0.1, made with
/// `openssl`), stopped and removed by `stop()` (and at process exit). As root (tests and
/// CI run so), the server runs as the `postgres` user Debian's package creates, owning the
/// directory. Needs Debian's `postgresql` (`tools/setup.sh` installs it).
public final class PostgresCluster: @unchecked Sendable {
    /// The user the cluster was created with, its superuser.
    public let user = "qingling"
    /// Its password.
    public let password: String
    public let port: Int
    public let directory: String
    private var stopped = false
    private let lock = NSLock()

    /// Where Debian puts PostgreSQL 15's programs (or `$QINGLING_PG_BIN`).
    public static var binaries: String {
        ProcessInfo.processInfo.environment["QINGLING_PG_BIN"] ?? "/usr/lib/postgresql/15/bin"
    }

    /// One cluster shared by every test of the process, started on first use.
    public static let shared: Result<PostgresCluster, PostgresClusterError> = {
        do {
            let cluster = try PostgresCluster.start()
            atexit { if case .success(let cluster) = PostgresCluster.shared { cluster.stop() } }
            return .success(cluster)
        } catch let error as PostgresClusterError {
            return .failure(error)
        } catch {
            return .failure(PostgresClusterError(step: "starting", output: "\(error)"))
        }
    }()

    private init(password: String, port: Int, directory: String) {
        self.password = password
        self.port = port
        self.directory = directory
    }

    /// Creates and starts a cluster.
    public static func start() throws -> PostgresCluster {
        let directory = NSTemporaryDirectory() + "qingling-pg-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let password = UUID().uuidString
        let passwordFile = directory + "/password"
        try password.write(toFile: passwordFile, atomically: false, encoding: .utf8)
        if getuid() == 0 { try run("/bin/chown", ["-R", "postgres:postgres", directory], step: "chown") }
        let port = try freePort()
        let cluster = PostgresCluster(password: password, port: port, directory: directory)
        // A self-signed certificate for the server, which clients may trust by this file.
        try run("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                                     "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                                     "-keyout", directory + "/server.key", "-out", directory + "/server.crt"], step: "openssl")
        if getuid() == 0 { try run("/bin/chown", ["postgres:postgres", directory + "/server.key", directory + "/server.crt"], step: "chown") }
        try run("/bin/chmod", ["600", directory + "/server.key"], step: "chmod")
        try cluster.asServerUser(binaries + "/initdb", ["-D", directory + "/data", "-U", "qingling", "--pwfile", passwordFile,
                                                       "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"], step: "initdb")
        try cluster.asServerUser(binaries + "/pg_ctl", [
            "start", "-w", "-t", "60", "-D", directory + "/data", "-l", directory + "/server.log",
            "-o", "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=100"
                + " -c ssl=on -c ssl_cert_file=\(directory)/server.crt -c ssl_key_file=\(directory)/server.key",
        ], step: "pg_ctl start")
        return cluster
    }

    /// The server's certificate (PEM), for clients that verify it.
    public var certificate: String { directory + "/server.crt" }

    /// Creates a superuser `name` with `password` whom the server accepts only over TLS.
    public func createTLSOnlyRole(_ name: String, password: String) throws {
        lock.lock()
        defer { lock.unlock() }
        _ = try psql("CREATE ROLE \(name) LOGIN SUPERUSER PASSWORD '\(password)'", database: "postgres")
        let rules = directory + "/data/pg_hba.conf"
        let existing = try String(contentsOfFile: rules, encoding: .utf8)
        // The first line that matches decides: this one goes first.
        try ("hostnossl all \(name) all reject\n" + existing).write(toFile: rules, atomically: false, encoding: .utf8)
        _ = try psql("SELECT pg_reload_conf()", database: "postgres")
    }

    /// `postgres://…` for `database`, with this cluster's password unless another is given.
    public func url(database: String, password: String? = nil) -> String {
        "postgres://\(user):\(password ?? self.password)@127.0.0.1:\(port)/\(database)"
    }

    /// Creates a database of its own for a test (a fresh name each call).
    public func createDatabase(_ prefix: String = "test") throws -> String {
        let name = prefix.lowercased().filter { $0.isLetter || $0.isNumber } + "_" + UUID().uuidString.prefix(8).lowercased()
        _ = try psql("CREATE DATABASE \(name)", database: "postgres")
        return name
    }

    /// Runs `sql` with `psql` (unaligned, tuples only) and returns what it printed.
    @discardableResult
    public func psql(_ sql: String, database: String) throws -> String {
        try Self.run(Self.binaries + "/psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-A", "-t", "-c", sql, url(database: database)], step: "psql")
    }

    /// Stops the server (fast shutdown) and removes the directory.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        _ = try? asServerUser(Self.binaries + "/pg_ctl", ["stop", "-w", "-m", "fast", "-D", directory + "/data"], step: "pg_ctl stop")
        try? FileManager.default.removeItem(atPath: directory)
    }

    @discardableResult
    private func asServerUser(_ program: String, _ arguments: [String], step: String) throws -> String {
        if getuid() == 0 { return try Self.run("/sbin/runuser", ["-u", "postgres", "--", program] + arguments, step: step) }
        return try Self.run(program, arguments, step: step)
    }

    /// Runs `program` to its end; what it printed. A nonzero exit status throws with it.
    @discardableResult
    static func run(_ program: String, _ arguments: [String], step: String) throws -> String {
        let finished: ChildProcess.Finished
        do { finished = try ChildProcess.run(program, arguments) } catch { throw PostgresClusterError(step: step, output: "\(error)") }
        let text = finished.stdout + finished.stderr
        guard finished.status == 0 else { throw PostgresClusterError(step: step, output: text) }
        return text
    }

    /// A TCP port of 127.0.0.1 nothing listens on now (the kernel's choice).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PostgresClusterError(step: "finding a port", output: String(cString: strerror(errno))) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw PostgresClusterError(step: "finding a port", output: String(cString: strerror(errno))) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A step of starting or using a test cluster failed, with what the program printed.
public struct PostgresClusterError: Error, CustomStringConvertible {
    public let step: String
    public let output: String
    public var description: String { "PostgreSQL test cluster: \(step) failed: \(output)" }
}
