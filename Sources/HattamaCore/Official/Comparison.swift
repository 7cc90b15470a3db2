import Foundation

/// How one field compares.
public enum FieldClass: String, Sendable, Equatable, Codable, CaseIterable {
    /// Both sides give the same value.
    case match
    /// The protocol was read with certainty (or confirmed by people) and the reference differs.
    case discrepancy
    /// A differing field is still uncertain (or missing) on a protocol: review it first.
    case undecidable
    /// A differing field on a protocol whose own relations fail.
    case formDefect = "form_defect"
    /// The field is on one side only (the form has no such field, or the file no such column).
    case unpaired
}

/// How one precinct compares, as a whole.
public enum PrecinctClass: String, Sendable, Equatable, Codable, CaseIterable {
    case match
    /// At least one discrepancy.
    case discrepancy
    /// No discrepancy, but at least one differing field is not decided yet.
    case undecidable
    /// The protocol's own relations fail.
    case formDefect = "form_defect"
    /// In the reference (official data) but no protocol was digitized.
    case noProtocol = "no_protocol"
    /// A protocol with no row in the reference.
    case noReference = "no_reference"

    /// Whether the class is something a person must look at.
    public var isFinding: Bool { self != .match }
}

/// One field side by side.
public struct FieldComparison: Sendable, Equatable, Codable {
    public var key: String
    /// The reference value (official, or the second set of protocols).
    public var reference: SideField?
    /// The value on the digitized protocol.
    public var `protocol`: SideField?
    public var classification: FieldClass

    /// Reference minus protocol, when both have values.
    public var difference: Int? {
        guard let r = reference?.value, let p = `protocol`?.value else { return nil }
        return r - p
    }
}

/// One precinct side by side.
public struct PrecinctComparison: Sendable, Equatable, Codable {
    public var precinct: String
    public var classification: PrecinctClass
    public var reference: PrecinctSide?
    public var `protocol`: PrecinctSide?
    public var fields: [FieldComparison]
    /// Other protocols claiming the same precinct that were not compared.
    public var otherProtocols: [ImageReference]

    enum CodingKeys: String, CodingKey {
        case precinct, classification, reference, `protocol`, fields
        case otherProtocols = "other_protocols"
    }
}

/// Sum of one field over the precincts that have both sides.
public struct FieldTotal: Sendable, Equatable, Codable {
    public var key: String
    public var reference: Int
    public var protocols: Int
    /// Reference minus protocols.
    public var difference: Int { reference - protocols }
    /// Precincts counted (both sides have a value for the field).
    public var precincts: Int

    enum CodingKeys: String, CodingKey { case key, reference, protocols, difference, precincts }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(key, forKey: .key)
        try c.encode(reference, forKey: .reference)
        try c.encode(protocols, forKey: .protocols)
        try c.encode(difference, forKey: .difference)
        try c.encode(precincts, forKey: .precincts)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        key = try c.decode(String.self, forKey: .key)
        reference = try c.decode(Int.self, forKey: .reference)
        protocols = try c.decode(Int.self, forKey: .protocols)
        precincts = try c.decode(Int.self, forKey: .precincts)
    }

    init(key: String, reference: Int, protocols: Int, precincts: Int) {
        self.key = key
        self.reference = reference
        self.protocols = protocols
        self.precincts = precincts
    }
}

/// The counts a reader looks at first.
public struct ComparisonSummary: Sendable, Equatable, Codable {
    /// Precincts present on both sides.
    public var compared = 0
    public var matches = 0
    /// Precincts with at least one discrepancy, and the discrepant fields over all of them.
    public var discrepancies = 0
    public var discrepantFields = 0
    public var undecidable = 0
    public var formDefects = 0
    public var noProtocol = 0
    public var noReference = 0

    /// Coverage gaps on either side.
    public var coverageGaps: Int { noProtocol + noReference }

    enum CodingKeys: String, CodingKey {
        case compared, matches, discrepancies, undecidable
        case discrepantFields = "discrepant_fields"
        case formDefects = "form_defects"
        case noProtocol = "no_protocol"
        case noReference = "no_reference"
    }
}

/// The whole comparison: schema `hattama.verify/1`.
public struct ComparisonReport: Sendable, Equatable, Codable {
    public static let schemaID = "hattama.verify/1"
    public var schema = ComparisonReport.schemaID
    /// What the protocols were compared against (for example the official file, its hash and version).
    public var reference: ReferenceDescription
    public var summary: ComparisonSummary
    public var totals: [FieldTotal]
    /// Every precinct, findings first (by class), then by precinct.
    public var precincts: [PrecinctComparison]
    public var notes: [String]

    /// The precincts of one class.
    public func precincts(_ classification: PrecinctClass) -> [PrecinctComparison] {
        precincts.filter { $0.classification == classification }
    }
}

/// What the reference side is.
public struct ReferenceDescription: Sendable, Equatable, Codable {
    /// `official` or `records`.
    public var kind: String
    /// A human description: the file name, or the other database.
    public var source: String
    public var sha256: String?
    public var version: Int?
    public var importedAt: String?
    public var election: String?

    public init(kind: String, source: String, sha256: String? = nil, version: Int? = nil, importedAt: String? = nil,
                election: String? = nil) {
        self.kind = kind
        self.source = source
        self.sha256 = sha256
        self.version = version
        self.importedAt = importedAt
        self.election = election
    }

    enum CodingKeys: String, CodingKey {
        case kind, source, sha256, version, election
        case importedAt = "imported_at"
    }
}
