// The crash campaign: a real writer process killed with SIGKILL at random (seeded) moments,
// during small and multi-batch appends, sealing and recovery killed too, and simulated power
// cuts through the log's I/O seam.
//
//     swift run -c release crash-campaign kill --kills 200 --seed 1
//     swift run -c release crash-campaign recover --kills 200 --seed 1
//     swift run -c release crash-campaign power --cuts 5000 --seed 1
//
// Prints its figures; exits 1 at the first broken promise, naming it.
import ArgumentParser

@main
struct CrashCampaign: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crash-campaign",
        abstract: "Kill the writer, the archive job and recovery at random moments, and cut the power at chosen syncs; check that nothing acknowledged is lost.",
        subcommands: [KillCampaign.self, RecoverCampaign.self, PowerCampaign.self, WriterProcess.self, SealerProcess.self, RecovererProcess.self]
    )
}
