import Foundation

/// The ground truth written beside a generated (or hand-transcribed) protocol image: `hattama.truth/1`.
public struct TruthFile: Sendable, Decodable {
    public var image: String
    public var form: String
    public var election: String?
    /// Every field's true value (numbers for counts, strings for precinct numbers, null for none).
    public var values: [String: FieldValue?]
    /// False when the generator broke a relation on purpose.
    public var consistent: Bool
    public var brokenRelations: [String]?
    /// `scan` or `photo`.
    public var degradation: String
    public var handwritten: Bool?

    enum CodingKeys: String, CodingKey {
        case image, form, election, values, consistent, degradation, handwritten
        case brokenRelations = "broken_relations"
    }

    /// Reads the truth file at `url`.
    public static func load(_ url: URL) throws -> TruthFile {
        try JSONDecoder().decode(TruthFile.self, from: Data(contentsOf: url))
    }
}
