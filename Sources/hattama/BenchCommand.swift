import ArgumentParser
import Foundation
import HattamaCore
import HattamaPipeline

/// `hattama bench`: accuracy and speed measured on a corpus with truth files.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure accuracy and speed on a corpus of images with truth files.",
        subcommands: [AccuracyBench.self, SpeedBench.self, BatchBench.self]
    )
}

/// Images of a corpus folder paired with their `.truth.json` files.
struct Corpus {
    let items: [(image: URL, truth: TruthFile)]

    init(directory: String, limit: Int?) throws {
        let root = URL(fileURLWithPath: directory)
        var found: [(URL, TruthFile)] = []
        for image in Environment.expandInputs([directory]) {
            let truthURL = image.deletingPathExtension().appendingPathExtension("truth.json")
            guard FileManager.default.fileExists(atPath: truthURL.path) else { continue }
            do {
                found.append((image, try TruthFile.load(truthURL)))
            } catch {
                throw ValidationError("\(truthURL.path): not a readable truth file (\(error))")
            }
        }
        guard !found.isEmpty else { throw ValidationError("\(root.path): no images with .truth.json files") }
        items = limit.map { Array(found.prefix($0)) } ?? found
    }
}

struct AccuracyBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accuracy",
        abstract: "Digitize a corpus and compare every field with its truth: exact, accepted, accepted-but-wrong, flagged.")

    @Option(help: "Folder of images, each with a <name>.truth.json beside it.")
    var corpus: String

    @Flag(help: "Print the tallies as JSON.")
    var json = false

    @Option(help: "Worker threads.")
    var jobs: Int = Environment.defaultWorkers

    @Option(help: "Use only the first N images.")
    var limit: Int?

    @Option(help: "Templates folder (default: seeds/ of the project).")
    var seeds: String?

    @Option(name: .customLong("list-wrong"), help: "Print every accepted-but-wrong field (default: on).")
    var listWrong = true

    @Flag(name: .customLong("per-image"), help: "Also report each image as a group of its own.")
    var perImage = false

    @Option(help: "Also write every record as JSON Lines into this file (for tools/corpus/open_equations.py and tools/linereader/line_reader.py agreement).")
    var records: String?

    @OptionGroup(title: "Accept rule (calibration sweeps)")
    var rule: AcceptRuleOverrides

    func run() throws {
        let recordsFile: FileHandle? = try records.map { path in
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw ValidationError("cannot write --records \(path): check that its folder exists and is writable")
            }
            return try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        }
        defer { try? recordsFile?.close() }
        let recordEncoder = RecordOutput.encoder(pretty: false)
        let catalog = try Environment.catalog(seeds: seeds)
        let corpus = try Corpus(directory: self.corpus, limit: limit)
        let report = AccuracyReport(perImage: perImage) { record in
            guard let form = record.form else { return [] }
            return (try? catalog.resolve(formID: form.id, electionID: record.election))?.relations ?? []
        }
        var options = DigitizeOptions()
        rule.apply(to: &options.acceptRule)
        try ParallelDigitizer.run(files: corpus.items.map(\.image), workers: jobs, catalog: catalog,
                                  classifier: Environment.classifier(), options: options) { index, outcomes in
            report.add(outcomes.first, truth: corpus.items[index].truth, image: corpus.items[index].image)
            if let recordsFile, case .success(let record)? = outcomes.first?.result,
               let line = try? recordEncoder.encode(record) {
                recordsFile.write(line + Data("\n".utf8))
            }
        }
        if json {
            let encoder = RecordOutput.encoder(pretty: true)
            FileHandle.standardOutput.write(try encoder.encode(report.snapshot()) + Data("\n".utf8))
        } else {
            print(report.table())
            if listWrong {
                for line in report.silentErrors { print("ACCEPTED BUT WRONG: \(line)") }
            }
        }
    }
}

