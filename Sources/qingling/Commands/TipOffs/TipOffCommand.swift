import ArgumentParser
import Foundation
import QinglingAudit
import QinglingEvents
import QinglingKeyStore
import QinglingLog
import QinglingWorkflow

/// `qingling tipoff reveal|shred`: a tip-off reporter's sealed identity, opened or destroyed.
struct TipOffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tipoff",
        abstract: "Reveal or destroy (crypto-shred) a tip-off reporter's sealed identity (docs/security.md).",
        subcommands: [Reveal.self, Shred.self]
    )

    /// Reads what the log says of tip-off `id`; exits when it was never received or has no
    /// sealed identity.
    static func sealedTipOff(_ id: String, in store: EventStore) throws -> TipOffRecord {
        let found: TipOffRecord?
        do throws(StoreError) { found = try store.tipOff(id) } catch { throw ExitCodes.report(error) }
        guard let record = found, let received = record.received else {
            printError("qingling: " + Messages.say(zh: "日志中没有举报 \(id)", en: "tip-off \(id) is not in the log"))
            throw ExitCodes.conflict
        }
        guard received.reporterSealed != nil else {
            printError("qingling: " + Messages.say(zh: "举报 \(id) 没有加密的举报人身份", en: "tip-off \(id) has no sealed reporter identity"))
            throw ExitCodes.conflict
        }
        return record
    }

    struct Reveal: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reveal",
            abstract: "Print a tip-off reporter's identity; the reveal and its reason are recorded in the audit log.",
            discussion: """
            Needs the master key (--master-key-file or $QINGLING_MASTER_KEY) and a reason. The audit \
            log (beside the accounts database) records who (local:USER), which tip-off and the reason, \
            never the identity. After `qingling tipoff shred` nobody can reveal it any more.

            Example:
              qingling tipoff reveal JB-2024-0007 --reason "举报奖励发放核对身份" --master-key-file /root/master.key
            """
        )

        @OptionGroup var accounts: AccountsLocation
        @OptionGroup var keys: KeyStoreOptions

        @Argument(help: ArgumentHelp("The tip-off id, e.g. JB-2024-0007.", valueName: "ID"))
        var tipOffId: String

        @Option(help: ArgumentHelp("Why the identity is revealed (required; kept in the audit log).", valueName: "TEXT"))
        var reason: String

        func validate() throws {
            guard reason.contains(where: { !$0.isWhitespace }) else { throw ValidationError("--reason must not be blank") }
        }

        func run() throws {
            accounts.language.use()
            let logDirectory = accounts.log.directory
            guard let vault = try keys.vault(logDirectory: logDirectory, required: true) else { throw ExitCodes.usage }
            let store: EventStore
            do throws(StoreError) { store = try EventStore(readingFrom: logDirectory) } catch { throw ExitCodes.report(error) }
            let record = try TipOffCommand.sealedTipOff(tipOffId, in: store)
            guard let received = record.received else { throw ExitCodes.conflict }
            // Recorded before it is shown: a reveal the audit log cannot hold does not happen.
            let entry = AuditEntry(.reporterRevealed, by: AccountsLocation.localUser, subject: tipOffId, detail: "reason: " + reason)
            do throws(AuditError) {
                try AuditTrail(directory: AuditTrail.directory(besideAccounts: accounts.file)).record(entry)
            } catch {
                printError("qingling: " + Messages.say(zh: "无法写入审计日志，未揭示身份：\(error)", en: "cannot write the audit log, nothing revealed: \(error)"))
                throw ExitCodes.ioError
            }
            let identity: ReporterIdentity
            do throws(ReporterVault.RevealFailure) {
                identity = try vault.reveal(received)
            } catch {
                printError("qingling: " + Self.message(error, tipOffId))
                if case .keyDestroyed = error { throw ExitCodes.conflict }
                throw ExitCodes.corruption
            }
            for (key, value) in identity.fields { print("\(key): \(value)") }
        }

        static func message(_ error: ReporterVault.RevealFailure, _ id: String) -> String {
            switch error {
            case .noSealedReporter:
                Messages.say(zh: "举报 \(id) 没有加密的举报人身份", en: "tip-off \(id) has no sealed reporter identity")
            case .keyDestroyed(let keyId):
                Messages.say(zh: "举报 \(id) 的举报人密钥 \(keyId) 已销毁：身份再也无法恢复",
                             en: "the reporter key \(keyId) of tip-off \(id) was destroyed: the identity can no longer be recovered")
            case .keyMissing(let keyId):
                Messages.say(zh: "密钥库中没有举报 \(id) 的密钥 \(keyId)：是否用错了密钥库？",
                             en: "the key store does not hold key \(keyId) of tip-off \(id): is this the log's key store?")
            case .unopenable(let keyId):
                Messages.say(zh: "密钥 \(keyId) 打不开举报 \(id) 的加密身份（已损坏？）",
                             en: "key \(keyId) does not open the sealed identity of tip-off \(id) (damaged?)")
            }
        }
    }

    struct Shred: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "shred",
            abstract: "Destroy a tip-off reporter's identity key, then append ReporterKeyDestroyed.",
            discussion: """
            The key is removed from the key store first (rewritten atomically and durably), then a \
            ReporterKeyDestroyed event is appended (event id reporter-key-destroyed:ID). Running it \
            again after a crash in between appends the missing event. Afterwards nobody can recover \
            the identity; `verify`, sealed archives and inclusion proofs still pass (they cover the \
            ciphertext).

            As with `append`, the actor is stated: --organization (default: the committee's office \
            of the reference data; or a department's id), --person-id and --person-name.

            Example:
              qingling tipoff shred JB-2024-0007 --reason "奖励已发放，保存期满" --person-id lx-aqw-01 --person-name 王主任 --master-key-file /root/master.key
            """
        )

        @OptionGroup var log: LogLocation
        @OptionGroup var reference: ReferenceOption
        @OptionGroup var language: LanguageOption
        @OptionGroup var keys: KeyStoreOptions

        @Argument(help: ArgumentHelp("The tip-off id, e.g. JB-2024-0007.", valueName: "ID"))
        var tipOffId: String

        @Option(help: ArgumentHelp("Why the identity is destroyed (recorded in the event).", valueName: "TEXT"))
        var reason: String

        @Option(help: ArgumentHelp("The acting organisation: the committee's office (default) or a department, by id.", valueName: "ID"))
        var organization: String?

        @Option(help: ArgumentHelp("The acting person's id.", valueName: "ID"))
        var personId: String

        @Option(help: ArgumentHelp("The acting person's name.", valueName: "NAME"))
        var personName: String

        func validate() throws {
            guard reason.contains(where: { !$0.isWhitespace }) else { throw ValidationError("--reason must not be blank") }
        }

        func run() throws {
            language.use()
            let referenceData = try reference.load()
            let actorOrganization: OrganizationRef
            let organizationId = organization ?? referenceData.committee.id
            if organizationId == referenceData.committee.id {
                actorOrganization = referenceData.committee.organization(kind: .committee)
            } else if let department = referenceData.department(id: organizationId) {
                actorOrganization = department.organization(kind: .department)
            } else {
                throw ValidationError("--organization \(organizationId) is neither the committee's office (\(referenceData.committee.id)) nor a department of the reference data")
            }
            guard let vault = try keys.vault(logDirectory: log.directory, required: true) else { throw ExitCodes.usage }
            let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
            let clock = AppendCommand.simulatedClock(for: log.directory)
            clock?.set(microseconds: now + 60_000_000)
            let store: EventStore
            do throws(StoreError) {
                store = try EventStore(appendingTo: log.directory, reference: referenceData, options: clock.map { LogOptions(clock: $0) } ?? LogOptions())
            } catch {
                throw ExitCodes.report(error)
            }
            defer { try? store.close() }
            let record = try TipOffCommand.sealedTipOff(tipOffId, in: store)
            guard let sealed = record.received?.reporterSealed else { throw ExitCodes.conflict }
            if record.reporterKeyDestroyed {
                printError("qingling: " + Messages.say(zh: "举报 \(tipOffId) 的举报人密钥已销毁", en: "the reporter key of tip-off \(tipOffId) was already destroyed"))
                throw ExitCodes.conflict
            }
            // The key first: a crash before the event leaves a log that does not yet say so,
            // never one that claims a destruction the key store did not make.
            let removed: Bool
            do throws(KeyStoreError) { removed = try vault.destroy(keyId: sealed.keyId) } catch { throw ExitCodes.report(error) }
            let event = Event(eventId: "reporter-key-destroyed:" + tipOffId, occurredAt: ShanghaiDateTime(microseconds: now),
                              actor: Actor(organization: actorOrganization, person: PersonRef(id: personId, name: personName)),
                              body: .reporterKeyDestroyed(ReporterKeyDestroyed(tipOffId: tipOffId, keyId: sealed.keyId, reason: reason)))
            let report: EventStore.AppendReport
            do throws(StoreError) { report = try store.append([EventStore.Input(event: event)]) } catch { throw ExitCodes.report(error) }
            let sequence = report.written.isEmpty ? nil : report.written.lowerBound
            print(Messages.say(zh: removed ? "已销毁举报 \(tipOffId) 的举报人密钥" : "举报 \(tipOffId) 的举报人密钥此前已销毁",
                               en: removed ? "destroyed the reporter key of tip-off \(tipOffId)" : "the reporter key of tip-off \(tipOffId) was already gone")
                  + (sequence.map { Messages.say(zh: "；事件序号 \($0)", en: "; event at sequence \($0)") } ?? ""))
        }
    }
}
