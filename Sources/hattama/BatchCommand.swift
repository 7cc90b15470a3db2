import ArgumentParser
import Foundation
import HattamaPipeline
import HattamaStore

/// `hattama batch`: digitize many images into a store; resumable after any interruption.
struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Digitize folders, globs or @list files of protocol images into a database; rerun to resume.",
        discussion: """
            Every file is hashed first; images whose content is already in the database are skipped, so a second run \
            (or a run after the first was killed) reads only what is missing. Each image's records are written in one \
            transaction. Exit status: 0 done, 3 some files failed, 2 the database could not be written.
            """)

    @Argument(help: "Folders (searched recursively), glob patterns, files, or @list.txt files with one path per line.")
    var paths: [String]

    @Option(help: "The database file (created if missing); originals are copied into <db>.images/.")
    var db: String

    @Option(help: "Worker threads, one OCR engine each (default: every core).")
    var jobs: Int = Environment.defaultWorkers

    @Option(help: "Read every page with this form instead of identifying it.")
    var form: String?

    @Option(help: "Bind the form to this election (with --form).")
    var election: String?

    @Option(help: "Templates folder (default: seeds/ of the project).")
    var seeds: String?

    @Option(name: .customLong("max-megapixels"), help: "Refuse images larger than this.")
    var maxMegapixels: Double = 80

    @Option(name: .customLong("max-file-mb"), help: "Refuse files larger than this many MiB.")
    var maxFileMB: Int = 200

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        guard maxFileMB >= 1 else { throw ValidationError("--max-file-mb must be at least 1") }
    }

    func run() throws {
        let catalog = try Environment.catalog(seeds: seeds)
        if let form, catalog.template(form) == nil {
            throw ValidationError("unknown form \(form); installed forms: \(catalog.templates.map(\.id).sorted().joined(separator: ", "))")
        }
        let summary: BatchSummary
        do {
            let store = try SQLiteProtocolStore(path: db)
            let runner = BatchRunner(store: store, catalog: catalog, classifier: Environment.classifier(),
                                     options: DigitizeOptions(formID: form, electionID: election, maxMegapixels: maxMegapixels),
                                     jobs: jobs, maxFileBytes: maxFileMB << 20)
            summary = try runner.run(paths: paths, vault: URL(fileURLWithPath: db + ".images"))
        } catch let error as StoreError {
            Environment.printError("hattama: \(error)")
            throw ExitCode(2)
        } catch let error as ValidationErrorMessage {
            throw ValidationError(error.description)
        }
        print(summary.render())
        if summary.failed > 0 { throw ExitCode(3) }
    }
}
