import Foundation

/// Parses official per-precinct results (CSV or a JSON array of objects, one per precinct) through a
/// `ResultsMapping`. All or nothing: every problem in the file is collected and thrown together.
public enum OfficialResultsParser {
    /// The results in `data`, or every problem found (file, row and column named in each).
    public static func parse(_ data: Data, fileName: String, mapping: ResultsMapping) throws(OfficialImportError) -> OfficialResults {
        let sha256 = SHA256Digest.hex(of: data)
        guard let text = String(data: data, encoding: .utf8) else {
            throw OfficialImportError(issues: [OfficialImportIssue(
                file: fileName, row: nil, column: nil,
                message: "not UTF-8 text; re-save the file as UTF-8 (for example `iconv -f cp1251 -t utf-8`)")])
        }
        let start = text.drop { $0 == "\u{FEFF}" || $0.isWhitespace }.first
        let table: RawTable
        if start == "[" || start == "{" {
            table = try jsonTable(text, fileName: fileName)
        } else {
            table = try csvTable(text, fileName: fileName, separator: mapping.separator)
        }
        return try build(table, fileName: fileName, sha256: sha256, mapping: mapping)
    }

    /// Rows as header -> raw cell text (nil: the row has no such cell).
    struct RawTable {
        var headers: [String]
        var rows: [(row: Int, cells: [String: String])]
        var headerRow: Int?
        var issues: [OfficialImportIssue]
    }

    static func csvTable(_ text: String, fileName: String, separator: SeparatorChoice) throws(OfficialImportError) -> RawTable {
        let table: CSVTable
        switch CSVTable.parse(text, separator: separator) {
        case .success(let t): table = t
        case .failure(let error):
            throw OfficialImportError(issues: [OfficialImportIssue(file: fileName, row: nil, column: nil, message: error.message)])
        }
        guard let header = table.rows.first else {
            throw OfficialImportError(issues: [OfficialImportIssue(file: fileName, row: nil, column: nil, message: "the file is empty")])
        }
        let headers = header.cells.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        var issues: [OfficialImportIssue] = []
        var rows: [(row: Int, cells: [String: String])] = []
        for (line, cells) in table.rows.dropFirst() {
            if cells.count > headers.count {
                let sep = table.separator == "\t" ? "tab" : "'\(table.separator)'"
                issues.append(OfficialImportIssue(
                    file: fileName, row: line, column: nil,
                    message: "\(cells.count) cells but the header has \(headers.count); a number grouped with the "
                        + "separator \(sep) must be quoted, or the separator must be declared in the mapping"))
                continue
            }
            var byHeader: [String: String] = [:]
            for (i, cell) in cells.enumerated() where byHeader[headers[i]] == nil { byHeader[headers[i]] = cell }
            rows.append((line, byHeader))
        }
        return RawTable(headers: headers, rows: rows, headerRow: header.line, issues: issues)
    }

    static func jsonTable(_ text: String, fileName: String) throws(OfficialImportError) -> RawTable {
        let array: [JSONElement]
        do {
            array = try JSONDecoder().decode([JSONElement].self, from: Data(text.drop { $0 == "\u{FEFF}" }.utf8))
        } catch {
            throw OfficialImportError(issues: [OfficialImportIssue(
                file: fileName, row: nil, column: nil,
                message: "not a JSON array of objects, one per precinct (\(error))")])
        }
        var headers: [String] = []
        var seen: Set<String> = []
        var rows: [(row: Int, cells: [String: String])] = []
        var issues: [OfficialImportIssue] = []
        for (i, element) in array.enumerated() {
            guard case .object(let dict) = element else {
                issues.append(OfficialImportIssue(file: fileName, row: i + 1, column: nil, message: "not an object"))
                continue
            }
            for key in dict.keys.sorted() where seen.insert(key).inserted { headers.append(key) }
            rows.append((i + 1, dict.mapValues(\.text)))
        }
        return RawTable(headers: headers, rows: rows, headerRow: nil, issues: issues)
    }