/// Tallies per group, filled from worker callbacks.
final class AccuracyReport: @unchecked Sendable {
    private let lock = NSLock()
    /// Whether each image also gets a group of its own (small corpora such as the six real images).
    private let perImage: Bool
    /// The relations of a record's form, for the share of fields the arithmetic could confirm at best.
    private let relations: @Sendable (ProtocolRecord) -> [ControlRelation]
    private var groups: [String: AccuracyTally] = [:]
    private var readers: [String: ReaderTally] = [:]
    private(set) var silentErrors: [String] = []

    struct ReaderTally: Codable {
        var fields = 0
        var exact = 0
    }

    struct Snapshot: Codable {
        var groups: [String: AccuracyTally]
        var readers: [String: ReaderTally]
        var silentErrors: [String]

        enum CodingKeys: String, CodingKey {
            case groups, readers
            case silentErrors = "silent_errors"
        }
    }

    init(perImage: Bool = false, relations: @escaping @Sendable (ProtocolRecord) -> [ControlRelation] = { _ in [] }) {
        self.perImage = perImage
        self.relations = relations
    }

    func add(_ outcome: PageOutcome?, truth: TruthFile, image: URL) {
        lock.lock()
        defer { lock.unlock() }
        let groupNames = ["all", "degradation: \(truth.degradation)", "form: \(truth.form)",
                          "writing: \(truth.handwritten == true ? "handwritten" : "printed")"]
            + (perImage ? ["image: \(image.lastPathComponent)"] : [])
        guard case .success(let record)? = outcome?.result else {
            for name in groupNames { groups[name, default: AccuracyTally()].addUnreadable(truth: truth) }
            return
        }
        let formRelations = relations(record)
        for name in groupNames {
            groups[name, default: AccuracyTally()].add(record: record, truth: truth, relations: formRelations)
        }
        for (key, expected) in truth.values {
            guard let field = record.field(key) else { continue }
            if field.isTrusted && field.value != expected {
                silentErrors.append("\(image.lastPathComponent) \(key): accepted \(field.value?.description ?? "null"), truth \(expected?.description ?? "null")")
            }
            for reading in field.readings {
                readers[reading.reader, default: ReaderTally()].fields += 1
                if reading.value == expected { readers[reading.reader, default: ReaderTally()].exact += 1 }
            }
        }
    }

    func snapshot() -> Snapshot {
        lock.lock()
        defer { lock.unlock() }
        return Snapshot(groups: groups, readers: readers, silentErrors: silentErrors)
    }

    func table() -> String {
        let snap = snapshot()
        var lines = ["group                                     protocols  fields   exact%  accepted%  accepted-wrong  flagged  inconsistent found/true  false-inconsistent  unreadable  in-balanced-equation%"]
        let order = snap.groups.keys.sorted { ($0 == "all" ? "" : $0) < ($1 == "all" ? "" : $1) }
        for name in order {
            let t = snap.groups[name]!
            lines.append(SummaryText.pad(name, 42) + SummaryText.pad(String(t.protocols), 9, right: true)
                         + SummaryText.pad(String(t.fields), 8, right: true)
                         + SummaryText.pad(String(format: "%.2f", t.exactShare * 100), 9, right: true)
                         + SummaryText.pad(String(format: "%.2f", t.acceptedShare * 100), 11, right: true)
                         + SummaryText.pad(String(t.acceptedWrong), 16, right: true)
                         + SummaryText.pad(String(t.flagged), 9, right: true)
                         + SummaryText.pad("\(t.inconsistentFound)/\(t.inconsistentTruth)", 26, right: true)
                         + SummaryText.pad(String(t.falselyInconsistent), 20, right: true)
                         + SummaryText.pad(String(t.unreadable), 12, right: true)
                         + SummaryText.pad(String(format: "%.2f", t.inBalancedEquationShare * 100), 23, right: true))
        }
        lines.append("")
        lines.append("reader              fields read   exact%")
        for (name, t) in snap.readers.sorted(by: { $0.key < $1.key }) {
            lines.append(SummaryText.pad(name, 20) + SummaryText.pad(String(t.fields), 12, right: true)
                         + SummaryText.pad(String(format: "%.2f", t.fields == 0 ? 0 : Double(t.exact) * 100 / Double(t.fields)), 9, right: true))
        }
        return lines.joined(separator: "\n")
    }
}
