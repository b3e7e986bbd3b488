import QinglingProjections
import QinglingWorkflow

extension VerifyCommand {
    /// How many differing figures `verify` lists by name; the rest are counted.
    static let listedDifferences = 20

    /// Checks the projection checkpoint beside the log against a full rebuild
    /// (`CheckpointAudit`), prints what it finds, and returns the number of problems. Skipped
    /// (with a note) when the log's own check found problems: the rebuild would meet them again.
    func checkCheckpoint(logPassed: Bool) -> Int {
        guard logPassed else {
            print("projection checkpoint: not checked (the log has problems)")
            return 0
        }
        let path = ProjectionStore.checkpointPath(forLog: log.directory)
        do throws(ProjectionError) {
            let store: EventStore
            do throws(StoreError) { store = try EventStore(readingFrom: log.directory) } catch { throw .store(error) }
            switch try CheckpointAudit.run(store) {
            case .absent:
                print("projection checkpoint: none")
            case .unused(let reason):
                print("projection checkpoint: not used (the analysts' commands rebuild it): \(reason)")
            case .matches(let covered):
                print("projection checkpoint: covers \(covered) events; brought up to date, it equals a full rebuild")
            case let .differs(covered, differences):
                for difference in differences.prefix(Self.listedDifferences) {
                    print("problem: \(path): brought up to date from the \(covered) events it covers, the checkpoint differs from a full rebuild in \(difference)")
                }
                if differences.count > Self.listedDifferences {
                    print("  … and \(differences.count - Self.listedDifferences) more figures differ")
                }
                return differences.count
            }
            return 0
        } catch {
            print("problem: \(error)")
            return 1
        }
    }
}