    static func build(_ table: RawTable, fileName: String, sha256: String,
                      mapping: ResultsMapping) throws(OfficialImportError) -> OfficialResults {
        var issues = table.issues
        let headerRow = table.headerRow
        func issue(_ row: Int?, _ column: String?, _ message: String) {
            issues.append(OfficialImportIssue(file: fileName, row: row, column: column, message: message))
        }
        let available = table.headers.map { "\"\($0)\"" }.joined(separator: ", ")
        // Resolve the precinct column and the mapped columns against the header.
        let precinctColumn = table.headers.first(where: mapping.isPrecinctColumn)
        if precinctColumn == nil {
            issue(headerRow, mapping.precinct.column, "missing precinct column; the file's columns are \(available)")
        }
        var columns: [(header: String, key: String)] = []
        var ignored: [String] = []
        for header in table.headers where header != precinctColumn {
            if let key = mapping.fieldKey(forColumn: header) { columns.append((header, key)) } else { ignored.append(header) }
        }
        for (column, _) in mapping.fields.sorted(by: { $0.key < $1.key })
        where !table.headers.contains(where: { ResultsMapping.same($0, column) }) {
            issue(headerRow, column, "missing mapped column; the file's columns are \(available)")
        }
        var keyColumn: [String: String] = [:]
        for (header, key) in columns {
            if let other = keyColumn[key] {
                issue(headerRow, header, "maps to field \(key), as column \"\(other)\" already does")
            }
            keyColumn[key] = header
        }
        let (counts, ambiguity) = CountParser.make(
            style: mapping.thousands, cells: table.rows.flatMap { row in columns.compactMap { row.cells[$0.header] } })
        if let ambiguity { issue(nil, nil, ambiguity) }

        var precincts: [OfficialPrecinct] = []
        var firstRow: [String: Int] = [:]
        for (rowNumber, cells) in table.rows {
            var values: [String: Int] = [:]
            var id = ""
            var raw = ""
            if let precinctColumn {
                raw = (cells[precinctColumn] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                if raw.isEmpty {
                    issue(rowNumber, precinctColumn, cells[precinctColumn] == nil ? "missing cell" : "empty precinct identifier")
                } else {
                    id = mapping.precinct.normalize(raw)
                    if let earlier = firstRow[id] {
                        issue(rowNumber, precinctColumn, "duplicate precinct \(raw) (as \(id)): already on row \(earlier)")
                    } else {
                        firstRow[id] = rowNumber
                    }
                }
            }
            for (header, key) in columns {
                guard let cell = cells[header] else {
                    issue(rowNumber, header, "missing cell")
                    continue
                }
                switch counts.parse(cell) {
                case .success(let n): values[key] = n
                case .failure(let problem): issue(rowNumber, header, problem.message)
                }
            }
            precincts.append(OfficialPrecinct(id: id, rawID: raw, row: rowNumber, values: values))
        }
        if table.rows.isEmpty && issues.isEmpty { issue(nil, nil, "no precinct rows") }
        guard issues.isEmpty else { throw OfficialImportError(issues: issues) }
        var notes: [String] = []
        if !ignored.isEmpty {
            notes.append("ignored \(ignored.count) column\(ignored.count == 1 ? "" : "s") not in the mapping: "
                         + ignored.map { "\"\($0)\"" }.joined(separator: ", "))
        }
        return OfficialResults(fileName: fileName, sha256: sha256, fieldKeys: columns.map(\.key),
                               precincts: precincts, notes: notes)
    }
}

/// One element of a JSON results array.
enum JSONElement: Decodable {
    case object([String: JSONCell])
    case other

    init(from decoder: Decoder) throws {
        self = (try? .object(decoder.singleValueContainer().decode([String: JSONCell].self))) ?? .other
    }
}

/// One value in a JSON results object, kept as the text a CSV cell would hold.
struct JSONCell: Decodable {
    var text: String

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            text = ""
        } else if let b = try? c.decode(Bool.self) {
            text = b ? "true" : "false"
        } else if let n = try? c.decode(Int.self) {
            text = String(n)
        } else if let d = try? c.decode(Double.self) {
            text = String(d)
        } else if let s = try? c.decode(String.self) {
            text = s
        } else {
            text = "(nested value)"
        }
    }
}
