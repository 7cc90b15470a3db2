/// A protocol form described as data: how to register a photo of it, where each number is written,
/// and the arithmetic its numbers must satisfy. Loaded from `seeds/forms/*.yaml` (see docs/templates.md).
public struct FormTemplate: Sendable, Equatable, Codable {
    public var id: String
    public var version: Int
    public var country: String?
    public var title: LocalizedText
    public var description: String?
    /// Elections this form is used with; the first is the default.
    public var elections: [String]?
    public var page: PageGeometry
    public var registration: RegistrationAids
    public var fields: [FieldEntry]
    public var relations: [RelationSpec]

    /// The default election, when the template names one.
    public var defaultElection: String? { elections?.first }
}

/// What a field holds.
public enum FieldKind: String, Sendable, Equatable, Codable {
    /// A non-negative whole number.
    case count
    /// Digits identifying the precinct, kept as a string so that leading zeros survive.
    case precinctID = "precinct_id"
    /// Free text, kept for reference and never checked.
    case text
}

/// One entry of a template's `fields`: a single field, or a row repeated once per election choice.
public struct FieldEntry: Sendable, Equatable, Codable {
    public var key: String?
    public var line: Int?
    public var kind: FieldKind?
    public var label: LocalizedText?
    public var cells: DigitCells?
    public var box: TemplateRect?
    public var words: TemplateRect?
    /// `choices` for a row repeated once per choice of the election.
    public var `repeat`: String?
    public var firstLine: Int?
    public var rowPitch: Double?
    public var maxRows: Int?
    public var labelBox: TemplateRect?

    enum CodingKeys: String, CodingKey {
        case key, line, kind, label, cells, box, words, `repeat`
        case firstLine = "first_line"
        case rowPitch = "row_pitch"
        case maxRows = "max_rows"
        case labelBox = "label_box"
    }

    /// Whether this entry stands for one row per election choice.
    public var isRepeatedPerChoice: Bool { self.repeat != nil }
}

/// A control relation as written in a template.
public struct RelationSpec: Sendable, Equatable, Codable {
    public var id: String
    public var expr: String
    public var description: LocalizedText?
}
