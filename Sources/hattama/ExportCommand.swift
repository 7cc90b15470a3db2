import ArgumentParser
import Foundation
import HattamaCore
import HattamaStore

/// `hattama export`: the records of a database as CSV, JSON Lines or JSON, and crops of uncertain fields.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export one row per protocol (a column per field key plus its status) as csv, jsonl or json.",
        discussion: """
            Columns: image_sha256, path, page, form, election, precinct, status, then <key> and <key>.status for \
            every field key (each form's field order; keys of further forms follow in first-seen order). When the \
            database has a review queue, a findings column follows status and every key also gets <key>.review \
            (how people reached the value); fields people confirmed carry their value and the status confirmed. \
            UTF-8; CSV quoted as RFC 4180. The json format wraps the rows as {"schema": "hattama.export/1", "columns", "rows"}.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, jsonl, json
    }

    @Option(help: "The database file.")
    var db: String

    @Option(help: "csv, jsonl or json.")
    var format: Format

    @Option(help: "Write here instead of standard output.")
    var out: String?

    @Option(help: "Write a PNG crop of every uncertain field into this folder.")
    var crops: String?

    func run() throws {
        do {
            let store = try SQLiteProtocolStore(path: db, readOnly: true)
            let table = try ExportTable(store: store, reviews: try store.hasReviewQueue() ? try store.reviews() : nil)
            let sink = try ExportSink(path: out)
            let cropper = try crops.map { try ExportCrops(folder: $0) }
            switch format {
            case .csv: sink.write(ExportTable.csvLine(table.columns))
            case .json: sink.write("{\"schema\":\"\(ExportTable.schemaID)\",\"columns\":[\(table.columns.map(ExportTable.jsonString).joined(separator: ","))],\"rows\":[\n")
            case .jsonl: break
            }
            var first = true
            try store.forEachRecord { stored in
                let cells = table.cells(stored)
                switch format {
                case .csv: sink.write(ExportTable.csvLine(cells.map(ExportTable.csvText)))
                case .jsonl: sink.write(table.jsonObject(cells) + "\n")
                case .json: sink.write((first ? "" : ",\n") + table.jsonObject(cells))
                }
                first = false
                cropper?.cropUncertainFields(of: stored, imageURL: store.storedImageURL(for: stored))
            }
            if format == .json { sink.write("\n]}\n") }
            try sink.finish()
            if let cropper { Environment.printError("hattama: \(cropper.written) crops of uncertain fields in \(cropper.folder.path)") }
            for failure in cropper?.failures ?? [] { Environment.printError("hattama: crop: \(failure)") }
        } catch let error as StoreError {
            Environment.printError("hattama: \(error)")
            throw ExitCode(2)
        }
    }
}

/// Standard output, or a file written through a temporary name and renamed when complete.
final class ExportSink {
    private let handle: FileHandle
    private let target: URL?
    private let temporary: URL?
    private var buffer = Data()

    init(path: String?) throws {
        guard let path else {
            handle = FileHandle.standardOutput
            target = nil
            temporary = nil
            return
        }
        let target = URL(fileURLWithPath: path)
        let temporary = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).partial")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary.path) else {
            throw ValidationError("cannot write \(path): check that its folder exists and is writable")
        }
        self.handle = handle
        self.target = target
        self.temporary = temporary
    }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count > 1 << 16 { flush() }
    }

    private func flush() {
        handle.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    func finish() throws {
        flush()
        guard let target, let temporary else { return }
        try handle.close()
        _ = try? FileManager.default.removeItem(at: target)
        try FileManager.default.moveItem(at: temporary, to: target)
    }
}

/// Where the stored original of a record is, so crops cut from the very bytes that were read.
extension SQLiteProtocolStore {
    func storedImageURL(for record: StoredRecord) -> URL {
        storedImageURL(for: StoredImage(sha256: record.imageSHA256, originalPath: record.originalPath, byteSize: 0,
                                        addedAt: "", storedPath: record.storedPath))
    }
}
