import ArgumentParser
import Foundation
import HattamaCore
import HattamaStore

/// `hattama official`: official per-precinct results published by the central commission.
struct OfficialCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "official",
        abstract: "Import official per-precinct results to compare protocols against.",
        subcommands: [OfficialImportCommand.self])
}

/// `hattama official import FILE --db DB --election ID [--mapping FILE]`.
struct OfficialImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a CSV or JSON file of official results as the next version for an election.",
        discussion: """
            All or nothing: every problem (missing or duplicate precinct, missing column, non-numeric or negative \
            cell, ambiguous thousands) is listed with file, row and column, and nothing is imported (exit 1). \
            Importing a file identical to the latest version changes nothing; a changed file becomes a new version. \
            See docs/official-comparison.md for the mapping format.
            """)

    @Argument(help: "The official results file (.csv or .json).")
    var file: String

    @Option(help: "The database file (created if absent).")
    var db: String

    @Option(help: "The election identifier the results belong to.")
    var election: String

    @Option(help: "YAML or JSON mapping of columns to field keys (default: a `precinct` column, other headers are field keys).")
    var mapping: String?

    func run() throws {
        let mappingRule: ResultsMapping
        let results: OfficialResults
        do {
            if let mapping {
                mappingRule = try ResultsMapping.load(try Self.read(mapping), fileName: mapping)
            } else {
                mappingRule = .identity
            }
            results = try OfficialResultsParser.parse(try Self.read(file), fileName: file, mapping: mappingRule)
        } catch {
            for issue in error.issues { Environment.printError("hattama: \(issue)") }
            Environment.printError("hattama: \(error.issues.count) problem\(error.issues.count == 1 ? "" : "s"); nothing was imported")
            throw ExitCode(1)
        }
        do {
            let store = try SQLiteProtocolStore(path: db)
            let receipt = try store.importOfficialResults(results, election: election, mapping: mappingRule)
            let v = receipt.version
            if receipt.isNew {
                print("official: \(results.precincts.count) precincts, \(results.fieldKeys.count) fields from \(file) "
                      + "imported as version \(v.version) of \(election) (sha256 \(v.sha256))")
            } else {
                print("official: \(file) is unchanged (same SHA-256 as version \(v.version) of \(election), imported \(v.importedAt)); nothing written")
            }
            for earlier in receipt.earlier where earlier.sha256 != v.sha256 {
                print("  earlier version \(earlier.version) (\(earlier.fileName), \(earlier.importedAt)) had different content: sha256 \(earlier.sha256)")
            }
            for note in results.notes { print("  note: \(note)") }
        } catch {
            Environment.printError("hattama: \(error)")
            throw ExitCode(2)
        }
    }

    static func read(_ path: String) throws(OfficialImportError) -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw OfficialImportError(issues: [OfficialImportIssue(file: path, row: nil, column: nil,
                                                                   message: "cannot read the file (\(error.localizedDescription))")])
        }
    }
}
