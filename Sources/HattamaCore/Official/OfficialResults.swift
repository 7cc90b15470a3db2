/// Official per-precinct results, as parsed from one published file.
public struct OfficialResults: Sendable, Equatable, Codable {
    /// The file's name as given (for messages and the report).
    public var fileName: String
    /// SHA-256 of the file's bytes.
    public var sha256: String
    /// The field keys present, in the file's column order.
    public var fieldKeys: [String]
    /// One entry per precinct, in file order.
    public var precincts: [OfficialPrecinct]
    /// Things worth knowing that are not errors (for example columns that were ignored).
    public var notes: [String]

    public init(fileName: String, sha256: String, fieldKeys: [String], precincts: [OfficialPrecinct], notes: [String]) {
        self.fileName = fileName
        self.sha256 = sha256
        self.fieldKeys = fieldKeys
        self.precincts = precincts
        self.notes = notes
    }
}

/// One precinct's official row.
public struct OfficialPrecinct: Sendable, Equatable, Codable {
    /// The normalised identifier protocols are matched on.
    public var id: String
    /// The identifier as published.
    public var rawID: String
    /// The row in the file (CSV: line of the row's start, header is line 1; JSON: 1-based array index).
    public var row: Int
    /// Field key -> count.
    public var values: [String: Int]

    public init(id: String, rawID: String, row: Int, values: [String: Int]) {
        self.id = id
        self.rawID = rawID
        self.row = row
        self.values = values
    }

    enum CodingKeys: String, CodingKey {
        case id, row, values
        case rawID = "raw_id"
    }
}

/// One problem in an official file, located as precisely as the problem allows.
public struct OfficialImportIssue: Sendable, Equatable, Codable, CustomStringConvertible {
    public var file: String
    public var row: Int?
    public var column: String?
    public var message: String

    public init(file: String, row: Int?, column: String?, message: String) {
        self.file = file
        self.row = row
        self.column = column
        self.message = message
    }

    /// `file: row 12, column "Иванов": message`.
    public var description: String {
        var place = file
        if let row { place += ": row \(row)" }
        if let column { place += (row == nil ? ": " : ", ") + "column \"\(column)\"" }
        return "\(place): \(message)"
    }
}

/// Every problem found in an official file; when thrown, nothing was imported.
public struct OfficialImportError: Error, Sendable, Equatable, CustomStringConvertible {
    public var issues: [OfficialImportIssue]

    public init(issues: [OfficialImportIssue]) { self.issues = issues }

    public var description: String {
        "\(issues.count) problem\(issues.count == 1 ? "" : "s"); nothing was imported:\n"
            + issues.map { "  " + $0.description }.joined(separator: "\n")
    }
}
