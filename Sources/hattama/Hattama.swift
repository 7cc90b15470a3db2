import ArgumentParser

/// The command-line entry point: digitize protocol images and manage templates.
@main
struct Hattama: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hattama",
        abstract: "Digitize photos and scans of election result protocols into checked, machine-readable records.",
        version: "0.1.0",
        subcommands: [DigitizeCommand.self, FormsCommand.self, BenchCommand.self, BatchCommand.self, ExportCommand.self, AuditCommand.self, OfficialCommand.self, VerifyCommand.self, ReviewCommand.self]
    )
}
