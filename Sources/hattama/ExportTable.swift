import Foundation
import HattamaCore
import HattamaStore

/// The export table: one row per protocol; fixed columns, then `<key>` and `<key>.status` per field key in a
/// stable order (each form's field order, the union across forms in first-seen order).
struct ExportTable {
    /// Schema of the JSON export's envelope.
    static let schemaID = "hattama.export/1"
    static let fixedColumns = ["image_sha256", "path", "page", "form", "election", "precinct", "status"]

    let keys: [String]
    var columns: [String] { Self.fixedColumns + keys.flatMap { [$0, "\($0).status"] } }

    /// Collects the field keys of every record in the store.
    init(store: any ProtocolStore) throws(StoreError) {
        var keys: [String] = []
        var known = Set<String>()
        try store.forEachRecord { stored in
            for field in stored.record.fields where known.insert(field.key).inserted { keys.append(field.key) }
        }
        self.keys = keys
    }

    /// A cell: a number, text, or empty.
    enum Cell: Equatable {
        case number(Int)
        case text(String)
        case empty
    }

    func cells(_ stored: StoredRecord) -> [Cell] {
        let record = stored.record
        var cells: [Cell] = [.text(stored.imageSHA256), .text(stored.originalPath), .number(record.source.page),
                             record.form.map { .text($0.id) } ?? .empty, record.election.map { .text($0) } ?? .empty,
                             record.precinct.map { .text($0) } ?? .empty, .text(record.status.rawValue)]
        var byKey: [String: FieldRecord] = [:]
        for field in record.fields where byKey[field.key] == nil { byKey[field.key] = field }
        for key in keys {
            guard let field = byKey[key] else {
                cells += [.empty, .empty]
                continue
            }
            switch field.value {
            case .number(let n)?: cells.append(.number(n))
            case .text(let s)?: cells.append(.text(s))
            case nil: cells.append(.empty)
            }
            cells.append(.text(field.status.rawValue))
        }
        return cells
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
