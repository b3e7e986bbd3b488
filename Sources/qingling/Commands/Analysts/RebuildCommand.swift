import ArgumentParser
import QinglingEvents
import QinglingReports
import Foundation
import QinglingProjections

/// `qingling rebuild`: recompute the projections from the whole log.
struct RebuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Recompute every projection from the whole log, ignoring the checkpoint, and save a new checkpoint.",
        discussion: """
        Every analysts' command keeps its projections current on its own (from the checkpoint \
        in DIR/projections/, folding in only newer events); rebuild is for when you want \
        the figures recomputed from scratch, or to time a full rebuild.

        Example:
          qingling rebuild --log ./qingling-data
        """
    )

    @OptionGroup var options: AnalystOptions

    func validate() throws {
        // The checkpoint covers the whole log: a time would be ignored, so it is refused.
        if let text = options.knownAtText {
            throw ValidationError("--known-at \(text): rebuild recomputes the projections of the whole log and takes no recording time")
        }
    }

    func run() throws {
        options.language.use()
        let started = Date()
        let (_, state) = try options.loadProjections(rebuild: true)
        let seconds = Date().timeIntervalSince(started)
        let rate = seconds > 0 ? Int(Double(state.nextSequence) / seconds) : 0
        options.print(Report(facts: [
            .init(key: "events", zh: "事件数", en: "Events", value: .int(Int(state.nextSequence))),
            .init(key: "hazards", zh: "隐患数", en: "Hazards", value: .int(state.hazards.count)),
            .init(key: "tipOffs", zh: "举报数", en: "Tip-offs", value: .int(state.tipOffs.count)),
            .init(key: "seconds", zh: "用时（秒）", en: "Seconds", value: .text(String(format: "%.2f", seconds))),
            .init(key: "eventsPerSecond", zh: "事件/秒", en: "Events per second", value: .int(rate)),
            .init(key: "checkpoint", zh: "检查点", en: "Checkpoint", value: .text(ProjectionStore.checkpointPath(forLog: options.log.directory))),
        ]))
    }
}
