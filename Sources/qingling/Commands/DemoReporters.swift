import QinglingEvents
import QinglingKeyStore
import QinglingLog
import QinglingWorkflow

/// The demo's tip-off reporters (举报人): made-up identities, one per tip-off, derived from its
/// id so that a demo is the same every time, sealed with a key store and master key of the
/// demo's own (beside the demo log, as its signing key is: a real county keeps them apart from
/// the log and its backups, `docs/security.md`).
struct DemoReporters {
    let vault: ReporterVault
    /// `DIR.keystore` and `DIR.master-key` for the demo log `DIR`.
    let keyStorePath: String
    let masterKeyPath: String

    /// Creates the demo's master key and key store beside the demo log `directory`.
    init(besideLog directory: String) throws(KeyStoreError) {
        let trimmed = LogLayout(directory: directory).directory
        keyStorePath = trimmed + ".keystore"
        masterKeyPath = trimmed + ".master-key"
        let master = try MasterKey.writeNew(to: masterKeyPath)
        vault = ReporterVault(keyStore: try KeyStore.create(at: keyStorePath, master: master))
    }

    /// `event` as an append's input, with a made-up reporter when it is a tip-off received.
    static func input(_ event: Event) -> EventStore.Input {
        guard case .tipOffReceived(let tipOff) = event.body else { return EventStore.Input(event: event) }
        return EventStore.Input(event: event, reporter: identity(of: tipOff.tipOffId))
    }

    /// A made-up name, mobile number and bank card number for tip-off `id`.
    static func identity(of id: String) -> ReporterIdentity {
        // FNV-1a of the id: the same identity for the same tip-off in every demo.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let surnames = ["欧阳", "司马", "上官", "诸葛", "皇甫", "东方"]
        let givenNames = ["晓峰", "春燕", "志强", "丽华", "建国", "秋云", "海涛", "玉兰"]
        let name = surnames[Int(hash % 6)] + givenNames[Int(hash / 6 % 8)]
        let phone = String(hash % 1_000_000_000 + 1_000_000_000).dropFirst()
        let card = String(hash / 7 % 1_000_000_000_000_000 + 1_000_000_000_000_000).dropFirst()
        return ReporterIdentity(name: name, phone: "13" + phone, bankAccount: "6222" + card)
    }
}
