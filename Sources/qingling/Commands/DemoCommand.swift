import ArgumentParser
import Foundation
import QinglingEvents
import QinglingReports
import QinglingArchive
import QinglingLog
import QinglingProjections
import QinglingAccounts
import QinglingService
import QinglingSampleData
import QinglingKeyStore
import QinglingWorkflow

/// `qingling demo`: the main job on the built-in Linxiang sample data.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create a fresh log, append the generated Linxiang data through the validated path, and summarise it.",
        discussion: """
        The demo log is created with the simulated clock: each action is recorded a few \
        minutes after it happened (business time), so its past years can be sealed. A log \
        created by `append` always uses the real clock.

        With --serve, it then creates one account per role (accounts file beside the log, \
        passwords generated and printed once) and serves the web interface and the API on \
        --listen until SIGINT or SIGTERM (docs/web.md). The service goes on writing the demo \
        log on its simulated clock kind, recording at the real time of each append.

        Examples:
          qingling demo
          qingling demo --directory /tmp/demo-log --hazards-per-year 500
          qingling demo --serve --listen 127.0.0.1:8080
        """
    )

    @Option(help: ArgumentHelp("Where to create the demo log; it must not exist yet (default: ./qingling-demo-<date>-<time>).", valueName: "DIR"))
    var directory = "./qingling-demo-" + DemoCommand.timestamp()

    @Option(help: "Major hazards discovered per year.")
    var hazardsPerYear = 150

    @Option(help: "The random seed of the generated data.")
    var seed: UInt64 = 2024

    @Flag(help: "Then create one account per role and serve the web interface until interrupted.")
    var serve = false

    @Option(help: ArgumentHelp("With --serve: the address and port to listen on.", valueName: "HOST:PORT"))
    var listen = "127.0.0.1:8080"

    @OptionGroup var language: LanguageOption

    private var lang: Language { language.lang }

    func validate() throws {
        guard !FileManager.default.fileExists(atPath: directory) else {
            throw ValidationError("\(directory) already exists; remove it or pick another --directory")
        }
        guard hazardsPerYear > 0 else { throw ValidationError("--hazards-per-year must be positive") }
        if serve {
            guard ServeCommand.address(listen) != nil else { throw ValidationError("--listen \(listen) is not HOST:PORT, e.g. 127.0.0.1:8080") }
            guard !FileManager.default.fileExists(atPath: accountsPath) else {
                throw ValidationError("\(accountsPath) already exists; remove it or pick another --directory")
            }
        }
    }

    /// The demo's accounts database: beside the log, as `qingling users` and `serve` find it.
    private var accountsPath: String {
        LogLayout(directory: directory).directory + ".accounts.sqlite"
    }

    func run() async throws {
        language.use()
        let reporters: DemoReporters
        do throws(KeyStoreError) { reporters = try DemoReporters(besideLog: directory) } catch { throw ExitCodes.report(error) }
        do throws(StoreError) {
            try runDemo(reporters)
        } catch {
            throw ExitCodes.report(error)
        }
        try sealAndVerify()
        do throws(ProjectionError) {
            let store: EventStore
            do throws(StoreError) { store = try EventStore(readingFrom: directory) } catch { throw .store(error) }
            try printAnalystsView(store)
        } catch {
            throw ExitCodes.report(error)
        }
        print(lang.pick(zh: "接下来：", en: "next: ")
              + "qingling status --log \(directory); qingling stats 2025 --log \(directory); qingling trace --log \(directory) --reopened; qingling prove 100 --log \(directory)")
        if serve {
            try await serveDemo(reporters)
        } else {
            print(lang.pick(zh: "网页界面：`qingling demo --serve`，然后打开 `http://127.0.0.1:8080/login`",
                            en: "the web interface: `qingling demo --serve`, then open `http://127.0.0.1:8080/login`"))
        }
    }

    /// `--serve`: one account per role, printed, then the service on the demo log (the committee
    /// may reveal the demo's reporters).
    private func serveDemo(_ reporters: DemoReporters) async throws {
        guard let (host, port) = ServeCommand.address(listen) else { throw ExitCodes.usage }
        let accounts: DemoAccounts
        do throws(ProjectionError) {
            let store: EventStore
            do throws(StoreError) { store = try EventStore(readingFrom: directory) } catch { throw .store(error) }
            accounts = try DemoAccounts(store: store, reference: .linxiang)
        } catch {
            throw ExitCodes.report(error)
        }
        do throws(AccountError) { try accounts.create(at: accountsPath, reference: .linxiang) } catch { throw ExitCodes.report(error) }
        print("")
        print(lang.pick(zh: "演示账户（\(accountsPath)；密码只显示这一次）：", en: "demo accounts (\(accountsPath); passwords shown this once):"))
        for entry in accounts.entries {
            print("  \(entry.login.padded(18)) \(entry.password)  \(entry.role.rawValue.padded(11)) \(entry.organizationName ?? entry.organizationId) \(entry.person.name)")
        }
        flushStandardOutput()
        let configuration = ServiceConfiguration(logDirectory: directory, accountsPath: accountsPath, reference: .linxiang, host: host, port: port,
                                                 vault: reporters.vault)
        let lang = self.lang
        try await ServeCommand.serve(configuration) { address in
            print(lang.pick(zh: "网页界面已启动：请打开 `http://\(address)/login`（按 Ctrl-C 停止）",
                            en: "the web interface is up: open `http://\(address)/login` (Ctrl-C stops it)"))
            flushStandardOutput()
        }
    }

    /// The archive job on the demo log: a signing key beside (not inside) the log, every
    /// finished year sealed, then everything verified.
    private func sealAndVerify() throws {
        let keyPath = LogLayout(directory: directory).directory + ".signing-key"
        do {
            let publicKey = try SigningKeys.generate(privateKeyPath: keyPath, logDirectory: directory)
            let publicPath = SigningKeys.publicKeyPath(forLog: directory)
            print(lang.pick(zh: "签名密钥：\(keyPath)（私钥，在日志之外）；公钥 \(publicKey.hexString.prefix(16))… 存于 \(publicPath)",
                            en: "signing key: \(keyPath) (private, outside the log); public key \(publicKey.hexString.prefix(16))… in \(publicPath)"))
            let key = try SigningKeys.loadPrivateKey(keyPath)
            let options = try archiveLogOptions(directory)
            for year in try SealCommand.finishedYears(directory, now: options.clock.now()) {
                let started = Date()
                let report = try ArchiveSealer.seal(year: year, directory: directory, options: options, key: key)
                print(SealCommand.summary(report, seconds: Date().timeIntervalSince(started), lang))
            }
            let report = try ArchiveVerifier.verify(directory: directory)
            let log = report.log
            let head = log?.lastBatchHash.hexString.prefix(16) ?? ""
            let years = report.years.map(String.init).joined(separator: ", ")
            print(lang.pick(
                zh: "校验：\(report.passed ? "通过" : "未通过")：\(log?.batches ?? 0) 个批次中的 \(log?.records ?? 0) 个事件，哈希链头 \(head)…；封存年份 \(years)：已检查文件、默克尔根、签名和年度根链",
                en: "verify: \(report.passed ? "passed" : "FAILED"): \(log?.records ?? 0) events in \(log?.batches ?? 0) batches, hash chain head \(head)…; sealed years \(years): files, Merkle roots, signatures and the chain of yearly roots checked"))
            for problem in report.problems + (log?.problems.map(\.description) ?? []) { print(lang.pick(zh: "问题：", en: "problem: ") + problem) }
            guard report.passed else { throw ExitCodes.corruption }
        } catch let error as ArchiveError {
            throw ExitCodes.report(error)
        }
    }

    private func runDemo(_ reporters: DemoReporters) throws(StoreError) {
        let events = LinxiangGenerator(seed: seed, hazardsPerYear: hazardsPerYear, until: GenerateCommand.defaultEnd(lastYear: 2026)).events()
        let clock = SimulatedClock(microseconds: events.first?.occurredAt.microseconds ?? 0)
        let store = try EventStore(appendingTo: directory, reference: .linxiang, options: LogOptions(clock: clock))
        print(lang.pick(zh: "演示日志：\(store.reader.layout.directory)（模拟时钟）", en: "demo log: \(store.reader.layout.directory) (simulated clock)"))
        store.vault = reporters.vault
        print(lang.pick(zh: "举报人身份加密保存：密钥库 \(reporters.keyStorePath)，主密钥 \(reporters.masterKeyPath)（演示用；正式部署时与日志及其备份分开保存）",
                        en: "reporters' identities sealed: key store \(reporters.keyStorePath), master key \(reporters.masterKeyPath) (for the demo; a county keeps them apart from the log and its backups)"))
        // One batch per business day, recorded ten minutes after the day's last action.
        var index = 0
        var batches = 0
        while index < events.count {
            let day = events[index].occurredAt.date
            var end = index
            while end < events.count, events[end].occurredAt.date == day { end += 1 }
            let batch = events[index..<end].map(DemoReporters.input)
            clock.set(microseconds: events[end - 1].occurredAt.microseconds + 10 * 60 * 1_000_000)
            _ = try store.append(batch, durability: .deferred)
            batches += 1
            index = end
        }
        try store.sync()
        print(lang.pick(zh: "已按日分 \(batches) 批追加 \(events.count) 个事件，每个都经过流程规则检查",
                        en: "appended \(events.count) events in \(batches) daily batches, every one checked by the workflow rules"))
        print("")
        try printSummary(store)
        try store.close()
    }

    private func printSummary(_ store: EventStore) throws(StoreError) {
        let hazards = store.ledger.hazards.values
        print(lang.pick(zh: "按发现年份和状态的隐患数：", en: "hazards by year of discovery and status:"))
        let years = Set(hazards.map { $0.report.discoveredOn.components.year }).sorted()
        let labels = HazardStatus.allCases.map { $0.text(lang) }
        print(lang.pick(zh: "  年份  ", en: "  year  ") + labels.joined(separator: "  "))
        for year in years {
            let ofYear = hazards.filter { $0.report.discoveredOn.components.year == year }
            let counts = HazardStatus.allCases.map { status in ofYear.filter { $0.status == status }.count }
            print("  \(year)  " + zip(counts, labels).map { String($0).leftPadded($1.terminalWidth) }.joined(separator: "  "))
        }
        print("")
        var statistics: [SegmentStatistics] = []
        do throws(LogError) { statistics = try store.reader.statistics() } catch { throw .log(error) }
        let disk = statistics.reduce(Int64(0)) { $0 + $1.fileBytes }
        let raw = statistics.reduce(Int64(0)) { $0 + $1.rawBytes }
        let ratio = String(format: "%.1f", Double(raw) / Double(max(disk, 1)))
        print(lang.pick(zh: "日志：\(statistics.count) 个段（每年一个或多个），磁盘占用 \(disk) 字节，压缩比 \(ratio)×",
                        en: "log: \(statistics.count) segments (one or more per year), \(disk) bytes on disk, \(ratio)× compression"))
        for year in Set(statistics.map(\.name.year)).sorted() {
            let ofYear = statistics.filter { $0.name.year == year }
            let events = ofYear.reduce(0) { $0 + $1.records }
            print(lang.pick(zh: "  \(year)：\(ofYear.count) 个段中的 \(events) 个事件", en: "  \(year): \(events) events in \(ofYear.count) segment(s)"))
        }
        print("")
        if let example = hazards.filter({ $0.version >= 6 }).min(by: { $0.hazardId < $1.hazardId }) {
            let industry = IndustryNames.text(example.report.industry, lang)
            print(lang.pick(zh: "通过日志索引读取的隐患 \(example.hazardId)（\(example.report.region)，\(industry)）的全过程：",
                            en: "the life of hazard \(example.hazardId) (\(example.report.region), \(industry)), read through the log's index:"))
            for stored in try store.history(ofHazard: example.hazardId) {
                let actor = stored.event.actor
                print("  #\(stored.sequence)  \(stored.event.occurredAt.date)  \(stored.event.type.text(lang).padded(lang == .zh ? 10 : 18))  \(actor.organization.name) \(actor.person.name)")
            }
            print("")
        }
    }

    /// The analysts' view: the last full year's clearance statistics, today's alerts, the plan's targets.
    private func printAnalystsView(_ store: EventStore) throws(ProjectionError) {
        let (state, _) = try ProjectionStore.load(store)
        guard let latest = state.latestBusinessDate else { return }
        let year = latest.components.year - 1
        print("")
        print(lang.pick(zh: "分析视图（qingling stats \(year) --log …）：", en: "the analysts' view (qingling stats \(year) --log …):"))
        print(Report.statistics(state, period: .year(year), grouping: .region, knowledge: Knowledge(asOf: latest), reference: .linxiang)
            .render(.table, lang))
        let alerts = OverdueAlerts(state, on: latest)
        let higher = alerts.overdue.filter(\.higherDue).count
        print(lang.pick(
            zh: "\(latest) 的逾期预警（qingling overdue）：逾期 \(alerts.overdue.count) 个，其中 \(higher) 个需升级问责；\(alerts.unsupervised.count) 个上报超过7天未交办；\(alerts.awaitingVerification.count) 个待审核超过10天；\(alerts.dueSoon.count) 个7天内到期",
            en: "overdue alerts on \(latest) (qingling overdue): \(alerts.overdue.count) overdue, \(higher) of them due a higher escalation; \(alerts.unsupervised.count) not supervised within 7 days; \(alerts.awaitingVerification.count) awaiting verification over 10 days; \(alerts.dueSoon.count) due within 7 days"))
        print("")
        print(lang.pick(zh: "\(latest) 的三年行动目标（qingling targets）：", en: "the plan's targets on \(latest) (qingling targets):"))
        let targets = Report.targets(PlanTargets(state, on: latest))
        print(Report(facts: [], tables: [targets.tables[0]]).render(.table, lang))
    }

    /// `20261129-043000`, for a fresh default directory on every run.
    static func timestamp() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: Date())
    }
}

/// Sends what `print` buffered, so that a program reading the demo's output through a pipe sees
/// the accounts and the address while the service runs (`fflush(NULL)`: every output stream).
func flushStandardOutput() {
    fflush(nil)
}

extension String {
    /// Right-aligned in `width` columns.
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }

    /// Left-aligned in `width` terminal columns, counting CJK characters as two.
    func padded(_ width: Int) -> String {
        let columns = unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 ? 2 : 1) }
        return self + String(repeating: " ", count: max(0, width - columns))
    }
}
