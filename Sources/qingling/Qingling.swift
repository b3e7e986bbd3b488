import ArgumentParser

/// The `qingling` command: the admin tool, the analysts' commands and the archive job.
@main
struct Qingling: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qingling",
        abstract: "Qingling (清零): an event-sourced ledger for clearing major accident hazards to zero.",
        discussion: """
        Every command works on a log directory given by --log DIR, else $QINGLING_LOG, else \
        ./qingling-data. Every command that prints to a person takes --lang zh (Chinese, the \
        default) or --lang en, for its output and its messages. `qingling reference` lists the \
        valid regions, industries, departments and codes.

        Exit status: 0 success; 2 invalid input (nothing written); 3 conflict with the log's \
        state (another writer, an expected version, a reused event id, a year not sealed or \
        not sealable, an event not sealed); 4 I/O error (the system refused: the message names \
        the file and the errno); 5 corruption or failed verification, and nothing else; 64 \
        usage error (a bad option or argument, a --log that is not a log directory, an \
        --output path already taken).
        """,
        version: QinglingVersion.current,
        subcommands: [
            DemoCommand.self, AppendCommand.self, ExportCommand.self, StatusCommand.self, GenerateCommand.self, VerifyCommand.self, RecoverCommand.self,
            ReferenceCommand.self,
            StatsCommand.self, OverdueCommand.self, RankingCommand.self, TargetsCommand.self, TraceCommand.self,
            PenaltiesCommand.self, RewardsCommand.self, RebuildCommand.self,
            KeygenCommand.self, SealCommand.self, ProveCommand.self, VerifyProofCommand.self, HeadCommand.self,
            UsersCommand.self, AuditCommand.self, ServeCommand.self, LoginCommand.self, AttachCommand.self,
            KeyStoreCommand.self, TipOffCommand.self,
            ShipCommand.self, RestoreCommand.self,
        ]
    )
}
