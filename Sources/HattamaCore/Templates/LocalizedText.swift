/// A short text in several languages, keyed by ISO 639-1 code (`kk`, `ru`, `en`, `es`, ...).
public struct LocalizedText: Sendable, Equatable, Codable {
    /// Text per language code.
    public var texts: [String: String]

    public init(_ texts: [String: String]) {
        self.texts = texts
    }

    /// The text in `language`, else English, else any text there is.
    public func text(in language: String = "en") -> String {
        texts[language] ?? texts["en"] ?? texts.values.sorted().first ?? ""
    }

    public init(from decoder: Decoder) throws {
        texts = try decoder.singleValueContainer().decode([String: String].self)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(texts)
    }
}
