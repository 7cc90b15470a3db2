import ArgumentParser
import Foundation
import HattamaCore
import HattamaPipeline

/// `hattama digitize`: read protocol images into records.
struct DigitizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digitize",
        abstract: "Read protocol images (JPEG, PNG, TIFF, PDF) into hattama.protocol/1 records.",
        discussion: """
            Writes JSON Lines to standard output when it is piped, a readable summary on a terminal, or one
            JSON file per page with --out. Each file that cannot be read gets one line on standard error and
            the others go on. Exit status: 0 every file read, 1 nothing read, 3 some files failed.
            """
    )

    @Argument(help: "Image or PDF files, or folders of them.")
    var images: [String]

    @Option(help: "Read every page with this form (see `hattama forms list`) instead of identifying it.")
    var form: String?

    @Option(help: "Bind the form to this election instead of its default one.")
    var election: String?

    @Option(help: "Write one JSON record per page into this folder.")
    var out: String?

    @Option(name: .customLong("debug-overlay"), help: "Write an image per page with the template's boxes drawn on it.")
    var debugOverlay: String?

    @Option(name: .customLong("dump-strips"),
            help: "Write each field's strip of digits as Tesseract reads it into this folder (training data).")
    var dumpStrips: String?

    @Option(help: "Output on standard output: auto (summary on a terminal, JSON Lines otherwise), jsonl or summary.")
    var format: OutputFormat = .auto

    @Option(help: "Worker threads (default: every core).")
    var jobs: Int = Environment.defaultWorkers

    @Option(help: "Templates folder (default: seeds/ of the project).")
    var seeds: String?

    @Option(name: .customLong("max-megapixels"), help: "Refuse images larger than this.")
    var maxMegapixels: Double = 80

    enum OutputFormat: String, ExpressibleByArgument {
        case auto, jsonl, summary
    }

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let catalog = try Environment.catalog(seeds: seeds)
        if let form, catalog.template(form) == nil {
            throw ValidationError("unknown form \(form); installed forms: \(catalog.templates.map(\.id).sorted().joined(separator: ", "))")
        }
        let files = Environment.expandInputs(images)
        guard !files.isEmpty else { throw ValidationError("no image files found in \(images.joined(separator: " "))") }
        var options = DigitizeOptions(formID: form, electionID: election,
                                      debugOverlayDirectory: debugOverlay.map { URL(fileURLWithPath: $0) },
                                      maxMegapixels: maxMegapixels)
        if let dumpStrips {
            try FileManager.default.createDirectory(atPath: dumpStrips, withIntermediateDirectories: true)
            options.tesseractStripDirectory = URL(fileURLWithPath: dumpStrips)
        }
        let summary = format == .summary || (format == .auto && Environment.stdoutIsTerminal && out == nil)
        let outDirectory = out.map { URL(fileURLWithPath: $0) }
        if let outDirectory {
            try FileManager.default.createDirectory(at: outDirectory, withIntermediateDirectories: true)
        }
        let tally = Tally()
        do {
            try ParallelDigitizer.run(files: files, workers: jobs, catalog: catalog, classifier: Environment.classifier(),
                                      options: options) { _, outcomes in
                for outcome in outcomes {
                    switch outcome.result {
                    case .success(let record):
                        tally.add(read: true)
                        RecordOutput.emit(record, summary: summary, outDirectory: outDirectory)
                    case .failure(let error):
                        tally.add(read: false)
                        let page = outcome.page > 1 ? " page \(outcome.page)" : ""
                        // Imaging errors already begin with the path; name the file once.
                        let text = error.description
                        let location = text.hasPrefix(outcome.file) ? "" : "\(outcome.file)\(page): "
                        Environment.printError("hattama: \(location)\(text)")
                    }
                }
            }
        } catch {
            throw ValidationError(error.description)
        }
        if tally.read == 0 { throw ExitCode(1) }
        if tally.failed > 0 { throw ExitCode(3) }
    }
}

/// Counts read and failed pages across worker callbacks.
final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var read = 0
    private(set) var failed = 0

    func add(read ok: Bool) {
        lock.lock()
        if ok { read += 1 } else { failed += 1 }
        lock.unlock()
    }
}
