import ArgumentParser
import HattamaCore

/// The command-line entry point: digitize protocol images and manage templates.
@main
struct Hattama: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hattama",
        abstract: "Digitize photos and scans of election result protocols into checked, machine-readable records.",
        version: HattamaVersion.string,
        subcommands: [DigitizeCommand.self, FormsCommand.self, BenchCommand.self, BatchCommand.self, ExportCommand.self, AuditCommand.self, OfficialCommand.self, VerifyCommand.self, ReviewCommand.self]
    )
}
