import Foundation
import HattamaStore

/// The one translation table of the interface (Resources/translations.json): every key in kk, ru and en.
public struct InterfaceText: Sendable {
    private let table: [String: [String: String]]

    /// Loads the table shipped with the app; throws when the resource is missing or malformed.
    public static func bundled() throws(ReviewSetupError) -> InterfaceText {
        guard let url = Bundle.module.url(forResource: "translations", withExtension: "json", subdirectory: "Resources")
        else { throw .missingResource("translations.json") }
        do {
            let data = try Data(contentsOf: url)
            let table = try JSONDecoder().decode([String: [String: String]].self, from: data)
            return InterfaceText(table: table)
        } catch {
            throw .malformedResource("translations.json", detail: "\(error)")
        }
    }

    init(table: [String: [String: String]]) {
        self.table = table
    }

    /// The text for `key` in `language` with `{name}` placeholders filled; falls back to English, then the key.
    public func callAsFunction(_ key: String, _ language: InterfaceLanguage, _ values: [String: String] = [:]) -> String {
        var text = table[key]?[language.rawValue] ?? table[key]?["en"] ?? key
        for (name, value) in values {
            text = text.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return text
    }

    /// Keys missing a language (for the test that keeps the table complete).
    public var incompleteKeys: [String] {
        table.filter { _, texts in InterfaceLanguage.allCases.contains { (texts[$0.rawValue] ?? "").isEmpty } }
            .keys.sorted()
    }
}

/// Why the review app could not start; messages say what to do.
public enum ReviewSetupError: Error, Sendable, CustomStringConvertible {
    case missingResource(String)
    case malformedResource(String, detail: String)

    public var description: String {
        switch self {
        case .missingResource(let name):
            return "the review app's resource \(name) is missing from the build; rebuild with `swift build`"
        case .malformedResource(let name, let detail):
            return "the review app's resource \(name) does not parse (\(detail)); fix Sources/HattamaReview/Resources/\(name)"
        }
    }
}
