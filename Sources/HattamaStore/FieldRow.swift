import Foundation
import GRDB
import HattamaCore

/// One row of the `fields` table: a field of a record with its provenance, as SQLite stores it.
struct FieldRow: Equatable {
    var ordinal: Int
    var key: String
    var line: Int
    /// An integer for counts, text otherwise, nil when unread.
    var value: DatabaseValue
    var status: String
    var confidence: Double
    /// JSON array of reason codes.
    var reasons: String
    /// JSON of the box, or nil.
    var box: String?
    /// JSON array of every reader's reading: the provenance.
    var readings: String

    init(ordinal: Int, field: FieldRecord, encoder: JSONEncoder) throws {
        self.ordinal = ordinal
        key = field.key
        line = field.line
        switch field.value {
        case .number(let n)?: value = n.databaseValue
        case .text(let s)?: value = s.databaseValue
        case nil: value = .null
        }
        status = field.status.rawValue
        confidence = field.confidence
        reasons = String(decoding: try encoder.encode(field.reasons), as: UTF8.self)
        box = try field.box.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        readings = String(decoding: try encoder.encode(field.readings), as: UTF8.self)
    }

    init(row: Row) {
        ordinal = row["ordinal"]
        key = row["key"]
        line = row["line"]
        value = row["value"]
        status = row["status"]
        confidence = row["confidence"]
        reasons = row["reasons"]
        box = row["box"]
        readings = row["readings"]
    }

    /// A digest of the rows in order, the same whether computed before insertion or from rows read back.
    static func digest(_ rows: [FieldRow]) -> String {
        var text = ""
        for row in rows {
            let value: String
            switch row.value.storage {
            case .int64(let n): value = "n:\(n)"
            case .string(let s): value = "t:\(s)"
            case .double(let d): value = "d:\(d)"
            case .blob(let b): value = "b:\(b.base64EncodedString())"
            case .null: value = "null"
            }
            text += [String(row.ordinal), row.key, String(row.line), value, row.status, "\(row.confidence)",
                     row.reasons, row.box ?? "null", row.readings].joined(separator: "\u{1f}") + "\u{1e}"
        }
        return SHA256Digest.hex(of: Array(text.utf8))
    }
}
