import QinglingEvents
import QinglingProjections
import QinglingWorkflow

extension VerifyCommand {
    /// How many differing figures `verify` lists by name; the rest are counted.
    static let listedDifferences = 20

    /// Checks the projection checkpoint beside the log against a full rebuild
    /// (`CheckpointAudit`), prints what it finds, and returns the number of problems. Skipped
    /// (with a note) when the log's own check found problems: the rebuild would meet them again.
    func checkCheckpoint(logPassed: Bool) -> Int {
        let lang = language.lang
        guard logPassed else {
            print(lang.pick(zh: "投影检查点：未检查（日志有问题）", en: "projection checkpoint: not checked (the log has problems)"))
            return 0
        }
        let path = ProjectionStore.checkpointPath(forLog: log.directory)
        do throws(ProjectionError) {
            let store: EventStore
            do throws(StoreError) { store = try EventStore(readingFrom: log.directory) } catch { throw .store(error) }
            switch try CheckpointAudit.run(store) {
            case .absent:
                print(lang.pick(zh: "投影检查点：无", en: "projection checkpoint: none"))
            case .unused(let reason):
                print(lang.pick(zh: "投影检查点：未使用（分析命令会重建它）：", en: "projection checkpoint: not used (the analysts' commands rebuild it): ") + "\(reason)")
            case .matches(let covered):
                print(lang.pick(zh: "投影检查点：覆盖 \(covered) 个事件；更新到最新后与完整重建一致",
                                en: "projection checkpoint: covers \(covered) events; brought up to date, it equals a full rebuild"))
            case let .differs(covered, differences):
                for difference in differences.prefix(Self.listedDifferences) {
                    print(lang.pick(zh: "问题：\(path)：从其覆盖的 \(covered) 个事件更新到最新后，检查点与完整重建不同：",
                                    en: "problem: \(path): brought up to date from the \(covered) events it covers, the checkpoint differs from a full rebuild in ")
                          + "\(difference)")
                }
                if differences.count > Self.listedDifferences {
                    print(lang.pick(zh: "  ……另有 \(differences.count - Self.listedDifferences) 项数字不同",
                                    en: "  … and \(differences.count - Self.listedDifferences) more figures differ"))
                }
                return differences.count
            }
            return 0
        } catch {
            print(lang.pick(zh: "问题：", en: "problem: ") + "\(error)")
            return 1
        }
    }
}
