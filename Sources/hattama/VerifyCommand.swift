import ArgumentParser
import Foundation
import HattamaCore
import HattamaStore

/// `hattama verify`: every precinct's protocol side by side with the official results (or another database).
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Compare digitized protocols with the latest official results (or with another database's protocols).",
        discussion: """
            Each differing field is a discrepancy (protocol accepted or confirmed, official differs), undecidable \
            (still uncertain: review first) or a form defect (the protocol's own relations fail); precincts on one \
            side only are coverage gaps. Exit status 0 whatever is found; 2 when a database cannot be read.
            """)

    @Option(help: "The database of digitized protocols.")
    var db: String

    @Option(help: "Write report.json, index.html and crops of the findings into this folder.")
    var report: String?

    @Option(help: "Compare with the protocols of this other database instead of official results.")
    var against: String?

    @Option(help: "The election, when official results of several elections were imported.")
    var election: String?

    func run() throws {
        do {
            let store = try SQLiteProtocolStore(path: db, readOnly: true)
            var imageURLs: [String: URL] = [:]
            let comparison: ComparisonReport
            if let against {
                let other = try SQLiteProtocolStore(path: against, readOnly: true)
                let mine = try Self.records(of: store, election: election, urls: &imageURLs)
                var ignored: [String: URL] = [:]
                let theirs = try Self.records(of: other, election: election, urls: &ignored)
                comparison = Comparator.compare(records: mine, against: theirs, rule: PrecinctRule(),
                                                reference: ReferenceDescription(kind: "records", source: against, election: election))
            } else {
                comparison = try compareWithOfficial(store: store, urls: &imageURLs)
            }
            printSummary(comparison)
            if let report {
                let writer = try ReportWriter(folder: report)
                try writer.write(comparison, imageURLs: imageURLs)
                for failure in writer.failures { Environment.printError("hattama: report: \(failure)") }
                print("report: \(writer.folder.appendingPathComponent("index.html").path)")
            }
        } catch let error as StoreError {
            Environment.printError("hattama: \(error)")
            throw ExitCode(2)
        }
    }

    func compareWithOfficial(store: SQLiteProtocolStore, urls: inout [String: URL]) throws -> ComparisonReport {
        let versions = try store.officialImports(election: election)
        let elections = Set(versions.map(\.election))
        guard let latest = versions.last else {
            throw ValidationError("no official results\(election.map { " for \($0)" } ?? "") in \(db); "
                                  + "import them first with `hattama official import FILE --db \(db) --election ID`")
        }
        guard elections.count == 1 else {
            throw ValidationError("official results of several elections are imported (\(elections.sorted().joined(separator: ", "))); pass --election")
        }
        let (official, mapping) = try store.officialResults(of: latest)
        let records = try Self.records(of: store, election: latest.election, urls: &urls)
        var report = Comparator.compare(
            official: official, records: records, rule: mapping.precinct,
            reference: ReferenceDescription(kind: "official", source: latest.fileName, sha256: latest.sha256,
                                            version: latest.version, importedAt: latest.importedAt, election: latest.election))
        if versions.count > 1 {
            let previous = versions[versions.count - 2]
            let (old, _) = try store.officialResults(of: previous)
            let change = OfficialResultsChange(from: old, to: official)
            report.notes.insert("official results have \(versions.count) versions; compared with the latest (version \(latest.version), "
                                + "\(latest.importedAt)); version \(previous.version) (\(previous.fileName), \(previous.importedAt)) "
                                + "differs: \(change.description)", at: 0)
        }
        return report
    }

    /// The store's records of the election (and those with no election), with their images.
    static func records(of store: SQLiteProtocolStore, election: String?,
                        urls: inout [String: URL]) throws -> [(ProtocolRecord, ImageReference?)] {
        var out: [(ProtocolRecord, ImageReference?)] = []
        var found: [String: URL] = [:]
        // Fields people confirmed in the review queue count as confirmed, with who confirmed them.
        let reviews = try store.hasReviewQueue() ? try store.reviews() : [:]
        try store.forEachRecord { stored in
            if let election, let own = stored.record.election, own != election { return }
            let record = reviews[stored.id].map { stored.record.applying($0) } ?? stored.record
            out.append((record, ImageReference(sha256: stored.imageSHA256, path: stored.originalPath,
                                                      page: stored.record.source.page,
                                                      quarterTurns: stored.record.registration?.quarterTurns)))
            found[stored.imageSHA256] = store.storedImageURL(
                for: StoredImage(sha256: stored.imageSHA256, originalPath: stored.originalPath, byteSize: 0, addedAt: "",
                                 storedPath: stored.storedPath))
        }
        urls.merge(found) { a, _ in a }
        return out
    }

    func printSummary(_ r: ComparisonReport) {
        let s = r.summary
        print("""
            verify: \(s.compared) precincts compared against \(r.reference.kind == "official" ? "official results" : "records") \
            \(r.reference.source)\(r.reference.version.map { " (version \($0))" } ?? "")
              discrepancies    \(String(s.discrepancies).leftPad(5))  precincts (\(s.discrepantFields) fields): protocol certain, reference differs
              undecidable      \(String(s.undecidable).leftPad(5))  differing fields still uncertain: review first
              form defects     \(String(s.formDefects).leftPad(5))  the protocol's own relations fail
              no protocol      \(String(s.noProtocol).leftPad(5))  in the reference, not digitized
              no reference     \(String(s.noReference).leftPad(5))  digitized, not in the reference
              matches          \(String(s.matches).leftPad(5))
            """)
        for t in r.totals where t.difference != 0 {
            print("  total \(t.key): reference \(t.reference), protocols \(t.protocols), difference \(t.difference > 0 ? "+" : "")\(t.difference)")
        }
        for note in r.notes { print("  note: \(note)") }
    }
}

extension String {
    func leftPad(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
