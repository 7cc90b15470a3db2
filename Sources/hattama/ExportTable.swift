import Foundation
import HattamaCore
import HattamaStore

/// The export table: one row per protocol; fixed columns, then `<key>` and `<key>.status` per field key in a
/// stable order (each form's field order, the union across forms in first-seen order). When the database has a
/// review queue, rows also get `findings` and every key a `<key>.review` column: how people reached the value.
struct ExportTable {
    /// Schema of the JSON export's envelope.
    static let schemaID = "hattama.export/1"
    static let fixedColumns = ["image_sha256", "path", "page", "form", "election", "precinct", "status"]

    let keys: [String]
    /// What people did, per record id; nil when the database has no review queue.
    let reviews: [Int64: RecordReview]?

    var columns: [String] {
        guard reviews != nil else { return Self.fixedColumns + keys.flatMap { [$0, "\($0).status"] } }
        return Self.fixedColumns + ["findings"] + keys.flatMap { [$0, "\($0).status", "\($0).review"] }
    }

    /// Collects the field keys of every record in the store, and the review outcomes when there are any.
    init(store: any ProtocolStore, reviews: [Int64: RecordReview]? = nil) throws(StoreError) {
        var keys: [String] = []
        var known = Set<String>()
        try store.forEachRecord { stored in
            for field in stored.record.fields where known.insert(field.key).inserted { keys.append(field.key) }
        }
        self.keys = keys
        self.reviews = reviews
    }

    /// A cell: a number, text, or empty.
    enum Cell: Equatable {
        case number(Int)
        case text(String)
        case empty
    }

    func cells(_ stored: StoredRecord) -> [Cell] {
        let record = stored.record
        let review = reviews.map { $0[stored.id] ?? RecordReview(fields: [:], findings: []) }
        // Precinct and status as people left them (the same view `verify` compares).
        let reviewed = review.map { record.applying($0) } ?? record
        var cells: [Cell] = [.text(stored.imageSHA256), .text(stored.originalPath), .number(record.source.page),
                             record.form.map { .text($0.id) } ?? .empty, record.election.map { .text($0) } ?? .empty,
                             reviewed.precinct.map { .text($0) } ?? .empty, .text(reviewed.status.rawValue)]
        if let review {
            cells.append(review.findings.isEmpty ? .empty : .text(review.findings.map {
                "\($0.relationID): \($0.expression) (\($0.left) vs \($0.right))"
            }.joined(separator: "; ")))
        }
        var byKey: [String: FieldRecord] = [:]
        for field in record.fields where byKey[field.key] == nil { byKey[field.key] = field }
        for key in keys {
            guard let field = byKey[key] else {
                cells += review == nil ? [.empty, .empty] : [.empty, .empty, .empty]
                continue
            }
            let fieldReview = review?.fields[key]
            if let outcome = fieldReview?.outcome {
                // Confirmed by people: their value and status replace the machine's.
                switch outcome.value {
                case .number(let n): cells += [field.kind == .count ? .number(n) : .text(String(n)), .text(FieldStatus.confirmed.rawValue)]
                case .illegible: cells += [.empty, .text("illegible")]
                case .notAProtocol: cells += [.empty, .text("not_a_protocol")]
                }
            } else {
                switch field.value {
                case .number(let n)?: cells.append(.number(n))
                case .text(let s)?: cells.append(.text(s))
                case nil: cells.append(.empty)
                }
                cells.append(.text(field.status.rawValue))
            }
            if review != nil { cells.append(fieldReview.map(Self.describe).map { .text($0) } ?? .empty) }
        }
        return cells
    }

    /// How a field's value was reached: `agreement: anna=812, boris=812`, `majority: ...`, `coordinator: ...,
    /// decision lena=813`; voided entries are marked; `pending` or `conflict` while undecided (entries stay blind).
    static func describe(_ review: FieldReview) -> String {
        guard let outcome = review.outcome else { return review.state == .conflict ? "conflict" : "pending" }
        let entries = outcome.entries.map { entry -> String in
            let text = "\(entry.accountName)=\(valueText(entry.value))"
            if entry.isCoordinatorDecision { return "decision \(text)" }
            return entry.counts ? text : "\(text) (voided)"
        }
        return "\(outcome.decidedBy): " + entries.joined(separator: ", ")
    }

    static func valueText(_ value: ReviewEntryValue) -> String {
        switch value {
        case .number(let n): return String(n)
        case .illegible: return "illegible"
        case .notAProtocol: return "not_a_protocol"
        }
    }

    /// One CSV line (RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled; CRLF ends).
    static func csvLine(_ values: [String]) -> String {
        values.map { value in
            guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: ",") + "\r\n"
    }

    static func csvText(_ cell: Cell) -> String {
        switch cell {
        case .number(let n): return String(n)
        case .text(let s): return s
        case .empty: return ""
        }
    }

    /// A JSON object with the columns in table order.
    func jsonObject(_ cells: [Cell]) -> String {
        let pairs = zip(columns, cells).map { column, cell -> String in
            let value: String
            switch cell {
            case .number(let n): value = String(n)
            case .text(let s): value = Self.jsonString(s)
            case .empty: value = "null"
            }
            return Self.jsonString(column) + ":" + value
        }
        return "{" + pairs.joined(separator: ",") + "}"
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
