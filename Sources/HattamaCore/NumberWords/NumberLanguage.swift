/// A language whose number words Hattama can read from a protocol's "in words" cell.
public enum NumberLanguage: String, Sendable, CaseIterable, Codable {
    case russian = "ru"
    case kazakh = "kk"
    case spanish = "es"
    case english = "en"

    /// Whether the language is written in Cyrillic (which decides how OCR look-alike letters are folded).
    public var isCyrillic: Bool { self == .russian || self == .kazakh }

    /// The number words a protocol of `country` (ISO 3166 alpha-2, as in a template's `country`) is written
    /// in, most likely first; empty when Hattama knows none for that country.
    public static func languages(forCountry country: String?) -> [NumberLanguage] {
        switch country?.uppercased() {
        case "KZ": return [.russian, .kazakh]
        case "RU", "BY", "KG": return [.russian]
        case "HN", "AR", "CO", "MX", "ES", "PE", "CL", "BO", "EC", "VE", "GT", "SV", "NI", "CR", "PA", "PY", "UY", "DO":
            return [.spanish]
        case "KE", "GB", "US", "NG", "GH", "UG", "TZ", "ZM", "ZW", "LR", "SL":
            return [.english]
        default: return []
        }
    }
}
