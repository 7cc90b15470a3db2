import ArgumentParser
import Foundation
import HattamaStore

/// `hattama audit`: check that the history in a database has not been edited.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check the tamper-evident event log of a database.",
        subcommands: [Verify.self])

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the event hash chain and check every image, record, field and failure row against it.",
            discussion: "Exit status: 0 intact, 1 history was changed (the first broken link is printed), 2 cannot open.")

        @Option(help: "The database file.")
        var db: String

        func run() throws {
            let report: AuditReport
            do {
                report = try SQLiteProtocolStore(path: db, readOnly: true).verifyAudit()
            } catch {
                Environment.printError("hattama: \(error)")
                throw ExitCode(2)
            }
            if report.isIntact {
                print("audit: \(report.events) events, chain intact, every row matches its event")
                return
            }
            if let broken = report.firstBrokenLink {
                print("audit: BROKEN at \(broken): every later event is unverified")
            }
            for problem in report.rowProblems.prefix(50) { print("audit: MISMATCH \(problem)") }
            if report.rowProblems.count > 50 { print("audit: ... and \(report.rowProblems.count - 50) more mismatches") }
            throw ExitCode(1)
        }
    }
}
