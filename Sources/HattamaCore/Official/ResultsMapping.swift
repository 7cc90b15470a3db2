import Foundation
import Yams

/// How an official results file maps onto protocol field keys: which column holds the precinct, how its
/// identifier is normalised so it matches the number read from the protocol, and which column is which field.
///
/// Written as YAML or JSON:
/// ```yaml
/// precinct:
///   column: "Номер УИК"
///   strip_leading_zeros: true
///   prefix: ""
/// fields:
///   "Число избирателей": voters_on_list
///   "Иванов И.И.": votes.ivanov
/// thousands: auto      # auto | none | space | comma | dot | apostrophe
/// separator: auto      # auto | "," | ";" | tab
/// ```
public struct ResultsMapping: Sendable, Equatable, Codable {
    /// The precinct column and how its identifiers are normalised.
    public var precinct: PrecinctRule
    /// Column header (as published) -> protocol field key. Empty: every column but the precinct's is a
    /// field whose key is its header.
    public var fields: [String: String]
    /// How digits are grouped in numbers.
    public var thousands: ThousandsStyle
    /// The CSV separator.
    public var separator: SeparatorChoice

    public init(precinct: PrecinctRule = PrecinctRule(), fields: [String: String] = [:],
                thousands: ThousandsStyle = .auto, separator: SeparatorChoice = .auto) {
        self.precinct = precinct
        self.fields = fields
        self.thousands = thousands
        self.separator = separator
    }

    /// The mapping used when none is given: a column named `precinct`, every other column a field key.
    public static let identity = ResultsMapping()

    enum CodingKeys: String, CodingKey { case precinct, fields, thousands, separator }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        precinct = try c.decodeIfPresent(PrecinctRule.self, forKey: .precinct) ?? PrecinctRule()
        fields = try c.decodeIfPresent([String: String].self, forKey: .fields) ?? [:]
        thousands = try c.decodeIfPresent(ThousandsStyle.self, forKey: .thousands) ?? .auto
        separator = try c.decodeIfPresent(SeparatorChoice.self, forKey: .separator) ?? .auto
    }

    /// Reads a mapping from YAML (JSON is valid YAML); the error names the file and what is wrong.
    public static func load(_ data: Data, fileName: String) throws(OfficialImportError) -> ResultsMapping {
        let text = String(decoding: data, as: UTF8.self)
        do {
            return try YAMLDecoder().decode(ResultsMapping.self, from: text)
        } catch {
            throw OfficialImportError(issues: [OfficialImportIssue(
                file: fileName, row: nil, column: nil,
                message: "not a valid mapping (\(error)); see docs/official-comparison.md for the format")])
        }
    }

    /// The field key a column header maps to, or nil when the column is not mapped.
    public func fieldKey(forColumn header: String) -> String? {
        if fields.isEmpty { return Self.same(header, precinct.column) ? nil : header }
        if let key = fields[header] { return key }
        let trimmed = Self.fold(header)
        return fields.first { Self.fold($0.key) == trimmed }?.value
    }

    /// Whether a header names the precinct column (case and surrounding spaces do not matter).
    public func isPrecinctColumn(_ header: String) -> Bool { Self.same(header, precinct.column) }

    static func same(_ a: String, _ b: String) -> Bool { fold(a) == fold(b) }

    static func fold(_ s: String) -> String {
        s.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }
}

/// Which column holds the precinct identifier and how identifiers are normalised on both sides.
public struct PrecinctRule: Sendable, Equatable, Codable {
    public var column: String
    /// `007` and `7` are the same precinct.
    public var stripLeadingZeros: Bool
    /// Prepended after normalising (for example a region code the protocol does not print).
    public var prefix: String

    public init(column: String = "precinct", stripLeadingZeros: Bool = true, prefix: String = "") {
        self.column = column
        self.stripLeadingZeros = stripLeadingZeros
        self.prefix = prefix
    }

    enum CodingKeys: String, CodingKey {
        case column, prefix
        case stripLeadingZeros = "strip_leading_zeros"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        column = try c.decodeIfPresent(String.self, forKey: .column) ?? "precinct"
        stripLeadingZeros = try c.decodeIfPresent(Bool.self, forKey: .stripLeadingZeros) ?? true
        prefix = try c.decodeIfPresent(String.self, forKey: .prefix) ?? ""
    }

    /// The identifier both sides are matched on: trimmed, spaces removed, leading zeros of the digits
    /// stripped (when asked), then prefixed.
    public func normalize(_ raw: String) -> String {
        var id = raw.filter { !$0.isWhitespace }
        if stripLeadingZeros, !id.isEmpty, id.allSatisfy(\.isASCIIDigit) {
            id = String(id.drop { $0 == "0" })
            if id.isEmpty { id = "0" }
        }
        if !prefix.isEmpty, !id.hasPrefix(prefix) { id = prefix + id }
        return id
    }
}

/// How thousands are grouped in published numbers.
public enum ThousandsStyle: String, Sendable, Equatable, Codable, CaseIterable {
    /// `1 234` (any space, including no-break and thin spaces) always; `1,234` or `1.234` when the file uses
    /// only one of them as a group mark; a file using both must declare which.
    case auto
    /// Plain digits only.
    case none
    /// `1 234`.
    case space
    /// `1,234`.
    case comma
    /// `1.234`.
    case dot
    /// `1'234`.
    case apostrophe
}

/// The CSV separator, or auto-detection from the header row.
public enum SeparatorChoice: String, Sendable, Equatable, Codable {
    case auto
    case comma = ","
    case semicolon = ";"
    case tab

    public init(from decoder: Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        switch raw {
        case "auto": self = .auto
        case ",", "comma": self = .comma
        case ";", "semicolon": self = .semicolon
        case "\t", "tab": self = .tab
        default:
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "separator must be auto, \",\", \";\" or tab, not \(raw)"))
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
