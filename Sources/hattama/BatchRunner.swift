import Foundation
import HattamaCore
import HattamaOCR
import HattamaPipeline
import HattamaStore

/// Tallies of one batch run, printed at the end.
struct BatchSummary {
    var files = 0
    var alreadyStored = 0
    var imagesRead = 0
    /// Protocol pages read into records.
    var read = 0
    var statuses: [ProtocolStatus: Int] = [:]
    var duplicates = 0
    var newConflicts: [PrecinctConflict] = []
    var conflictsInStore: [PrecinctConflict] = []
    var failed = 0
    var seconds = 0.0

    var rate: Double { seconds > 0 ? Double(imagesRead) / seconds : 0 }

    func render() -> String {
        func row(_ name: String, _ value: Int, _ note: String = "") -> String {
            "  " + SummaryText.pad(name, 14) + SummaryText.pad(String(value), 7, right: true) + (note.isEmpty ? "" : "  " + note)
        }
        var lines = ["batch: \(files) files, \(alreadyStored) already in the store, \(imagesRead) images read in "
                     + String(format: "%.1f s (%.2f images/s)", seconds, rate)]
        lines.append(row("read", read, "protocol pages"))
        lines.append(row("complete", statuses[.complete] ?? 0))
        lines.append(row("needs review", statuses[.needsReview] ?? 0))
        lines.append(row("inconsistent", statuses[.inconsistent] ?? 0, "the form's own arithmetic fails"))
        lines.append(row("unreadable", statuses[.unreadable] ?? 0, "no protocol form found on the page"))
        lines.append(row("duplicates", duplicates, "same content as another file; not read again"))
        lines.append(row("conflicts", newConflicts.count, "precincts claimed by more than one image (\(conflictsInStore.count) in the store)"))
        lines.append(row("failed", failed, failed > 0 ? "see the reasons above; a rerun retries them" : ""))
        for conflict in newConflicts {
            lines.append("  CONFLICT precinct \(conflict.precinct) (\(conflict.election ?? "no election")): "
                         + conflict.images.map { String($0.prefix(12)) }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}

/// Runs a batch into a store: hash, plan, read the missing images on workers, write each image in one transaction.
struct BatchRunner {
    var store: any ProtocolStore
    var catalog: TemplateCatalog
    var classifier: DigitClassifier?
    var options: DigitizeOptions
    var jobs: Int
    var maxFileBytes: Int
    /// Quiet runs (the benchmark) print no per-item lines.
    var isQuiet = false

    func run(paths: [String], vault: URL?) throws -> BatchSummary {
        let start = Date()
        let inputs = BatchInputs(arguments: paths, excluding: vault)
        var summary = BatchSummary()
        summary.files = inputs.files.count + inputs.failures.count
        for failure in inputs.failures { try fail(failure, &summary) }
        if !isQuiet && inputs.files.count > 50 { log("hashing \(inputs.files.count) files...") }
        let plan = try BatchPlan.make(files: inputs.files, store: store, workers: jobs, maxBytes: maxFileBytes)
        summary.alreadyStored = plan.alreadyStored
        summary.duplicates = plan.duplicates.count
        for duplicate in plan.duplicates where !isQuiet { log("duplicate: \(duplicate.path) has the same content as \(duplicate.of)") }
        for failure in plan.failures { try fail(failure, &summary) }
        let progress = BatchProgress(total: plan.toRead.count, isTerminal: !isQuiet && isatty(STDERR_FILENO) != 0)
        let readStart = Date()
        try BatchDigitizer.run(items: plan.toRead, workers: jobs, catalog: catalog, classifier: classifier,
                               options: options) { outcome in
            switch outcome {
            case .read(let item, let records):
                let receipt = try store.save(ImageSubmission(sha256: item.sha256, path: item.url.path, byteSize: item.byteSize,
                                                             records: records, duplicatePaths: item.duplicatePaths))
                summary.imagesRead += 1
                summary.read += records.count
                for record in records { summary.statuses[record.status, default: 0] += 1 }
                summary.newConflicts += receipt.conflicts
                for conflict in receipt.conflicts where !isQuiet {
                    progress.note("conflict: precinct \(conflict.precinct) is also claimed by another image (\(item.url.path))")
                }
                let first = records.first
                let precinct = first?.precinct.map { " precinct \($0)" } ?? ""
                if !isQuiet {
                    progress.advance("\(item.url.path): \(records.map(\.status.rawValue).joined(separator: ","))\(precinct)")
                }
            case .failed(let item, let reason):
                try fail(FailedItem(path: item.url.path, sha256: item.sha256, reason: reason), &summary, progress: progress)
                if !isQuiet { progress.advance("\(item.url.path): FAILED") }
            }
        }
        progress.finish()
        summary.seconds = Date().timeIntervalSince(plan.toRead.isEmpty ? start : readStart)
        summary.conflictsInStore = try store.conflicts()
        return summary
    }

    private func fail(_ failure: FailedItem, _ summary: inout BatchSummary, progress: BatchProgress? = nil) throws {
        try store.recordFailure(failure)
        summary.failed += 1
        guard !isQuiet else { return }
        let line = "hattama: failed: \(failure.path): \(failure.reason)"
        if let progress { progress.note(line) } else { log(line) }
    }

    private func log(_ line: String) {
        guard !isQuiet else { return }
        Environment.printError(line)
    }
}
